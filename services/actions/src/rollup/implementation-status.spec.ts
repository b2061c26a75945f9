import type { HistoricStatus } from '../actions/action-status';
import { ACTION_STATUSES as WORKFLOW_STATUSES } from '../workflow/states';
import {
  deriveImplementationStatus,
  effectiveImplementationStatus,
  IMPLEMENTATION_STATUSES,
  isRollupActionStatus,
  ROLLUP_ACTION_STATUSES,
  type RollupActionStatus,
} from './implementation-status';

// The status actions had before the workflow (migration 1765600000000 maps it away).
const CURRENT_STATUSES: HistoricStatus[] = ['not_started'];

describe('implementation status of a recommendation, from its actions', () => {
  it.each<[string, RollupActionStatus[], string]>([
    ['no actions', [], 'not_started'],
    ['one action not started', ['not_started'], 'not_started'],
    ['actions proposed, assigned and declined', ['proposed', 'assigned', 'declined'], 'not_started'],
    ['one action in progress', ['in_progress'], 'in_progress'],
    ['one blocked action among waiting ones', ['not_started', 'blocked'], 'in_progress'],
    ['an acknowledged action', ['assigned', 'acknowledged'], 'in_progress'],
    ['one completed action', ['completed'], 'implemented'],
    ['every action completed', ['completed', 'completed', 'completed'], 'implemented'],
    ['completed and cancelled actions', ['completed', 'cancelled'], 'implemented'],
    ['one completed, one not started', ['completed', 'not_started'], 'partially_implemented'],
    ['one completed, one blocked', ['blocked', 'completed'], 'partially_implemented'],
    ['one completed, one declined (workflow)', ['completed', 'declined'], 'partially_implemented'],
    ['every action cancelled', ['cancelled', 'cancelled'], 'not_started'],
    ['cancelled and in progress', ['cancelled', 'in_progress'], 'in_progress'],
  ])('%s: %s → %s', (_, statuses, expected) => {
    expect(deriveImplementationStatus(statuses)).toBe(expected);
  });

  it('places every action status of today’s model and of the workflow, and nothing else', () => {
    for (const status of [...CURRENT_STATUSES, ...WORKFLOW_STATUSES]) {
      expect(isRollupActionStatus(status)).toBe(true);
      expect(() => deriveImplementationStatus([status])).not.toThrow();
    }
    expect(new Set(ROLLUP_ACTION_STATUSES)).toEqual(new Set([...CURRENT_STATUSES, ...WORKFLOW_STATUSES]));
    expect(isRollupActionStatus('toString')).toBe(false);
    expect(isRollupActionStatus('done')).toBe(false);
    expect(() => deriveImplementationStatus(['done' as RollupActionStatus])).toThrow(
      'Action status "done" has no place in the roll-up',
    );
    expect(() => deriveImplementationStatus(['completed', 'toString' as RollupActionStatus])).toThrow(
      'Action status "toString" has no place in the roll-up',
    );
  });

  it('agrees with the rule as the issue states it, for every combination of up to three actions', () => {
    const waiting = new Set(['not_started', 'proposed', 'assigned', 'declined']);
    const underWay = new Set(['acknowledged', 'in_progress', 'blocked']);
    const combinations: RollupActionStatus[][] = [[]];
    for (let size = 1; size <= 3; size += 1) {
      for (const shorter of combinations.filter((c) => c.length === size - 1)) {
        for (const status of ROLLUP_ACTION_STATUSES) combinations.push([...shorter, status]);
      }
    }
    expect(combinations).toHaveLength(1 + 9 + 81 + 729);
    for (const statuses of combinations) {
      const live = statuses.filter((status) => status !== 'cancelled');
      const completed = live.filter((status) => status === 'completed');
      let expected: string;
      if (live.length > 0 && completed.length === live.length) expected = 'implemented';
      else if (completed.length > 0) expected = 'partially_implemented';
      else if (live.some((status) => underWay.has(status))) expected = 'in_progress';
      else {
        expect(live.every((status) => waiting.has(status))).toBe(true);
        expected = 'not_started';
      }
      expect([statuses, deriveImplementationStatus(statuses)]).toEqual([statuses, expected]);
    }
  });

  it('lets the coordinator’s override win, and falls back to the derived status without one', () => {
    expect(effectiveImplementationStatus('in_progress', null)).toBe('in_progress');
    expect(effectiveImplementationStatus('in_progress', undefined)).toBe('in_progress');
    for (const status of IMPLEMENTATION_STATUSES) {
      expect(effectiveImplementationStatus('implemented', status)).toBe(status);
    }
  });
});
