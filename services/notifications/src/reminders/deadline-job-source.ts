import { newCorrelationId, type JobSource, type PlannedJob, type PlanningWindow } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import type { AlertSettings } from './alert-settings';
import { deadlineJobId, deadlineJobName, DeadlineJobNames, type DeadlineJobData } from './deadline-jobs';
import { dueWindow, runFrom, type HorizonSettings } from './horizon-settings';
import { planDeadlineJobs, type PlannedDeadlineJob } from './reminder-plan';

const PAGE = 1_000;
/** Far enough ahead that a plan holds every job there can be: one per offset. */
const FAR_AHEAD_MS = 100 * 365 * 86_400_000;

/** A planned reminder or escalation as a BullMQ job of the `deadlines` queue. */
export function deadlineJob(
  actionId: string,
  dueAt: Date,
  job: PlannedDeadlineJob,
  correlationId: string,
): PlannedJob<DeadlineJobData> {
  return {
    id: deadlineJobId(actionId, job),
    kind: deadlineJobName(job.kind),
    data: { actionId, dueAt: dueAt.toISOString(), offsetSeconds: job.offsetSeconds, correlationId },
    runAt: job.runAt,
    row: actionId,
  };
}

/**
 * What the `deadlines` queue must hold: for each offset of the plan (reminders before the due date,
 * on the day, each escalation step after it), the open deadlines whose job at that offset runs
 * within the horizon and is not yet in reminders_sent. Each offset is one range scan of the partial
 * index `deadlines_open_due_at`: a pass over a million deadlines reads only the horizon's slice.
 */
export class DeadlineJobSource implements JobSource<DeadlineJobData> {
  readonly kinds = Object.values(DeadlineJobNames);

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AlertSettings,
    private readonly horizon: HorizonSettings,
  ) {}

  /** Every offset the plan can hold (negative: after the due date). */
  offsets(now: Date): number[] {
    const far = new Date(now.getTime() + FAR_AHEAD_MS);
    return planDeadlineJobs(far, now, this.settings).map((job) => job.offsetSeconds);
  }

  async *expected({ now, until }: PlanningWindow): AsyncIterable<PlannedJob<DeadlineJobData>> {
    const correlationId = newCorrelationId();
    for (const offset of this.offsets(now)) {
      const { dueAfter, dueUntil } = dueWindow(offset, runFrom(offset, now, this.horizon), until);
      let after: { dueAt: Date; actionId: string } | null = null;
      for (;;) {
        const rows: Array<{ action_id: string; due_at: Date }> = await this.dataSource.query(
          `SELECT d.action_id, d.due_at FROM deadlines d
            WHERE d.open AND d.due_at > $1 AND d.due_at <= $2
              AND ($3::timestamptz IS NULL OR (d.due_at, d.action_id) > ($3::timestamptz, $4::uuid))
              AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                               WHERE r.action_id = d.action_id AND r.due_at = d.due_at AND r.offset_seconds = $5)
            ORDER BY d.due_at, d.action_id
            LIMIT ${PAGE}`,
          [dueAfter, dueUntil, after?.dueAt ?? null, after?.actionId ?? null, offset],
        );
        for (const row of rows) {
          const job = planDeadlineJobs(row.due_at, now, this.settings).find(
            (planned) => planned.offsetSeconds === offset,
          );
          if (job) yield deadlineJob(row.action_id, row.due_at, job, correlationId);
        }
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1];
        after = { dueAt: last.due_at, actionId: last.action_id };
      }
    }
  }
}
