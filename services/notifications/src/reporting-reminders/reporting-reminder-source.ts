import { newCorrelationId, type JobSource, type PlannedJob, type PlanningWindow } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import { dueWindow, runFrom, type HorizonSettings } from '../reminders/horizon-settings';
import type { ReminderSettings } from '../reminders/reminder-plan';
import {
  planReminderJobs,
  REMINDER_SUBJECT_KINDS,
  type ReminderSubjectKind,
} from './reporting-reminder-plan';
import {
  reportingReminderJobId,
  reportingReminderJobName,
  ReportingReminderJobNames,
  type ReportingReminderJobData,
} from './reporting-reminder-jobs';
import type { PlannedDeadlineJob } from '../reminders/reminder-plan';

const PAGE = 1_000;
const DAY_MS = 86_400_000;
const FAR_AHEAD = '2100-01-01';

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

const day = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** A planned reminder or overdue notice as a BullMQ job of the `reporting-reminders` queue. */
export function reportingReminderJob(
  subjectKind: ReminderSubjectKind,
  subjectId: string,
  dueOn: string,
  job: PlannedDeadlineJob,
  correlationId: string,
): PlannedJob<ReportingReminderJobData> {
  return {
    id: reportingReminderJobId(subjectKind, subjectId, job),
    kind: reportingReminderJobName(subjectKind, job.kind),
    data: { subjectKind, subjectId, dueOn, offsetSeconds: job.offsetSeconds, correlationId },
    runAt: job.runAt,
    row: `${subjectKind}/${subjectId}`,
  };
}

/**
 * What the `reporting-reminders` queue must hold: for each kind and each offset of its plan, the
 * open deadlines whose job at that offset runs within the horizon and is not yet in
 * reporting_reminders_sent; one range scan of the due-day index per offset.
 */
export class ReportingReminderSource implements JobSource<ReportingReminderJobData> {
  readonly kinds = Object.values(ReportingReminderJobNames);

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ReminderSettings,
    private readonly horizon: HorizonSettings,
  ) {}

  async *expected({ now, until }: PlanningWindow): AsyncIterable<PlannedJob<ReportingReminderJobData>> {
    const correlationId = newCorrelationId();
    for (const kind of REMINDER_SUBJECT_KINDS) {
      const offsets = planReminderJobs(kind, FAR_AHEAD, now, this.settings).map((job) => job.offsetSeconds);
      for (const offset of offsets) {
        const { dueAfter, dueUntil } = dueWindow(offset, runFrom(offset, now, this.horizon), until);
        // Days fall due at 00:00 UTC: the first day after `dueAfter`, to the last one at or before `dueUntil`.
        const first = day(Math.floor(dueAfter.getTime() / DAY_MS) * DAY_MS + DAY_MS);
        const last = day(Math.floor(dueUntil.getTime() / DAY_MS) * DAY_MS);
        yield* this.window(kind, offset, first, last, now, correlationId);
      }
    }
  }

  private async *window(
    kind: ReminderSubjectKind,
    offset: number,
    first: string,
    last: string,
    now: Date,
    correlationId: string,
  ): AsyncIterable<PlannedJob<ReportingReminderJobData>> {
    if (first > last) return;
    const subject = SUBJECTS[kind];
    let after: { dueOn: string; id: string } | null = null;
    for (;;) {
      const rows: Array<{ id: string; due_on: string }> = await this.dataSource.query(
        `SELECT ${subject.id} AS id, to_char(s.due_on, 'YYYY-MM-DD') AS due_on FROM ${subject.from}
          WHERE ${subject.open} AND s.due_on >= $1::date AND s.due_on <= $2::date
            AND ($3::date IS NULL OR (s.due_on, ${subject.id}) > ($3::date, $4::uuid))
            AND NOT EXISTS (SELECT 1 FROM reporting_reminders_sent r
                             WHERE r.subject_kind = $5 AND r.subject_id = ${subject.id}
                               AND r.due_on = s.due_on AND r.offset_seconds = $6)
          ORDER BY s.due_on, ${subject.id}
          LIMIT ${PAGE}`,
        [first, last, after?.dueOn ?? null, after?.id ?? null, kind, offset],
      );
      for (const row of rows) {
        const job = planReminderJobs(kind, row.due_on, now, this.settings).find(
          (planned) => planned.offsetSeconds === offset,
        );
        if (job) yield reportingReminderJob(kind, row.id, row.due_on, job, correlationId);
      }
      if (rows.length < PAGE) return;
      const lastRow = rows[rows.length - 1];
      after = { dueOn: lastRow.due_on, id: lastRow.id };
    }
  }
}
