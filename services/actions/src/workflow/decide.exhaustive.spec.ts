import type { Actor } from './actor';
import type { Command } from './commands';
import { decide, type Decision } from './decide';
import type { WorkflowEvent } from './events';
import { ACTION_STATUSES, REPORT_STATUSES, type ReportState, type WorkflowState } from './states';

// Every state × command × kind of actor, against a table written here by hand from the issue, so a
// change to the rules in transitions.ts shows up as a difference here rather than passing unseen.

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const FINANCE = 'Ministry of Finance';
const HEALTH = 'Ministry of Health';

const ACTORS = {
  coordinator: { roles: ['coordinator'], institutions: ['NMIRF Secretariat'] },
  leadFocalPoint: { roles: ['focal_point'], institutions: [JUSTICE] },
  supportingFocalPoint: { roles: ['focal_point'], institutions: [INTERIOR] },
  otherFocalPoint: { roles: ['focal_point'], institutions: [FINANCE] },
  leadValidator: { roles: ['institution_validator'], institutions: [JUSTICE] },
  supportingValidator: { roles: ['institution_validator'], institutions: [INTERIOR] },
  otherValidator: { roles: ['institution_validator'], institutions: [FINANCE] },
  nhri: { roles: ['nhri'], institutions: ['Human Rights Ombudsman'] },
  civilSociety: { roles: ['civil_society'], institutions: [] },
  // Belonging to the lead institution gives nothing without a workflow role.
  admin: { roles: ['admin'], institutions: [JUSTICE] },
  serviceAccount: { roles: ['service'], institutions: [JUSTICE] },
  anonymous: { roles: [], institutions: [] },
} satisfies Record<string, Actor>;
type Kind = keyof typeof ACTORS;
const KINDS = Object.keys(ACTORS) as Kind[];

const COMMANDS = {
  assign: { type: 'assign', lead: HEALTH, supporting: [JUSTICE] },
  acknowledge: { type: 'acknowledge' },
  decline: { type: 'decline', reason: 'Outside our mandate' },
  start: { type: 'start' },
  block: { type: 'block', reason: 'Awaiting the budget' },
  unblock: { type: 'unblock' },
  complete: { type: 'complete' },
  cancel: { type: 'cancel', reason: 'Superseded by the new plan' },
  reopen: { type: 'reopen', reason: 'The law was not adopted after all' },
  draftReport: { type: 'draftReport' },
  submitReport: { type: 'submitReport', final: false },
  submitFinalReport: { type: 'submitReport', final: true },
  approveReport: { type: 'approveReport' },
  returnReport: { type: 'returnReport', comments: 'Attach the gazette' },
  acceptReport: { type: 'acceptReport' },
  returnReview: { type: 'returnReview', comments: 'Give the number of cases' },
} satisfies Record<string, Command>;
type CommandName = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

// A state reads "action/report@institution", with "!" for a final report and no report part when
// there is none. Actions before in_progress cannot have reports.
const EARLY = ['proposed', 'assigned', 'acknowledged', 'declined'];
const LATE = ['in_progress', 'blocked', 'completed', 'cancelled'];
const REPORTED = ['submitted', 'approved_by_validator', 'returned_by_validator', 'accepted_by_coordinator'];
const REPORT_VARIANTS = [
  '',
  '/draft@lead',
  '/draft@supporting',
  ...[...REPORTED, 'returned_by_coordinator'].flatMap((status) =>
    ['@lead', '@lead!', '@supporting'].map((where) => `/${status}${where}`),
  ),
];
const FIXTURES = [...EARLY, ...LATE.flatMap((action) => REPORT_VARIANTS.map((report) => action + report))];

