import { EventSubscriber, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { currentContext } from '../observability/correlation';

/**
 * Records a request's Idempotency-Key in the first transaction the request commits, together with
 * its change. A twin of the request running at the same moment then fails on the key's primary key
 * instead of applying a second time, and a retry after a crash finds the key: the change is there.
 */
@EventSubscriber() // listed in the data source's options, which is what makes TypeORM use it
export class IdempotencyKeySubscriber implements EntitySubscriberInterface {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const idempotency = currentContext()?.idempotency;
    if (!idempotency || idempotency.recorded) return;
    await event.queryRunner.query(`INSERT INTO idempotency_key (key, request_hash) VALUES ($1, $2)`, [
      idempotency.key,
      idempotency.requestHash,
    ]);
    idempotency.recorded = true;
  }
}
