import { ACTION_STATUSES, type ActionStatus } from '../workflow';

/**
 * Where an action stands: the workflow's statuses (workflow/states.ts). The recommendation's
 * implementation status rolls up from these.
 */
export { ACTION_STATUSES, type ActionStatus };

/** What progress history recorded before the workflow: not started, proposed or assigned now. */
export type HistoricStatus = ActionStatus | 'not_started';

export function isOpen(status: ActionStatus): boolean {
  return status !== 'completed' && status !== 'cancelled';
}
