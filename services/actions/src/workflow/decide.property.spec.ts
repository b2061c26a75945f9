import fc from 'fast-check';
import type { Actor } from './actor';
import type { Command } from './commands';
import { decide, propose, REFUSALS } from './decide';
import { WORKFLOW_EVENT_TYPES } from './events';
import {
  ACTION_STATUSES,
  REPORT_STATUSES,
  type ActionState,
  type ReportState,
  type WorkflowState,
} from './states';

// Random sequences of commands by random people, from a fixed seed, with the rules the issue names
// checked after every decision, refused ones included. Each invariant below is stated from the
// issue's words, not from transitions.ts.

const NUM_RUNS = 10_000;
const SEED = 20_261_129;

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const FINANCE = 'Ministry of Finance';
const HEALTH = 'Ministry of Health';
const MINISTRIES = [JUSTICE, INTERIOR, FINANCE, HEALTH];

interface Person extends Actor {
  name: string;
}
const PEOPLE: Person[] = [
  { name: 'coordinator', roles: ['coordinator'], institutions: ['NMIRF Secretariat'] },
  ...MINISTRIES.map((m): Person => ({
    name: `focal point, ${m}`,
    roles: ['focal_point'],
    institutions: [m],
  })),
  ...MINISTRIES.map((m): Person => ({
    name: `validator, ${m}`,
    roles: ['institution_validator'],
    institutions: [m],
  })),
  // The token's spelling of an institution may differ in case.
  { name: 'focal point, ministry of justice', roles: ['focal_point'], institutions: ['ministry of justice'] },
  { name: 'coordinator and focal point', roles: ['coordinator', 'focal_point'], institutions: [HEALTH] },
  {
    name: 'focal point and validator',
    roles: ['focal_point', 'institution_validator'],
    institutions: [INTERIOR],
  },
  { name: 'nhri', roles: ['nhri'], institutions: [JUSTICE] },
  { name: 'civil society', roles: ['civil_society'], institutions: [INTERIOR] },
  { name: 'admin', roles: ['admin'], institutions: [JUSTICE] },
  { name: 'service account', roles: ['service'], institutions: [JUSTICE] },
  { name: 'anonymous', roles: [], institutions: [] },
];
const OUTSIDERS = new Set(['nhri', 'civil_society', 'admin', 'service']);

const COORDINATOR_COMMANDS = ['assign', 'complete', 'cancel', 'reopen', 'acceptReport', 'returnReview'];
const REPORT_COMMANDS = [
  'draftReport',
  'submitReport',
  'approveReport',
  'returnReport',
  'acceptReport',
  'returnReview',
];
const TEXT_EVENTS: Record<string, 'reason' | 'comments'> = {
  'action.declined.v1': 'reason',
  'action.blocked.v1': 'reason',
  'action.cancelled.v1': 'reason',
  'action.reopened.v1': 'reason',
  'progress_report.returned_by_validator.v1': 'comments',
  'progress_report.returned_by_coordinator.v1': 'comments',
};
// Moves that make sense from each action status, to steer most steps deeper into the workflow;
// a command listed twice is picked twice as often.
const PLAUSIBLE: Record<string, string> = {
  proposed: 'assign assign assign cancel',
  assigned: 'acknowledge acknowledge decline assign cancel',
  acknowledged: 'start start start cancel',
  declined: 'assign assign assign cancel',
  in_progress:
    'draftReport submitReport submitReport approveReport approveReport returnReport ' +
    'acceptReport acceptReport returnReview block complete',
  blocked: 'unblock unblock cancel',
  completed: 'reopen',
  cancelled: 'reopen assign unblock',
};
const MOVES = Object.fromEntries(
  Object.entries(PLAUSIBLE).map(([status, moves]) => [status, moves.split(' ') as Command['type'][]]),
);
const ALL_COMMANDS = [...new Set(Object.values(MOVES).flat())];

const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
const member = (person: Actor, institution: string | null) =>
  institution !== null && person.institutions.some((own) => own.toLowerCase() === institution.toLowerCase());
const has = (person: Actor, role: string) => (person.roles as readonly string[]).includes(role);

interface TrackedReport {
  state: ReportState;
  /** Every status the report went through, and who moved it there. */
  history: { status: string; by: Person }[];
}
interface World {
  action: ActionState;
  reports: TrackedReport[];
}

