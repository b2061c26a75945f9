export { PARTIES, WORKFLOW_ROLES, type Actor, type Party, type WorkflowRole } from './actor';
export {
  ACTION_COMMANDS,
  COMMAND_TYPES,
  REPORT_COMMANDS,
  REQUIRED_TEXT,
  type Command,
  type CommandType,
} from './commands';
export { decide, propose, REFUSALS, type Decision, type Refusal } from './decide';
export { machineSize, renderDocs } from './describe';
export { renderMermaid, renderPermissionTable } from './diagram';
export { WORKFLOW_EVENT_TYPES, WorkflowEvents, type WorkflowEvent, type WorkflowEventType } from './events';
export * from './states';
export { TRANSITIONS, type ActionTransition, type ReportTransition, type Transition } from './transitions';
