import { ImplementationStatus as ContractStatus } from '@nmirf/contracts';
import type { PendingEvent } from '@nmirf/platform';
import type { ImplementationStatus } from './implementation-status';

const contractStatus: Record<ImplementationStatus, ContractStatus> = {
  not_started: ContractStatus.NOT_STARTED,
  in_progress: ContractStatus.IN_PROGRESS,
  partially_implemented: ContractStatus.PARTIALLY_IMPLEMENTED,
  implemented: ContractStatus.IMPLEMENTED,
  no_longer_applicable: ContractStatus.NO_LONGER_APPLICABLE,
};

/** A change of the status in force, as RecommendationImplementationStatusChanged carries it. */
export interface ImplementationStatusChange {
  recommendationId: string;
  status: ImplementationStatus;
  previousStatus: ImplementationStatus;
  derivedStatus: ImplementationStatus;
  /** The coordinator's justification when the status is overridden. */
  override: { justification: string } | null;
}

export function implementationStatusChanged(change: ImplementationStatusChange): PendingEvent {
  return {
    case: 'recommendationImplementationStatusChanged',
    aggregateId: change.recommendationId,
    payload: {
      recommendationId: change.recommendationId,
      status: contractStatus[change.status],
      previousStatus: contractStatus[change.previousStatus],
      derivedStatus: contractStatus[change.derivedStatus],
      overridden: change.override !== null,
      justification: change.override?.justification ?? '',
    },
  };
}
