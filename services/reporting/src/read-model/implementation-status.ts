import { ImplementationStatus as ContractStatus } from '@nmirf/contracts';

/** How far a recommendation is implemented, as the actions service rolls it up from its actions. */
export const IMPLEMENTATION_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

const fromContract: Partial<Record<ContractStatus, ImplementationStatus>> = {
  [ContractStatus.NOT_STARTED]: 'not_started',
  [ContractStatus.IN_PROGRESS]: 'in_progress',
  [ContractStatus.PARTIALLY_IMPLEMENTED]: 'partially_implemented',
  [ContractStatus.IMPLEMENTED]: 'implemented',
  [ContractStatus.NO_LONGER_APPLICABLE]: 'no_longer_applicable',
};

/** Undefined for UNSPECIFIED or a value newer than this build. */
export function implementationStatusFromContract(status: ContractStatus): ImplementationStatus | undefined {
  return fromContract[status];
}
