import { isParty, reportingInstitution, sameInstitution, type Actor } from './actor';
import { REQUIRED_TEXT, type Command } from './commands';
import type { WorkflowEvent } from './events';
import { REPORTS_MOVE_WHILE, type ActionState, type WorkflowState } from './states';
import { TRANSITIONS, type ActionTransition, type ReportTransition, type Transition } from './transitions';

/**
 * Why a command was refused, checked in this order: who asks (`forbidden`), what they sent (text,
 * assignment), then whether the workflow's state allows it, so that an outsider learns nothing of it.
 */
export const REFUSALS = [
  'forbidden',
  'reason_required',
  'comments_required',
  'invalid_assignment',
  'invalid_transition',
  'unchanged',
  'final_by_lead_only',
] as const;
export type Refusal = (typeof REFUSALS)[number];

export type Decision =
  { ok: true; state: WorkflowState; events: WorkflowEvent[] } | { ok: false; code: Refusal };

const actionRules = TRANSITIONS.filter((rule): rule is ActionTransition => rule.machine === 'action');
const reportRules = TRANSITIONS.filter((rule): rule is ReportTransition => rule.machine === 'report');
const rulesOf = new Map<Transition['command'], Transition[]>();
for (const rule of TRANSITIONS) rulesOf.set(rule.command, [...(rulesOf.get(rule.command) ?? []), rule]);
const refuse = (code: Refusal): Decision => ({ ok: false, code });
const allows = (rule: Transition, actor: Actor, state: WorkflowState) =>
  rule.by.some((party) => isParty(party, actor, state));

/** A new action in the plan; the coordinator's alone. */
export function propose(actor: Actor): Decision {
  const rule = actionRules.find(({ command }) => command === 'propose');
  if (!rule) return refuse('invalid_transition');
  const state: WorkflowState = { action: { status: rule.to, lead: null, supporting: [] }, report: null };
  if (!allows(rule, actor, state)) return refuse('forbidden');
  return { ok: true, state, events: [{ type: rule.event }] };
}

/** What `command` by `actor` does to the action and its report; pure, and never throws. */
export function decide(state: WorkflowState, command: Command, actor: Actor): Decision {
  const rules = rulesOf.get(command.type) ?? [];
  if (!rules.some((rule) => allows(rule, actor, state))) return refuse('forbidden');
  const invalid = invalidInput(command);
  if (invalid) return refuse(invalid);
  return rules.some((rule) => rule.machine === 'report')
    ? decideReport(state, command, actor)
    : decideAction(state, command);
}

function decideAction(state: WorkflowState, command: Command): Decision {
  const rule = actionRules.find((rule) => rule.command === command.type && rule.from === state.action.status);
  if (!rule) return refuse('invalid_transition');
  let action: ActionState = { ...state.action, status: rule.to };
  if (command.type === 'assign') {
    action = { status: rule.to, lead: command.lead, supporting: [...command.supporting] };
    if (state.action.status === rule.to && sameAssignment(state.action, action)) return refuse('unchanged');
  }
  return { ok: true, state: { ...state, action }, events: [eventOf(rule, command)] };
}

function decideReport(state: WorkflowState, command: Command, actor: Actor): Decision {
  if (state.action.status !== REPORTS_MOVE_WHILE) return refuse('invalid_transition');
  const from = state.report?.status ?? null;
  const rule = reportRules.find((rule) => rule.command === command.type && rule.from === from);
  if (!rule) return refuse('invalid_transition');
  const institution = state.report?.institution ?? reportingInstitution(actor, state.action);
  if (institution === null || state.action.lead === null) return refuse('forbidden');
  let final = state.report?.final ?? false;
  if (command.type === 'submitReport') {
    final = command.final === true;
    if (final && !sameInstitution(institution, state.action.lead)) return refuse('final_by_lead_only');
  }
  const events = [eventOf(rule, command)];
  let action = state.action;
  // The report's own acceptance has an action transition beside it, taken only for a final report.
  const completion = actionRules.find((rule) => rule.command === command.type && rule.from === action.status);
  if (completion && final) {
    action = { ...action, status: completion.to };
    events.push(eventOf(completion, command));
  }
  return { ok: true, state: { action, report: { status: rule.to, institution, final } }, events };
}

function invalidInput(command: Command): Refusal | null {
  const text = REQUIRED_TEXT[command.type];
  if (text && !isText((command as Partial<Record<typeof text, unknown>>)[text])) return `${text}_required`;
  if (command.type === 'assign' && !validAssignment(command.lead, command.supporting))
    return 'invalid_assignment';
  return null;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

const isInstitutionId = (value: unknown): value is string => isText(value) && value === value.trim();

/** A lead, and supporting institutions that are neither the lead nor named twice. */
function validAssignment(lead: unknown, supporting: unknown): boolean {
  if (!isInstitutionId(lead) || !Array.isArray(supporting) || !supporting.every(isInstitutionId))
    return false;
  const named = [lead, ...supporting];
  return named.every((one, i) => named.findIndex((other) => sameInstitution(one, other)) === i);
}

function sameAssignment(a: ActionState, b: ActionState): boolean {
  const sameSet = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((one) => y.some((other) => sameInstitution(one, other)));
  return (
    a.lead !== null &&
    b.lead !== null &&
    sameInstitution(a.lead, b.lead) &&
    sameSet(a.supporting, b.supporting)
  );
}

function eventOf(rule: Transition, command: Command): WorkflowEvent {
  const event: WorkflowEvent = { type: rule.event };
  if ('reason' in command) event.reason = command.reason;
  if ('comments' in command) event.comments = command.comments;
  return event;
}
