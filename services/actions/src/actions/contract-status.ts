import { ActionStatus as ContractStatus } from '@nmirf/contracts';
import type { ActionStatus } from './action-status';

/** Each status as events carry it. */
export const contractStatus: Record<ActionStatus, ContractStatus> = {
  proposed: ContractStatus.PROPOSED,
  assigned: ContractStatus.ASSIGNED,
  acknowledged: ContractStatus.ACKNOWLEDGED,
  declined: ContractStatus.DECLINED,
  in_progress: ContractStatus.IN_PROGRESS,
  blocked: ContractStatus.BLOCKED,
  completed: ContractStatus.COMPLETED,
  cancelled: ContractStatus.CANCELLED,
};
