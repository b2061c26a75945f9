/** An action's status as the actions service reports it; "unknown" when an event leaves it unset. */
export type ActionStatus = 'unknown' | 'not_started' | 'in_progress' | 'blocked' | 'completed' | 'cancelled';

/** Completed and cancelled actions need no more reminders. */
export function isClosed(status: ActionStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}
