import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope } from '@nmirf/contracts';
import type { EntityManager } from 'typeorm';

export interface MessagePosition {
  topic: string;
  partition: number;
  offset: string;
}

export type AfterCommit = () => Promise<unknown>;

/**
 * What a handler gets besides the event: the transaction in which the event id is recorded. Work
 * done through `manager` commits together with that record, so a redelivered event has no second effect.
 */
export class EventContext extends BaseRpcContext<
  [EventEnvelope, EntityManager, MessagePosition, AfterCommit[]]
> {
  get envelope(): EventEnvelope {
    return this.getArgByIndex(0);
  }
  get manager(): EntityManager {
    return this.getArgByIndex(1);
  }
  get position(): MessagePosition {
    return this.getArgByIndex(2);
  }
  /**
   * Runs `work` once the transaction has committed, e.g. to schedule a BullMQ job. It is best effort:
   * a failure is logged, so what it does must be repairable from PostgreSQL (a reconciler).
   */
  afterCommit(work: AfterCommit): void {
    this.getArgByIndex(3).push(work);
  }
}
