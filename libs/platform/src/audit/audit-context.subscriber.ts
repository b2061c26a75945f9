import { EventSubscriber, type EntitySubscriberInterface, type TransactionStartEvent } from 'typeorm';
import { currentContext } from '../observability/correlation';
import { LONE_SURROGATE_ALL } from '../http/strings';
import { AUDIT_CONTEXT_SETTING } from './audit-sql';

/**
 * Hands the acting principal, correlation and client of the current request or event to the audit
 * row triggers, for this transaction only: a pooled connection never carries it to the next one.
 */
@EventSubscriber() // listed in the data source's options, which is what makes TypeORM use it
export class AuditContextSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const context = currentContext();
    if (!context) return;
    const audit = {
      actorKind: context.actor?.kind,
      actorId: clean(context.actor?.id),
      actorName: clean(context.actor?.name),
      actorInstitution: clean(context.actor?.institution),
      correlationId: context.correlationId,
      causationId: clean(context.causationId),
      clientAddress: clean(context.client?.address),
      userAgent: clean(context.client?.userAgent),
    };
    await event.queryRunner.query(`SELECT set_config($1, $2, true)`, [
      AUDIT_CONTEXT_SETTING,
      JSON.stringify(audit),
    ]);
  }
}

/** jsonb refuses NUL and lone surrogates; a trail entry needs no more than 512 characters of any of these. */
export function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value
    .replace(/\p{Cc}/gu, ' ')
    .replace(LONE_SURROGATE_ALL, '\ufffd')
    .slice(0, 512);
}
