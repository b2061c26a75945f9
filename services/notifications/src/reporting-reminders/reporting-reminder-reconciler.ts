import { Inject, Injectable, Logger } from '@nestjs/common';
import { dependencyUnavailable, newCorrelationId, runWithContext } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import {
  planReminderJobs,
  REMINDER_SUBJECT_KINDS,
  type ReminderSubjectKind,
} from './reporting-reminder-plan';
import { ReportingReminderQueue } from './reporting-reminder-queue';

export interface ReportingReconcileResult {
  /** Reporting deadlines and indicators that need reminders. */
  openDeadlines: number;
  added: number;
  replaced: number;
  /** Jobs of a closed deadline, or of a due day since moved, that an after-commit cancel missed. */
  removed: number;
  /** Deadlines whose jobs could not be restored; the next round tries them again. */
  failed: number;
}

/**
 * Where each kind's open deadlines are (alias `s`). An indicator of an action that is completed or
 * cancelled is not reminded of.
 */
const SUBJECTS: Record<ReminderSubjectKind, { from: string; id: string; open: string }> = {
  reporting_deadline: { from: 'reporting_deadlines s', id: 's.deadline_id', open: 's.open' },
  indicator: {
    from: 'indicator_deadlines s',
    id: 's.indicator_id',
    open: `NOT EXISTS (SELECT 1 FROM deadlines d
                        WHERE s.subject_kind = 'action' AND d.action_id = s.subject_id AND NOT d.open)`,
  },
};

interface OpenRow {
  id: string;
  due_on: string;
  sent_offsets: number[];
}

const BATCH = 500;

/**
 * Rebuilds the `reporting-reminders` queue from PostgreSQL: every open reporting deadline and every
 * indicator gets each planned job whose alert is not yet in reporting_reminders_sent, and pending
 * jobs of closed or moved deadlines go. Redis can then be lost, or an after-commit reschedule fail,
 * without a reminder going missing or going out for the wrong day.
 */
@Injectable()
export class ReportingReminderReconciler {
  private readonly logger = new Logger(ReportingReminderReconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: ReportingReminderQueue,
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
  ) {}

  async reconcile(now: Date = new Date()): Promise<ReportingReconcileResult> {
    const correlationId = newCorrelationId();
    return runWithContext(
      {
        correlationId,
        causationId: correlationId,
        actor: { kind: 'system', id: 'reporting-reminder-reconciler' },
      },
      async () => {
        const result: ReportingReconcileResult = {
          openDeadlines: 0,
          added: 0,
          replaced: 0,
          removed: 0,
          failed: 0,
        };
        for (const kind of REMINDER_SUBJECT_KINDS) await this.restoreKind(kind, now, correlationId, result);
        await this.removeStaleJobs(result);
        this.logger.log({ msg: 'reporting reminder jobs reconciled', ...result });
        return result;
      },
    );
  }

  private async restoreKind(
    kind: ReminderSubjectKind,
    now: Date,
    correlationId: string,
    result: ReportingReconcileResult,
  ): Promise<void> {
    const subject = SUBJECTS[kind];
    let after: string | null = null;
    for (;;) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT ${subject.id} AS id FROM ${subject.from}
          WHERE ${subject.open} AND ($1::uuid IS NULL OR ${subject.id} > $1::uuid)
          ORDER BY ${subject.id} LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        try {
          await this.restoreSubject(kind, row.id, now, correlationId, result);
        } catch (error) {
          // Redis or PostgreSQL down fails every row alike: end the round, it is retried whole.
          if (dependencyUnavailable(error)) throw error;
          result.failed += 1;
          this.logger.warn({
            msg: 'reporting reminder jobs not restored; next round retries',
            subjectKind: kind,
            subjectId: row.id,
            error: (error as Error).message,
          });
        }
      }
      result.openDeadlines += rows.length;
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * Restores one deadline's jobs from its row as it is now, read under a share lock: a due day that
   * changes meanwhile waits, and its own reschedule then replaces these jobs.
   */
  private async restoreSubject(
    kind: ReminderSubjectKind,
    id: string,
    now: Date,
    correlationId: string,
    result: ReportingReconcileResult,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lockOpen(manager, kind, id);
      if (!current) return; // closed meanwhile
      const sent = new Set(current.sent_offsets);
      for (const job of planReminderJobs(kind, current.due_on, now, this.settings)) {
        if (sent.has(job.offsetSeconds)) continue;
        const outcome = await this.queue.restore(kind, id, current.due_on, job, correlationId);
        if (outcome !== 'present') result[outcome] += 1;
      }
    });
  }

  /**
   * The other direction: a pending job whose deadline is closed or has another due day goes. A page is
   * compared in one query per kind; each candidate is checked again under the deadline's share lock,
   * so a deadline reopened or moved back meanwhile keeps its jobs.
   */
  private async removeStaleJobs(result: ReportingReconcileResult): Promise<void> {
    for await (const page of this.queue.pendingJobs()) {
      const current = new Map<string, string>();
      for (const kind of REMINDER_SUBJECT_KINDS) {
        const ids = [...new Set(page.filter((job) => job.subjectKind === kind).map((job) => job.subjectId))];
        if (ids.length === 0) continue;
        const subject = SUBJECTS[kind];
        const rows: Array<{ id: string; due_on: string }> = await this.dataSource.query(
          `SELECT ${subject.id} AS id, to_char(s.due_on, 'YYYY-MM-DD') AS due_on FROM ${subject.from}
            WHERE ${subject.open} AND ${subject.id} = ANY($1::uuid[])`,
          [ids],
        );
        for (const row of rows) current.set(`${kind}/${row.id}`, row.due_on);
      }
      const stale = page.filter((job) => current.get(`${job.subjectKind}/${job.subjectId}`) !== job.dueOn);
      for (const job of stale) {
        await this.dataSource.transaction(async (manager) => {
          const row = await this.lockOpen(manager, job.subjectKind, job.subjectId);
          if (row?.due_on === job.dueOn) return;
          if (await this.queue.removeIfFor(job.id, job.dueOn)) result.removed += 1;
        });
      }
    }
  }

  /** The open deadline under a share lock, with the alerts already sent for its current due day. */
  private async lockOpen(
    manager: EntityManager,
    kind: ReminderSubjectKind,
    id: string,
  ): Promise<OpenRow | null> {
    const subject = SUBJECTS[kind];
    if (!subject) return null;
    const [row]: OpenRow[] = await manager.query(
      `SELECT ${subject.id} AS id, to_char(s.due_on, 'YYYY-MM-DD') AS due_on,
              COALESCE((SELECT array_agg(r.offset_seconds) FROM reporting_reminders_sent r
                         WHERE r.subject_kind = $2 AND r.subject_id = ${subject.id} AND r.due_on = s.due_on),
                       '{}') AS sent_offsets
         FROM ${subject.from}
        WHERE ${subject.id} = $1 AND ${subject.open}
          FOR SHARE OF s`,
      [id, kind],
    );
    return row ?? null;
  }
}
