/**
 * The implementation-planning workflow is two machines, decided together by `decide` (decide.ts):
 *
 * - the ACTION: proposed → assigned → acknowledged → in progress → completed. The lead institution may
 *   decline instead of acknowledging (with a reason), which hands the action back to the coordinator
 *   to reassign or cancel; work in progress may be blocked (with a reason) and unblocked; the
 *   coordinator may cancel any open action (with a reason) and reopen a completed one.
 * - its PROGRESS REPORTS, each its own aggregate, written by a focal point of the lead or of a
 *   supporting institution: draft → submitted → approved or returned (with comments) by a validator
 *   of the reporting institution → accepted or returned (with comments) by the coordinator. A
 *   returned report is revised and submitted again.
 *
 * Reports move only while the action is in progress, so blocking an action freezes its reports and
 * closing it freezes them for good. A report marked final, which only the lead may submit, completes
 * the action when the coordinator accepts it: the one place where a report drives the action.
 */
export const ACTION_STATUSES = [
  'proposed',
  'assigned',
  'acknowledged',
  'declined',
  'in_progress',
  'blocked',
  'completed',
  'cancelled',
] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const REPORT_STATUSES = [
  'draft',
  'submitted',
  'approved_by_validator',
  'returned_by_validator',
  'accepted_by_coordinator',
  'returned_by_coordinator',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Reports are drafted, submitted and reviewed only while their action is in this status. */
export const REPORTS_MOVE_WHILE: ActionStatus = 'in_progress';

export interface ActionState {
  status: ActionStatus;
  /** The lead institution's id; null until the action is first assigned. */
  lead: string | null;
  supporting: readonly string[];
}

export interface ReportState {
  status: ReportStatus;
  /** The institution reporting: the action's lead or one of its supporting institutions. */
  institution: string;
  /** Whether the report says the action is done; accepting a final report completes the action. */
  final: boolean;
}

/** An action, and the report a command is about (null for action commands and for a new report). */
export interface WorkflowState {
  action: ActionState;
  report: ReportState | null;
}
