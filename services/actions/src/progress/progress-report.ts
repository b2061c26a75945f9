import { isNameOrTitle } from '@nmirf/platform';
import {
  ACTION_STATUSES,
  WORKFLOW_ROLES,
  type Actor,
  type ActionState,
  type ActionStatus,
  type Refusal,
  type ReportStatus,
  type WorkflowEvent,
  type WorkflowRole,
} from '../workflow';
import { sameInstitution } from '../workflow/actor';

/**
 * A progress report on an action, as the use cases see it. Who may move it and where is the
 * workflow module's (`decide`); this file holds what the workflow leaves open: the content rules, who
 * may see a report, and what each step records.
 */
export interface ProgressReport {
  id: string;
  actionId: string;
  institutionId: string;
  status: ReportStatus;
  final: boolean;
  narrative: string;
  percentage: number;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
}

export interface ReportContent {
  narrative: string;
  percentage: number;
  /** Says the action is done; only the lead institution's report may. */
  final: boolean;
}

/** A return, kept for good: the workflow's comments and who gave them at which stage. */
export interface ReportReturn {
  stage: 'validator' | 'coordinator';
  comments: string;
  returnedBy: string;
  returnedAt: Date;
}

export interface EvidenceFile {
  sha256: string;
  name: string;
  mediaType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: Date;
}

/** What the workflow needs of an action, read from the actions table. */
export interface ActionFacts extends ActionState {
  id: string;
  version: number;
}

export const MAX_NARRATIVE_LENGTH = 20_000;
export const MAX_COMMENTS_LENGTH = 5_000;
export const MAX_FILE_NAME_LENGTH = 255;
/** A report shows at most this many files: evidence, not an archive. */
export const MAX_FILES = 20;

const CONTROL = /(?![\t\n\r])\p{Cc}/u;

export const NARRATIVE_RULE = `must be 1 to ${MAX_NARRATIVE_LENGTH} characters, not blank, without control characters other than tabs and line breaks`;
export const COMMENTS_RULE = `must be 1 to ${MAX_COMMENTS_LENGTH} characters, not blank, without control characters other than tabs and line breaks`;
export const PERCENTAGE_RULE = 'must be a whole number from 0 to 100';
export const FILE_NAME_RULE = `must be 1 to ${MAX_FILE_NAME_LENGTH} characters, not blank, without control characters, / or \\`;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && value.trim() !== '' && !CONTROL.test(value);

export const isNarrative = (value: unknown): value is string => isText(value, MAX_NARRATIVE_LENGTH);
export const isComments = (value: unknown): value is string => isText(value, MAX_COMMENTS_LENGTH);
export const isPercentage = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;

/** A name to show and to offer on download: never a path. */
export function isFileName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_FILE_NAME_LENGTH &&
    isNameOrTitle(value) &&
    !/[/\\]/.test(value) &&
    value.trim() !== '.' &&
    value.trim() !== '..'
  );
}

/** The content's problems, one line each; empty when it may be saved. */
export function contentProblems(content: ReportContent): string[] {
  const problems: string[] = [];
  if (!isNarrative(content.narrative)) problems.push(`narrative ${NARRATIVE_RULE}`);
  if (!isPercentage(content.percentage)) problems.push(`percentage ${PERCENTAGE_RULE}`);
  if (typeof content.final !== 'boolean') problems.push('final must be true or false');
  return problems;
}

/** A report may be edited before it is submitted and after it comes back. */
export const EDITABLE: readonly ReportStatus[] = [
  'draft',
  'returned_by_validator',
  'returned_by_coordinator',
];

/**
 * Statuses written before the workflow's (e.g. `not_started`) let no report move: the workflow
 * treats them as an action not yet under way.
 */
export function workflowStatus(status: string): ActionStatus {
  return (ACTION_STATUSES as readonly string[]).includes(status) ? (status as ActionStatus) : 'proposed';
}

/** The caller as the workflow sees them; roles outside the workflow's are dropped. */
export function actorOf(caller: { roles: ReadonlySet<string>; institutions: readonly string[] }): Actor {
  return {
    roles: WORKFLOW_ROLES.filter((role: WorkflowRole) => caller.roles.has(role)),
    institutions: caller.institutions,
  };
}

/**
 * Who sees a report: the coordinator, and the focal points and validators of the reporting
 * institution or of the action's lead. Anyone else learns nothing of it (404).
 */
export function maySee(actor: Actor, action: ActionState, report: { institutionId: string }): boolean {
  if (actor.roles.includes('coordinator')) return true;
  if (!actor.roles.includes('focal_point') && !actor.roles.includes('institution_validator')) return false;
  const institutions = [report.institutionId, ...(action.lead ? [action.lead] : [])];
  return actor.institutions.some((own) => institutions.some((other) => sameInstitution(own, other)));
}

/** Who sees the action's reports at all: the coordinator and its institutions' people. */
export function maySeeAction(actor: Actor, action: ActionState): boolean {
  if (actor.roles.includes('coordinator')) return true;
  if (!actor.roles.includes('focal_point') && !actor.roles.includes('institution_validator')) return false;
  const institutions = [...(action.lead ? [action.lead] : []), ...action.supporting];
  return actor.institutions.some((own) => institutions.some((other) => sameInstitution(own, other)));
}

/** The HTTP answer for each refusal, as the workflow README suggests. */
export const REFUSAL_STATUS: Record<Refusal, 400 | 403 | 409> = {
  forbidden: 403,
  reason_required: 400,
  comments_required: 400,
  invalid_assignment: 400,
  invalid_transition: 409,
  unchanged: 409,
  final_by_lead_only: 409,
};

export const REFUSAL_MESSAGE: Record<Refusal, string> = {
  forbidden: 'You have no part in this step of the report',
  reason_required: 'A reason is required',
  comments_required: 'comments are required: say what the report must change',
  invalid_assignment: 'The assignment is not valid',
  invalid_transition: 'The report cannot take this step now (see its status and the action’s)',
  unchanged: 'Nothing would change',
  final_by_lead_only: 'Only the lead institution’s report may say the action is done (final)',
};

/** The workflow refused a step; carries its code (HTTP per REFUSAL_STATUS). */
export class ReportRefusedError extends Error {
  constructor(readonly code: Refusal) {
    super(REFUSAL_MESSAGE[code]);
  }
}

/** Who did what and when, for the report's own columns, from the workflow's events. */
export function stamp(report: ProgressReport, events: readonly WorkflowEvent[], by: string, at: Date): void {
  for (const event of events) {
    if (event.type === 'progress_report.submitted.v1') {
      report.submittedBy = by;
      report.submittedAt = at;
      report.approvedBy = null;
      report.approvedAt = null;
    } else if (event.type === 'progress_report.approved.v1') {
      report.approvedBy = by;
      report.approvedAt = at;
    } else if (event.type === 'progress_report.accepted.v1') {
      report.acceptedBy = by;
      report.acceptedAt = at;
    }
  }
}
