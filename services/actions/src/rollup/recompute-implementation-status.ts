import type { EventOutbox } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { implementationStatusChanged, type ImplementationStatusChange } from './implementation-events';
import { ImplementationRepository, type ImplementationStore } from './implementation-repository';
import {
  deriveImplementationStatus,
  effectiveImplementationStatus,
  type DerivedImplementationStatus,
  type ImplementationStatus,
} from './implementation-status';

export interface ImplementationSnapshot {
  derived: DerivedImplementationStatus;
  effective: ImplementationStatus;
  /** The change published by this recomputation, if the status in force changed. */
  published: ImplementationStatusChange | null;
}

/** Before any event, a recommendation is not started: consumers assume the same. */
const UNPUBLISHED = { derived: 'not_started', effective: 'not_started' } as const;

/**
 * Works the recommendation's implementation status out again from its actions and the override, keeps
 * it, and publishes a change of the status in force. Runs in the transaction of the change that may
 * have moved it (an action's status, a new action, an override), so the event commits with it.
 */
export async function recomputeWith(
  store: ImplementationStore,
  publish: (change: ImplementationStatusChange) => Promise<unknown>,
  recommendationId: string,
): Promise<ImplementationSnapshot> {
  await store.lockRecommendation(recommendationId);
  const statuses = await store.actionStatuses(recommendationId);
  const derived = deriveImplementationStatus(statuses);
  const override = await store.override(recommendationId);
  const effective = effectiveImplementationStatus(derived, override?.status);
  const recorded = (await store.recorded(recommendationId)) ?? UNPUBLISHED;
  if (recorded.derived === derived && recorded.effective === effective) {
    return { derived, effective, published: null };
  }
  await store.record(recommendationId, { derived, effective });
  if (recorded.effective === effective) return { derived, effective, published: null };
  const change: ImplementationStatusChange = {
    recommendationId,
    status: effective,
    previousStatus: recorded.effective,
    derivedStatus: derived,
    override: override ? { justification: override.justification } : null,
  };
  await publish(change);
  return { derived, effective, published: change };
}

/**
 * The roll-up in `manager`'s transaction, publishing through the outbox. Call it wherever an action's
 * status, or the recommendation it serves, changes.
 */
export function recomputeImplementationStatus(
  manager: EntityManager,
  outbox: EventOutbox,
  recommendationId: string,
): Promise<ImplementationSnapshot> {
  return recomputeWith(
    new ImplementationRepository(manager),
    (change) => outbox.append(manager, implementationStatusChanged(change)),
    recommendationId,
  );
}
