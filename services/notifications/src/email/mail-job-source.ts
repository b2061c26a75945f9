import { newCorrelationId, type JobSource, type PlannedJob, type PlanningWindow } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import { MailJobs, sendMailJobId, type MailJobData } from './mail-jobs';

const PAGE = 1_000;

/**
 * What the mail queue must hold: one `send-mail` job per pending delivery, due now. A job lost from
 * Redis, or one that failed for good while the delivery stayed pending (PostgreSQL down on its last
 * attempt), is put back by the next pass; a delivery sent or failed is no longer expected.
 */
export class MailJobSource implements JobSource<MailJobData> {
  readonly kinds = [MailJobs['send-mail']];

  constructor(private readonly dataSource: DataSource) {}

  async *expected({ now }: PlanningWindow): AsyncIterable<PlannedJob<MailJobData>> {
    const correlationId = newCorrelationId();
    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      // Keyset pages over the pending deliveries, oldest first (the deliveries_pending index).
      const rows = (await this.dataSource.query(
        `SELECT id, created_at::text AS created_at
           FROM deliveries
          WHERE status = 'pending'
            AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
          ORDER BY created_at, id
          LIMIT ${PAGE}`,
        [after?.createdAt ?? null, after?.id ?? null],
      )) as Array<{ id: string; created_at: string }>;
      for (const row of rows) {
        yield {
          id: sendMailJobId(row.id),
          kind: MailJobs['send-mail'],
          data: { deliveryId: row.id, correlationId },
          runAt: now,
          row: `delivery/${row.id}`,
        };
      }
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1];
      after = { createdAt: last.created_at, id: last.id };
    }
  }
}