const step = fc.record({
  guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  command: fc.nat(),
  person: fc.nat(),
  report: fc.nat(),
  text: fc.constantFrom('', ' \t\n', 'Awaiting the budget', 'Attach the court statistics', 'See the annex'),
  final: fc.boolean(),
  lead: fc.constantFrom(...MINISTRIES, 'ministry of justice', '', ' Ministry of Health'),
  supporting: fc.oneof(
    { weight: 9, arbitrary: fc.subarray([...MINISTRIES, 'ministry of interior'], { maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constant(['']) },
  ),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function commandOf(type: Command['type'], s: Step): Command {
  switch (type) {
    case 'assign':
      return { type, lead: s.lead, supporting: s.supporting };
    case 'decline':
    case 'block':
    case 'cancel':
    case 'reopen':
      return { type, reason: s.text };
    case 'returnReport':
    case 'returnReview':
      return { type, comments: s.text };
    case 'submitReport':
      return { type, final: s.final };
    default:
      return { type };
  }
}

/** Whether the issue lets `person` ask for `command` here at all; the state may still refuse it. */
function entitled(person: Person, command: Command, { action, report }: WorkflowState): boolean {
  const inLead = member(person, action.lead);
  const reporting = report ? [report.institution] : action.lead ? [action.lead, ...action.supporting] : [];
  const inReporting = reporting.some((institution) => member(person, institution));
  if (COORDINATOR_COMMANDS.includes(command.type)) return has(person, 'coordinator');
  switch (command.type) {
    case 'acknowledge':
    case 'decline':
    case 'start':
      return has(person, 'focal_point') && inLead;
    case 'block':
    case 'unblock':
      return has(person, 'coordinator') || (has(person, 'focal_point') && inLead);
    case 'draftReport':
      return has(person, 'focal_point') && inReporting;
    case 'submitReport':
      // Supporting institutions report progress; only the lead says the action is done.
      return (
        has(person, 'focal_point') &&
        inReporting &&
        (!command.final ||
          (report ? member({ ...person, institutions: [report.institution] }, action.lead) : inLead))
      );
    case 'approveReport':
    case 'returnReport':
      return has(person, 'institution_validator') && inReporting;
  }
  return false;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

const coverage = {
  runs: 0,
  decisions: 0,
  allowed: 0,
  actionStatuses: new Map<string, number>(),
  reportStatuses: new Map<string, number>(),
  completedByFinalReport: 0,
  reassignedAfterDecline: 0,
  reopened: 0,
};
const count = (map: Map<string, number>, keys: Iterable<string>) => {
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
};

function runSequence(steps: Step[]): void {
  const created = propose(PEOPLE[0]);
  if (!created.ok) throw new Error('the coordinator could not propose an action');
  const world: World = { action: created.state.action, reports: [] };
  const reached = { action: new Set<string>([world.action.status]), report: new Set<string>() };
  let declined = false;
  for (const s of steps) {
    const candidates = s.guided ? MOVES[world.action.status] : ALL_COMMANDS;
    const command = commandOf(candidates[s.command % candidates.length], s);
    const isReportCommand = REPORT_COMMANDS.includes(command.type);
    const index = isReportCommand ? s.report % (world.reports.length + 1) : world.reports.length;
    const tracked = world.reports[index];
    const before: WorkflowState = deepFreeze({ action: world.action, report: tracked?.state ?? null });
    const people = s.guided ? PEOPLE.filter((p) => entitled(p, command, before)) : [];
    const person = people.length > 0 ? people[s.person % people.length] : PEOPLE[s.person % PEOPLE.length];

    const decision = decide(before, command, person);
    coverage.decisions += 1;
    if (!decision.ok) {
      check(REFUSALS.includes(decision.code), `unknown refusal ${decision.code}`);
      continue;
    }
    coverage.allowed += 1;
    const { state: after, events } = decision;
    const why = `${person.name}: ${JSON.stringify(command)} on ${JSON.stringify(before)}`;

    // Only the people the issue names move anything, and only what is theirs.
    check(entitled(person, command, before), `not entitled, yet allowed: ${why}`);
    check(!person.roles.every((role) => OUTSIDERS.has(role)), `an outsider moved the workflow: ${why}`);
    // Cancelled absorbs everything; completed everything but a coordinator's reopen.
    check(before.action.status !== 'cancelled', `moved a cancelled action: ${why}`);
    check(
      before.action.status !== 'completed' || command.type === 'reopen',
      `moved a completed action: ${why}`,
    );
    // A declined action is back with the coordinator, who reassigns or cancels it.
    if (before.action.status === 'declined') {
      check(has(person, 'coordinator'), `moved a declined action: ${why}`);
      check(['assigned', 'cancelled'].includes(after.action.status), `declined went elsewhere: ${why}`);
    }
    // Reports move only while their action is in progress.
    if (isReportCommand) check(before.action.status === 'in_progress', `report moved: ${why}`);
    else check(after.report === before.report, `an action command changed a report: ${why}`);
    // Reasons and comments are present where asked for, and travel with the event.
    for (const event of events) {
      check(WORKFLOW_EVENT_TYPES.includes(event.type), `unknown event ${event.type}`);
      const text = TEXT_EVENTS[event.type];
      if (text) check(isText(event[text]), `${event.type} without its ${text}: ${why}`);
    }
    if ('reason' in command) check(isText(command.reason), `allowed without a reason: ${why}`);
    if ('comments' in command) check(isText(command.comments), `allowed without comments: ${why}`);
    // An event for each aggregate that changed, and none for one that did not.
    const actionChanged = JSON.stringify(after.action) !== JSON.stringify(before.action);
    const reportChanged = JSON.stringify(after.report) !== JSON.stringify(before.report);
    check(actionChanged || reportChanged, `allowed without a change: ${why}`);
    check(events.some((e) => e.type.startsWith('action.')) === actionChanged, `action events: ${why}`);
    check(
      events.some((e) => e.type.startsWith('progress_report.')) === reportChanged,
      `report events: ${why}`,
    );

    // Apply, and check the report's whole history: no coordinator acceptance without a validator's
    // approval just before it, given by a validator of the reporting institution.
    if (after.report && reportChanged) {
      const report = tracked ?? { state: after.report, history: [] };
      report.state = after.report;
      report.history.push({ status: after.report.status, by: person });
      world.reports[index] = report;
      if (after.report.status === 'accepted_by_coordinator') {
        const approval = report.history[report.history.length - 2];
        check(approval?.status === 'approved_by_validator', `accepted without approval: ${why}`);
        check(has(approval.by, 'institution_validator'), `approved by a non-validator: ${why}`);
        check(member(approval.by, after.report.institution), `approved by another institution: ${why}`);
        if (after.report.final) coverage.completedByFinalReport += 1;
      }
      // A report moves the action only when, final, it is accepted; and then it always does.
      const completes = after.report.status === 'accepted_by_coordinator' && after.report.final;
      check(actionChanged === completes, `only a final report accepted completes the action: ${why}`);
      reached.report.add(after.report.status);
    }
    if (declined && command.type === 'assign') coverage.reassignedAfterDecline += 1;
    if (command.type === 'reopen') coverage.reopened += 1;
    declined = after.action.status === 'declined';
    world.action = after.action;
    reached.action.add(after.action.status);
  }
  coverage.runs += 1;
  count(coverage.actionStatuses, reached.action);
  count(coverage.reportStatuses, reached.report);
}

describe('the workflow, property-based', () => {
  it(`keeps every rule over ${NUM_RUNS} random sequences of commands`, () => {
    const details = fc.check(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) =>
        runSequence(steps),
      ),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
    expect(details.numRuns).toBe(NUM_RUNS);

    // The sequences must reach every status often enough for the checks above to mean something.
    const rare = (reached: Map<string, number>, statuses: readonly string[], share: number) =>
      statuses.filter((status) => (reached.get(status) ?? 0) < share * coverage.runs);
    expect(rare(coverage.actionStatuses, ACTION_STATUSES, 0.05)).toEqual([]);
    expect(rare(coverage.reportStatuses, REPORT_STATUSES, 0.02)).toEqual([]);
    expect(coverage.completedByFinalReport).toBeGreaterThan(100);
    expect(coverage.reassignedAfterDecline).toBeGreaterThan(100);
    expect(coverage.reopened).toBeGreaterThan(100);
    const percent = (map: Map<string, number>) =>
      [...map].map(([status, n]) => `${status} ${Math.round((100 * n) / coverage.runs)}%`).join(', ');
    console.log(
      [
        `property: ${details.numRuns} runs (seed ${SEED}), ${coverage.decisions} decisions checked, ${coverage.allowed} allowed`,
        `runs reaching each action status: ${percent(coverage.actionStatuses)}`,
        `runs reaching each report status: ${percent(coverage.reportStatuses)}`,
        `actions completed by a final report: ${coverage.completedByFinalReport}; reassigned after a decline: ` +
          `${coverage.reassignedAfterDecline}; reopened: ${coverage.reopened}`,
      ].join('\n'),
    );
  });
});
