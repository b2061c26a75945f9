import type { ImplementationOverride } from './implementation-override.entity';
import type { ImplementationStatusChange } from './implementation-events';
import type { ImplementationStore, RecordedImplementationStatus } from './implementation-repository';
import type { ImplementationStatus, RollupActionStatus } from './implementation-status';
import { recomputeWith } from './recompute-implementation-status';

const REC = '6f1d2c3b-0000-4000-8000-000000000001';

/** The store in memory, logging the order of the calls that matter. */
class MemoryStore implements ImplementationStore {
  statuses: string[] = [];
  overridden: Pick<ImplementationOverride, 'status' | 'justification'> | null = null;
  saved: RecordedImplementationStatus | null = null;
  readonly calls: string[] = [];

  async lockRecommendation(): Promise<boolean> {
    this.calls.push('lock');
    return true;
  }
  async actionStatuses(): Promise<RollupActionStatus[]> {
    this.calls.push('actions');
    return this.statuses as RollupActionStatus[];
  }
  async override(): Promise<ImplementationOverride | null> {
    return this.overridden as ImplementationOverride | null;
  }
  async recorded(): Promise<RecordedImplementationStatus | null> {
    return this.saved;
  }
  async record(_: string, status: RecordedImplementationStatus): Promise<void> {
    this.calls.push('record');
    this.saved = { ...status };
  }
}

describe('recomputing a recommendation’s implementation status', () => {
  let store: MemoryStore;
  let published: ImplementationStatusChange[];
  const recompute = () => recomputeWith(store, async (change) => published.push(change), REC);

  beforeEach(() => {
    store = new MemoryStore();
    published = [];
  });

  it('publishes nothing for a recommendation without actions: consumers already assume not started', async () => {
    expect(await recompute()).toEqual({ derived: 'not_started', effective: 'not_started', published: null });
    expect(store.saved).toBeNull();
    expect(published).toEqual([]);
  });

  it('locks the recommendation before reading its actions', async () => {
    store.statuses = ['in_progress'];
    await recompute();
    expect(store.calls).toEqual(['lock', 'actions', 'record']);
  });

  it('publishes each change of the status, with the one before, and keeps it', async () => {
    store.statuses = ['in_progress', 'not_started'];
    await recompute();
    store.statuses = ['completed', 'not_started'];
    await recompute();
    store.statuses = ['completed', 'cancelled'];
    await recompute();
    expect(published).toEqual([
      change('in_progress', 'not_started', 'in_progress'),
      change('partially_implemented', 'in_progress', 'partially_implemented'),
      change('implemented', 'partially_implemented', 'implemented'),
    ]);
    expect(store.saved).toEqual({ derived: 'implemented', effective: 'implemented' });
  });

  it('publishes nothing when the actions change but the status does not', async () => {
    store.statuses = ['in_progress'];
    await recompute();
    store.statuses = ['in_progress', 'blocked', 'not_started'];
    expect((await recompute()).published).toBeNull();
    expect(published).toHaveLength(1);
    expect(store.calls.filter((call) => call === 'record')).toHaveLength(1);
  });

  it('publishes an override with its justification, and nothing while the actions move under it', async () => {
    store.statuses = ['in_progress'];
    await recompute();
    store.overridden = { status: 'no_longer_applicable', justification: 'The law was repealed in 2025.' };
    const overridden = await recompute();
    expect(overridden.published).toEqual({
      ...change('no_longer_applicable', 'in_progress', 'in_progress'),
      override: { justification: 'The law was repealed in 2025.' },
    });
    store.statuses = ['completed'];
    const moved = await recompute();
    expect(moved).toEqual({ derived: 'implemented', effective: 'no_longer_applicable', published: null });
    // The derived status is kept even when it is not in force, so lifting the override compares right.
    expect(store.saved).toEqual({ derived: 'implemented', effective: 'no_longer_applicable' });
    store.overridden = null;
    expect((await recompute()).published).toEqual(
      change('implemented', 'no_longer_applicable', 'implemented'),
    );
  });

  it('publishes nothing when an override agrees with what is already in force', async () => {
    store.statuses = ['completed'];
    await recompute();
    store.overridden = { status: 'implemented', justification: 'Confirmed by the Ombudsman’s report.' };
    expect((await recompute()).published).toBeNull();
    expect(published).toHaveLength(1);
  });

  it('refuses an action status the rule does not know, publishing nothing', async () => {
    store.statuses = ['in_progress', 'archived'];
    await expect(recompute()).rejects.toThrow('Action status "archived" has no place in the roll-up');
    expect(store.saved).toBeNull();
    expect(published).toEqual([]);
  });
});

function change(
  status: ImplementationStatus,
  previousStatus: ImplementationStatus,
  derivedStatus: ImplementationStatus,
): ImplementationStatusChange {
  return { recommendationId: REC, status, previousStatus, derivedStatus, override: null };
}
