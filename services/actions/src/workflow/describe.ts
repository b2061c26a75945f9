import { PARTIES, WORKFLOW_ROLES } from './actor';
import { COMMAND_TYPES } from './commands';
import { renderMermaid, renderPermissionTable, REPORT_CONDITION } from './diagram';
import { WORKFLOW_EVENT_TYPES } from './events';
import { ACTION_STATUSES, REPORT_STATUSES } from './states';
import { TRANSITIONS } from './transitions';

/** The machine's size, counted from its data. */
export function machineSize() {
  const states = ACTION_STATUSES.length + REPORT_STATUSES.length;
  const roles = WORKFLOW_ROLES.length;
  return {
    actionStates: ACTION_STATUSES.length,
    reportStates: REPORT_STATUSES.length,
    states,
    // `propose` creates an action; the others go through `decide`.
    commands: COMMAND_TYPES.length + 1,
    transitions: TRANSITIONS.length,
    roles,
    parties: PARTIES.length,
    events: WORKFLOW_EVENT_TYPES.length,
    statesTimesTransitionsTimesRoles: states * TRANSITIONS.length * roles,
  };
}

/** The generated part of README.md: the two diagrams and who may do what. */
export function renderDocs(): string {
  return [
    '### The action',
    '',
    '```mermaid',
    renderMermaid('action'),
    '```',
    '',
    '### A progress report',
    '',
    '```mermaid',
    renderMermaid('report'),
    '```',
    '',
    '### Who may do what',
    '',
    REPORT_CONDITION,
    '',
    renderPermissionTable(),
  ].join('\n');
}

// npx ts-node services/actions/src/workflow/describe.ts [--docs]
if (require.main === module) {
  console.log(process.argv.includes('--docs') ? renderDocs() : machineSize());
}
