import { Inject, Injectable, Logger } from '@nestjs/common';
import { dependencyUnavailable, newCorrelationId, runWithContext } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from './alert-settings';
import { DeadlineJobQueue } from './deadline-job-queue';
import { planDeadlineJobs } from './reminder-plan';

export interface ReconcileResult {
  openDeadlines: number;
  added: number;
  replaced: number;
  /** Jobs of a closed deadline, or of a due date since moved, that an after-commit cancel missed. */
  removed: number;
  /** Deadlines whose jobs could not be restored; the next round tries them again. */
  failed: number;
}

interface OpenDeadlineRow {
  action_id: string;
  due_at: Date;
  sent_offsets: number[];
}

const BATCH = 500;

/**
 * Rebuilds the `deadlines` queue from PostgreSQL: every open deadline gets each planned job whose
 * alert is not yet in reminders_sent. Redis can then be lost, or an after-commit reschedule fail,
 * without a reminder going missing.
 */
@Injectable()
export class ReminderReconciler {
  private readonly logger = new Logger(ReminderReconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: DeadlineJobQueue,
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
  ) {}

  async reconcile(now: Date = new Date()): Promise<ReconcileResult> {
    const correlationId = newCorrelationId();
    return runWithContext(
      { correlationId, causationId: correlationId, actor: { kind: 'system', id: 'reminder-reconciler' } },
      async () => {
        const result: ReconcileResult = { openDeadlines: 0, added: 0, replaced: 0, removed: 0, failed: 0 };
        let after: string | null = null;
        for (;;) {
          const rows = await this.openDeadlines(after);
          for (const row of rows) {
            try {
              await this.restoreDeadline(row, now, correlationId, result);
            } catch (error) {
              // Redis or PostgreSQL down fails every row alike: end the round, it is retried whole.
              if (dependencyUnavailable(error)) throw error;
              result.failed += 1;
              this.logger.warn({
                msg: 'deadline jobs not restored; next round retries',
                actionId: row.action_id,
                error: (error as Error).message,
              });
            }
          }
          result.openDeadlines += rows.length;
          if (rows.length < BATCH) break;
          after = rows[rows.length - 1].action_id;
        }
        await this.removeStaleJobs(result);
        this.logger.log({ msg: 'deadline jobs reconciled', ...result });
        return result;
      },
    );
  }

  /**
   * Restores one deadline's jobs from its row as it is now, read under a share lock: a due date that
   * changes meanwhile waits for this to finish, and its own reschedule then replaces these jobs. Read
   * without the lock, a reconciler could re-add a job for a due date that had just been moved.
   */
  private async restoreDeadline(
    row: OpenDeadlineRow,
    now: Date,
    correlationId: string,
    result: ReconcileResult,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [current]: OpenDeadlineRow[] = await manager.query(
        `SELECT d.action_id, d.due_at,
                COALESCE((SELECT array_agg(r.offset_seconds) FROM reminders_sent r
                           WHERE r.action_id = d.action_id AND r.due_at = d.due_at), '{}') AS sent_offsets
           FROM deadlines d WHERE d.action_id = $1 AND d.open FOR SHARE`,
        [row.action_id],
      );
      if (!current) return; // closed meanwhile
      const sent = new Set(current.sent_offsets);
      for (const job of planDeadlineJobs(current.due_at, now, this.settings)) {
        if (sent.has(job.offsetSeconds)) continue;
        const outcome = await this.queue.restore(current.action_id, current.due_at, job, correlationId);
        if (outcome !== 'present') result[outcome] += 1;
      }
    });
  }

  /**
   * The other direction: a pending job whose deadline is closed or has another due date goes. Each is
   * checked again under the deadline's share lock, so a deadline reopened meanwhile keeps its new jobs.
   */
  private async removeStaleJobs(result: ReconcileResult): Promise<void> {
    for await (const page of this.queue.pendingJobs()) {
      const current: Array<{ action_id: string; due_at: Date }> = await this.dataSource.query(
        `SELECT action_id, due_at FROM deadlines WHERE open AND action_id = ANY($1::uuid[])`,
        [[...new Set(page.map((job) => job.actionId))]],
      );
      const dueAt = new Map(current.map((row) => [row.action_id, row.due_at.toISOString()]));
      for (const job of page.filter((candidate) => dueAt.get(candidate.actionId) !== candidate.dueAt)) {
        await this.dataSource.transaction(async (manager) => {
          const [row] = await manager.query(
            `SELECT due_at FROM deadlines WHERE action_id = $1 AND open FOR SHARE`,
            [job.actionId],
          );
          if (row && (row.due_at as Date).toISOString() === job.dueAt) return;
          if (await this.queue.removeIfFor(job.id, job.dueAt)) result.removed += 1;
        });
      }
    }
  }

  /** A page of open deadlines with the alerts already sent for their current due date. */
  private openDeadlines(after: string | null): Promise<OpenDeadlineRow[]> {
    return this.dataSource.query(
      `SELECT d.action_id, d.due_at,
              COALESCE(array_agg(r.offset_seconds) FILTER (WHERE r.offset_seconds IS NOT NULL), '{}') AS sent_offsets
         FROM deadlines d
         LEFT JOIN reminders_sent r ON r.action_id = d.action_id AND r.due_at = d.due_at
        WHERE d.open AND ($1::uuid IS NULL OR d.action_id > $1::uuid)
        GROUP BY d.action_id, d.due_at
        ORDER BY d.action_id
        LIMIT ${BATCH}`,
      [after],
    );
  }
}