// fixture  command  actor  outcome: the next state and its events, or ✗ and the refusal. In a
// fixture, "/*" stands for any report (or none) and is kept as it was in the next state.
const TABLE = `
proposed                             assign             coordinator           assigned                              action.assigned.v1
assigned                             assign             coordinator           assigned                              action.assigned.v1
declined                             assign             coordinator           assigned                              action.assigned.v1
assigned                             acknowledge        leadFocalPoint        acknowledged                          action.acknowledged.v1
assigned                             decline            leadFocalPoint        declined                              action.declined.v1
acknowledged                         start              leadFocalPoint        in_progress                           action.started.v1
in_progress/*                        block              coordinator           blocked/*                             action.blocked.v1
in_progress/*                        block              leadFocalPoint        blocked/*                             action.blocked.v1
blocked/*                            unblock            coordinator           in_progress/*                         action.unblocked.v1
blocked/*                            unblock            leadFocalPoint        in_progress/*                         action.unblocked.v1
in_progress/*                        complete           coordinator           completed/*                           action.completed.v1
proposed                             cancel             coordinator           cancelled                             action.cancelled.v1
assigned                             cancel             coordinator           cancelled                             action.cancelled.v1
acknowledged                         cancel             coordinator           cancelled                             action.cancelled.v1
declined                             cancel             coordinator           cancelled                             action.cancelled.v1
in_progress/*                        cancel             coordinator           cancelled/*                           action.cancelled.v1
blocked/*                            cancel             coordinator           cancelled/*                           action.cancelled.v1
completed/*                          reopen             coordinator           in_progress/*                         action.reopened.v1

in_progress                          draftReport        leadFocalPoint        in_progress/draft@lead                progress_report.drafted.v1
in_progress                          draftReport        supportingFocalPoint  in_progress/draft@supporting          progress_report.drafted.v1
in_progress                          submitReport       leadFocalPoint        in_progress/submitted@lead            progress_report.submitted.v1
in_progress                          submitReport       supportingFocalPoint  in_progress/submitted@supporting      progress_report.submitted.v1
in_progress                          submitFinalReport  leadFocalPoint        in_progress/submitted@lead!           progress_report.submitted.v1
in_progress                          submitFinalReport  supportingFocalPoint  ✗final_by_lead_only
in_progress/draft@lead               submitReport       leadFocalPoint        in_progress/submitted@lead            progress_report.submitted.v1
in_progress/draft@lead               submitFinalReport  leadFocalPoint        in_progress/submitted@lead!           progress_report.submitted.v1
in_progress/draft@supporting         submitReport       supportingFocalPoint  in_progress/submitted@supporting      progress_report.submitted.v1
in_progress/draft@supporting         submitFinalReport  supportingFocalPoint  ✗final_by_lead_only
in_progress/returned_by_validator@lead         submitReport       leadFocalPoint        in_progress/submitted@lead   progress_report.submitted.v1
in_progress/returned_by_validator@lead         submitFinalReport  leadFocalPoint        in_progress/submitted@lead!  progress_report.submitted.v1
in_progress/returned_by_validator@lead!        submitReport       leadFocalPoint        in_progress/submitted@lead   progress_report.submitted.v1
in_progress/returned_by_validator@lead!        submitFinalReport  leadFocalPoint        in_progress/submitted@lead!  progress_report.submitted.v1
in_progress/returned_by_validator@supporting   submitReport       supportingFocalPoint  in_progress/submitted@supporting  progress_report.submitted.v1
in_progress/returned_by_validator@supporting   submitFinalReport  supportingFocalPoint  ✗final_by_lead_only
in_progress/returned_by_coordinator@lead       submitReport       leadFocalPoint        in_progress/submitted@lead   progress_report.submitted.v1
in_progress/returned_by_coordinator@lead       submitFinalReport  leadFocalPoint        in_progress/submitted@lead!  progress_report.submitted.v1
in_progress/returned_by_coordinator@lead!      submitReport       leadFocalPoint        in_progress/submitted@lead   progress_report.submitted.v1
in_progress/returned_by_coordinator@lead!      submitFinalReport  leadFocalPoint        in_progress/submitted@lead!  progress_report.submitted.v1
in_progress/returned_by_coordinator@supporting submitReport       supportingFocalPoint  in_progress/submitted@supporting  progress_report.submitted.v1
in_progress/returned_by_coordinator@supporting submitFinalReport  supportingFocalPoint  ✗final_by_lead_only

in_progress/submitted@lead           approveReport      leadValidator         in_progress/approved_by_validator@lead        progress_report.approved.v1
in_progress/submitted@lead!          approveReport      leadValidator         in_progress/approved_by_validator@lead!       progress_report.approved.v1
in_progress/submitted@supporting     approveReport      supportingValidator   in_progress/approved_by_validator@supporting  progress_report.approved.v1
in_progress/submitted@lead           returnReport       leadValidator         in_progress/returned_by_validator@lead        progress_report.returned_by_validator.v1
in_progress/submitted@lead!          returnReport       leadValidator         in_progress/returned_by_validator@lead!       progress_report.returned_by_validator.v1
in_progress/submitted@supporting     returnReport       supportingValidator   in_progress/returned_by_validator@supporting  progress_report.returned_by_validator.v1

in_progress/approved_by_validator@lead        acceptReport  coordinator  in_progress/accepted_by_coordinator@lead        progress_report.accepted.v1
in_progress/approved_by_validator@lead!       acceptReport  coordinator  completed/accepted_by_coordinator@lead!         progress_report.accepted.v1,action.completed.v1
in_progress/approved_by_validator@supporting  acceptReport  coordinator  in_progress/accepted_by_coordinator@supporting  progress_report.accepted.v1
in_progress/approved_by_validator@lead        returnReview  coordinator  in_progress/returned_by_coordinator@lead        progress_report.returned_by_coordinator.v1
in_progress/approved_by_validator@lead!       returnReview  coordinator  in_progress/returned_by_coordinator@lead!       progress_report.returned_by_coordinator.v1
in_progress/approved_by_validator@supporting  returnReview  coordinator  in_progress/returned_by_coordinator@supporting  progress_report.returned_by_coordinator.v1
`;

