import { ActionStatus as ContractStatus } from '@nmirf/contracts';

/** The statuses an action can have, as the read model and its reports spell them. */
export const ACTION_STATUSES = ['not_started', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

const fromContract: Partial<Record<ContractStatus, ActionStatus>> = {
  [ContractStatus.NOT_STARTED]: 'not_started',
  [ContractStatus.IN_PROGRESS]: 'in_progress',
  [ContractStatus.BLOCKED]: 'blocked',
  [ContractStatus.COMPLETED]: 'completed',
  [ContractStatus.CANCELLED]: 'cancelled',
  // The workflow's statuses before work starts are counted as not started (open, not under way).
  [ContractStatus.PROPOSED]: 'not_started',
  [ContractStatus.ASSIGNED]: 'not_started',
  [ContractStatus.ACKNOWLEDGED]: 'not_started',
  [ContractStatus.DECLINED]: 'not_started',
};

/** Undefined for UNSPECIFIED (or a value newer than this build): keep what the view already has. */
export function statusFromContract(status: ContractStatus): ActionStatus | undefined {
  return fromContract[status];
}

/** The workflow's own statuses, as ActionChanged carries them (services/actions/src/workflow). */
const workflowFromContract: Partial<Record<ContractStatus, string>> = {
  [ContractStatus.PROPOSED]: 'proposed',
  [ContractStatus.ASSIGNED]: 'assigned',
  [ContractStatus.ACKNOWLEDGED]: 'acknowledged',
  [ContractStatus.DECLINED]: 'declined',
  [ContractStatus.IN_PROGRESS]: 'in_progress',
  [ContractStatus.BLOCKED]: 'blocked',
  [ContractStatus.COMPLETED]: 'completed',
  [ContractStatus.CANCELLED]: 'cancelled',
  // Before the workflow: work not begun.
  [ContractStatus.NOT_STARTED]: 'assigned',
};

export const WORKFLOW_STATUSES = [
  'proposed',
  'assigned',
  'acknowledged',
  'declined',
  'in_progress',
  'blocked',
  'completed',
  'cancelled',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** Undefined for UNSPECIFIED or a value newer than this build. */
export function workflowStatusFromContract(status: ContractStatus): WorkflowStatus | undefined {
  return workflowFromContract[status] as WorkflowStatus | undefined;
}
