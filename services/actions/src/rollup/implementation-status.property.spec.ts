import fc from 'fast-check';
import {
  deriveImplementationStatus,
  ROLLUP_ACTION_STATUSES,
  type DerivedImplementationStatus,
  type RollupActionStatus,
} from './implementation-status';

// Sanity properties of the roll-up over random sets of actions, from a fixed seed.
const SETTINGS = { numRuns: 2_000, seed: 20_261_210 };

/** How far along: "implemented" is further than "partially implemented", and so on. */
const PROGRESS: Record<DerivedImplementationStatus, number> = {
  not_started: 0,
  in_progress: 1,
  partially_implemented: 2,
  implemented: 3,
};
const progress = (statuses: RollupActionStatus[]) => PROGRESS[deriveImplementationStatus(statuses)];

const OPEN: RollupActionStatus[] = ROLLUP_ACTION_STATUSES.filter(
  (status) => status !== 'completed' && status !== 'cancelled',
);
const WAITING: RollupActionStatus[] = ['not_started', 'proposed', 'assigned', 'declined'];
const actions = fc.array(fc.constantFrom(...ROLLUP_ACTION_STATUSES), { maxLength: 12 });

describe('implementation status roll-up: properties', () => {
  it('does not depend on the order of the actions', () => {
    fc.assert(
      fc.property(actions, fc.infiniteStream(fc.nat()), (statuses, keys) => {
        const shuffled = statuses
          .map((status) => ({ status, key: keys.next().value as number }))
          .sort((a, b) => a.key - b.key)
          .map(({ status }) => status);
        expect(deriveImplementationStatus(shuffled)).toBe(deriveImplementationStatus(statuses));
      }),
      SETTINGS,
    );
  });

  it('ignores cancelled actions', () => {
    fc.assert(
      fc.property(actions, fc.nat(), (statuses, at) => {
        const withCancelled = [...statuses];
        withCancelled.splice(at % (statuses.length + 1), 0, 'cancelled');
        expect(deriveImplementationStatus(withCancelled)).toBe(deriveImplementationStatus(statuses));
      }),
      SETTINGS,
    );
  });

  it('never goes back when an open action is completed, or when waiting work is taken on', () => {
    fc.assert(
      fc.property(
        actions,
        fc.nat(),
        fc.constantFrom<RollupActionStatus>('acknowledged', 'in_progress', 'blocked', 'completed'),
        (statuses, pick, next) => {
          const open = statuses.flatMap((status, index) => (OPEN.includes(status) ? [index] : []));
          fc.pre(open.length > 0);
          const index = open[pick % open.length];
          fc.pre(next === 'completed' || WAITING.includes(statuses[index]));
          const after = statuses.map((status, i) => (i === index ? next : status));
          expect(progress(after)).toBeGreaterThanOrEqual(progress(statuses));
        },
      ),
      SETTINGS,
    );
  });

  it('never moves forward when a new action is planned, and is implemented only with nothing open', () => {
    fc.assert(
      fc.property(actions, fc.constantFrom(...WAITING), (statuses, added) => {
        const after = deriveImplementationStatus([...statuses, added]);
        expect(PROGRESS[after]).toBeLessThanOrEqual(progress(statuses));
        expect(after).not.toBe('implemented');
      }),
      SETTINGS,
    );
  });

  it('says implemented exactly when some action is completed and every other one is cancelled or completed', () => {
    fc.assert(
      fc.property(actions, (statuses) => {
        const implemented =
          statuses.includes('completed') &&
          statuses.every((status) => status === 'completed' || status === 'cancelled');
        expect(deriveImplementationStatus(statuses) === 'implemented').toBe(implemented);
      }),
      SETTINGS,
    );
  });

  it('never derives "no longer applicable"', () => {
    fc.assert(
      fc.property(actions, (statuses) => {
        expect(deriveImplementationStatus(statuses)).not.toBe('no_longer_applicable');
      }),
      SETTINGS,
    );
  });
});