interface Row {
  fixture: string;
  command: CommandName;
  kind: Kind;
  outcome: string;
  events: string;
  used: boolean;
}
const ROWS: Row[] = TABLE.trim()
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [fixture, command, kind, outcome, events = ''] = line.trim().split(/\s+/);
    return { fixture, command: command as CommandName, kind: kind as Kind, outcome, events, used: false };
  });

function stateOf(notation: string): WorkflowState {
  const [action, report] = notation.split('/');
  return {
    action: action === 'proposed' ? { status: action, lead: null, supporting: [] } : assignedAs(action),
    report: report ? reportOf(report) : null,
  };
}
const assignedAs = (status: string) =>
  ({ status, lead: JUSTICE, supporting: [INTERIOR] }) as WorkflowState['action'];

function reportOf(notation: string): ReportState {
  const [status, where] = notation.split('@');
  const institution = where.startsWith('lead') ? JUSTICE : INTERIOR;
  return { status: status as ReportState['status'], institution, final: where.endsWith('!') };
}

/** Who may issue `command` at all on this action and report, whatever its status. */
function mayIssue(command: CommandName, state: WorkflowState): Kind[] {
  const assigned = state.action.lead !== null;
  const ofReport = (lead: Kind, supporting: Kind): Kind[] =>
    !assigned
      ? []
      : !state.report
        ? [lead, supporting]
        : state.report.institution === JUSTICE
          ? [lead]
          : [supporting];
  switch (command) {
    case 'assign':
    case 'complete':
    case 'cancel':
    case 'reopen':
    case 'acceptReport':
    case 'returnReview':
      return ['coordinator'];
    case 'acknowledge':
    case 'decline':
    case 'start':
      return assigned ? ['leadFocalPoint'] : [];
    case 'block':
    case 'unblock':
      return assigned ? ['coordinator', 'leadFocalPoint'] : ['coordinator'];
    case 'draftReport':
    case 'submitReport':
    case 'submitFinalReport':
      return ofReport('leadFocalPoint', 'supportingFocalPoint');
    case 'approveReport':
    case 'returnReport':
      return ofReport('leadValidator', 'supportingValidator');
  }
}

const matches = (pattern: string, fixture: string) =>
  pattern.endsWith('/*') ? fixture.split('/')[0] === pattern.slice(0, -2) : pattern === fixture;

function expected(fixture: string, command: CommandName, kind: Kind): Decision {
  const row = ROWS.find(
    (row) => matches(row.fixture, fixture) && row.command === command && row.kind === kind,
  );
  const before = stateOf(fixture);
  if (!row)
    return { ok: false, code: mayIssue(command, before).includes(kind) ? 'invalid_transition' : 'forbidden' };
  row.used = true;
  if (row.outcome.startsWith('✗')) return { ok: false, code: row.outcome.slice(1) as 'forbidden' };
  const next = stateOf(row.outcome.replace('/*', ''));
  if (row.outcome.endsWith('/*')) next.report = before.report;
  const sent = COMMANDS[command];
  const { lead, supporting } = sent.type === 'assign' ? sent : before.action;
  next.action = { ...next.action, lead, supporting };
  const text = {
    ...('reason' in sent && { reason: sent.reason }),
    ...('comments' in sent && { comments: sent.comments }),
  };
  const events = row.events.split(',').map((type) => ({ type, ...text }) as WorkflowEvent);
  return { ok: true, state: next, events };
}

const checked = { total: 0, allowed: 0 };

describe('the workflow, exhaustively', () => {
  it('has a fixture for every action and report status, so a new status needs a row here', () => {
    const seen = FIXTURES.map(stateOf);
    expect(new Set(seen.map(({ action }) => action.status))).toEqual(new Set(ACTION_STATUSES));
    expect(new Set(seen.flatMap(({ report }) => (report ? [report.status] : [])))).toEqual(
      new Set(REPORT_STATUSES),
    );
    expect(FIXTURES).toHaveLength(4 + 4 * 18);
  });

  it.each(FIXTURES)('decides every command by every kind of actor in %s', (fixture) => {
    const actual: Record<string, Decision> = {};
    const wanted: Record<string, Decision> = {};
    for (const command of COMMAND_NAMES) {
      for (const kind of KINDS) {
        actual[`${command} by ${kind}`] = decide(stateOf(fixture), COMMANDS[command], ACTORS[kind]);
        wanted[`${command} by ${kind}`] = expected(fixture, command, kind);
        checked.total += 1;
        if (actual[`${command} by ${kind}`].ok) checked.allowed += 1;
      }
    }
    expect(actual).toEqual(wanted);
  });

  it('used every row of the table', () => {
    expect(ROWS.filter((row) => !row.used).map((row) => `${row.fixture} ${row.command} ${row.kind}`)).toEqual(
      [],
    );
    expect(checked.total).toBe(FIXTURES.length * COMMAND_NAMES.length * KINDS.length);
    console.log(
      `exhaustive: ${FIXTURES.length} states × ${COMMAND_NAMES.length} commands × ${KINDS.length} kinds of actor = ` +
        `${checked.total} decisions, ${checked.allowed} allowed`,
    );
  });
});
