/** Where an action stands. The recommendation's implementation status rolls up from these. */
export const ACTION_STATUSES = ['not_started', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

const allowed: Record<ActionStatus, readonly ActionStatus[]> = {
  not_started: ['not_started', 'in_progress', 'blocked', 'completed', 'cancelled'],
  in_progress: ['in_progress', 'blocked', 'completed', 'cancelled'],
  blocked: ['blocked', 'in_progress', 'completed', 'cancelled'],
  // A coordinator may reopen completed work when validation fails.
  completed: ['in_progress'],
  cancelled: [],
};

export class StatusTransitionError extends Error {
  constructor(
    readonly from: ActionStatus,
    readonly to: ActionStatus,
  ) {
    super(`An action that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}`);
  }
}

/** Throws StatusTransitionError unless `to` may follow `from`; reporting the same status adds a note. */
export function assertTransition(from: ActionStatus, to: ActionStatus): void {
  if (!allowed[from].includes(to)) throw new StatusTransitionError(from, to);
}

export function isOpen(status: ActionStatus): boolean {
  return status !== 'completed' && status !== 'cancelled';
}
