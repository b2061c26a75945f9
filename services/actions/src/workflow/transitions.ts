import type { Party } from './actor';
import type { CommandType } from './commands';
import { WorkflowEvents as E, type WorkflowEventType } from './events';
import type { ActionStatus, ReportStatus } from './states';

interface Rule<Status> {
  command: CommandType | 'propose';
  /** Null: the action or report does not exist yet. */
  from: Status | null;
  to: Status;
  by: readonly Party[];
  event: WorkflowEventType;
  /** A condition beyond the statuses, for readers; `decide` enforces it. */
  when?: string;
}
export type ActionTransition = Rule<ActionStatus> & { machine: 'action' };
export type ReportTransition = Rule<ReportStatus> & { machine: 'report' };
export type Transition = ActionTransition | ReportTransition;

const coordinator: readonly Party[] = ['coordinator'];
const lead: readonly Party[] = ['lead_focal_point'];

function action(
  command: ActionTransition['command'],
  from: readonly (ActionStatus | null)[],
  to: ActionStatus,
  by: readonly Party[],
  event: WorkflowEventType,
  when?: string,
): ActionTransition[] {
  return from.map((status) => ({ machine: 'action', command, from: status, to, by, event, when }));
}

function report(
  command: ReportTransition['command'],
  from: readonly (ReportStatus | null)[],
  to: ReportStatus,
  by: readonly Party[],
  event: WorkflowEventType,
): ReportTransition[] {
  return from.map((status) => ({ machine: 'report', command, from: status, to, by, event }));
}

const open: ActionStatus[] = ['proposed', 'assigned', 'acknowledged', 'declined', 'in_progress', 'blocked'];

/** The whole machine as data: `decide` follows it, and the diagrams and figures come from it. */
export const TRANSITIONS: readonly Transition[] = [
  ...action('propose', [null], 'proposed', coordinator, E.proposed),
  // Reassigning is allowed until the lead acknowledges; a declined action comes back here.
  ...action('assign', ['proposed', 'assigned', 'declined'], 'assigned', coordinator, E.assigned),
  ...action('acknowledge', ['assigned'], 'acknowledged', lead, E.acknowledged),
  ...action('decline', ['assigned'], 'declined', lead, E.declined),
  ...action('start', ['acknowledged'], 'in_progress', lead, E.started),
  ...action('block', ['in_progress'], 'blocked', ['coordinator', 'lead_focal_point'], E.blocked),
  ...action('unblock', ['blocked'], 'in_progress', ['coordinator', 'lead_focal_point'], E.unblocked),
  ...action('complete', ['in_progress'], 'completed', coordinator, E.completed),
  ...action('acceptReport', ['in_progress'], 'completed', coordinator, E.completed, 'final report'),
  ...action('cancel', open, 'cancelled', coordinator, E.cancelled),
  ...action('reopen', ['completed'], 'in_progress', coordinator, E.reopened),

  ...report('draftReport', [null], 'draft', ['report_focal_point'], E.reportDrafted),
  ...report(
    'submitReport',
    [null, 'draft', 'returned_by_validator', 'returned_by_coordinator'],
    'submitted',
    ['report_focal_point'],
    E.reportSubmitted,
  ),
  ...report('approveReport', ['submitted'], 'approved_by_validator', ['report_validator'], E.reportApproved),
  ...report(
    'returnReport',
    ['submitted'],
    'returned_by_validator',
    ['report_validator'],
    E.reportReturnedByValidator,
  ),
  ...report(
    'acceptReport',
    ['approved_by_validator'],
    'accepted_by_coordinator',
    coordinator,
    E.reportAccepted,
  ),
  ...report(
    'returnReview',
    ['approved_by_validator'],
    'returned_by_coordinator',
    coordinator,
    E.reportReturnedByCoordinator,
  ),
];
