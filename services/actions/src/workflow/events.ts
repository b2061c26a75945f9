/** The domain events the workflow produces, versioned by name; a breaking change is a new name. */
export const WorkflowEvents = {
  proposed: 'action.proposed.v1',
  assigned: 'action.assigned.v1',
  acknowledged: 'action.acknowledged.v1',
  declined: 'action.declined.v1',
  started: 'action.started.v1',
  blocked: 'action.blocked.v1',
  unblocked: 'action.unblocked.v1',
  completed: 'action.completed.v1',
  cancelled: 'action.cancelled.v1',
  reopened: 'action.reopened.v1',
  reportDrafted: 'progress_report.drafted.v1',
  reportSubmitted: 'progress_report.submitted.v1',
  reportApproved: 'progress_report.approved.v1',
  reportReturnedByValidator: 'progress_report.returned_by_validator.v1',
  reportAccepted: 'progress_report.accepted.v1',
  reportReturnedByCoordinator: 'progress_report.returned_by_coordinator.v1',
} as const;
export type WorkflowEventType = (typeof WorkflowEvents)[keyof typeof WorkflowEvents];

export const WORKFLOW_EVENT_TYPES: readonly WorkflowEventType[] = Object.values(WorkflowEvents);

export interface WorkflowEvent {
  type: WorkflowEventType;
  /** Why an action was declined, blocked, cancelled or reopened. */
  reason?: string;
  /** What a returned report must change. */
  comments?: string;
}
