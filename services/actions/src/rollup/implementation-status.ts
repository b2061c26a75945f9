/** How far a recommendation is implemented, from "not started" to "implemented". */
export const IMPLEMENTATION_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** What the actions alone can say: never "no longer applicable", which is the coordinator's call. */
export type DerivedImplementationStatus = Exclude<ImplementationStatus, 'no_longer_applicable'>;

/**
 * An action's status in today's model (actions/action-status.ts) or in the implementation-planning
 * workflow's (workflow/states.ts); the tests check that both lists are covered.
 */
export type RollupActionStatus =
  | 'not_started'
  | 'proposed'
  | 'assigned'
  | 'acknowledged'
  | 'declined'
  | 'in_progress'
  | 'blocked'
  | 'completed'
  | 'cancelled';

/**
 * Where each action status stands for the roll-up:
 * - waiting: nobody has taken the work on yet (proposed, assigned, or declined and back with the
 *   coordinator);
 * - under way: the lead institution has taken it on (acknowledged) or is working on it, blocked or not;
 * - done: completed;
 * - withdrawn: cancelled, so it no longer counts either way.
 */
type Stage = 'waiting' | 'under_way' | 'done' | 'withdrawn';

const STAGES: Record<RollupActionStatus, Stage> = {
  not_started: 'waiting',
  proposed: 'waiting',
  assigned: 'waiting',
  declined: 'waiting',
  acknowledged: 'under_way',
  in_progress: 'under_way',
  blocked: 'under_way',
  completed: 'done',
  cancelled: 'withdrawn',
};

export const ROLLUP_ACTION_STATUSES = Object.keys(STAGES) as RollupActionStatus[];

export function isRollupActionStatus(status: string): status is RollupActionStatus {
  return Object.hasOwn(STAGES, status);
}

/**
 * The rule, applied to the statuses of the recommendation's actions, cancelled ones left out:
 * 1. no action left (none planned, or every one cancelled): not started;
 * 2. every action completed: implemented;
 * 3. some completed, others still open: partially implemented;
 * 4. none completed, at least one under way (acknowledged, in progress or blocked): in progress;
 * 5. otherwise (all waiting): not started.
 * Cancelling every action does not make a recommendation moot: it still needs a plan. Only the
 * coordinator, who knows why, can declare it no longer applicable, by an override.
 */
export function deriveImplementationStatus(
  statuses: Iterable<RollupActionStatus>,
): DerivedImplementationStatus {
  let counted = 0;
  let done = 0;
  let underWay = 0;
  for (const status of statuses) {
    // A status from the database that the rule does not place is a bug to fix here, not to guess at.
    if (!isRollupActionStatus(status))
      throw new Error(`Action status "${status}" has no place in the roll-up`);
    const stage = STAGES[status];
    if (stage === 'withdrawn') continue;
    counted += 1;
    if (stage === 'done') done += 1;
    if (stage === 'under_way') underWay += 1;
  }
  if (counted === 0) return 'not_started';
  if (done === counted) return 'implemented';
  if (done > 0) return 'partially_implemented';
  if (underWay > 0) return 'in_progress';
  return 'not_started';
}

/** The coordinator's override, when there is one, wins over what the actions say. */
export function effectiveImplementationStatus(
  derived: DerivedImplementationStatus,
  override: ImplementationStatus | null | undefined,
): ImplementationStatus {
  return override ?? derived;
}
