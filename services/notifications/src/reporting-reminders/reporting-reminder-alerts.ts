import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ReportingDeadline } from '../calendar-events/reporting-deadline.entity';
import { IndicatorDeadline } from '../indicator-events/indicator-deadline.entity';
import { addNotifications } from '../inbox/add-notifications';
import type { NewNotification } from '../inbox/notification-kind';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { escalationOffset } from '../reminders/reminder-plan';
import type { ReminderSubjectKind } from './reporting-reminder-plan';

/** A reminder or overdue notice as a job asks for it. */
export interface ReportingAlert {
  subjectKind: ReminderSubjectKind;
  subjectId: string;
  dueOn: string;
  offsetSeconds: number;
}

/** `stale`: the deadline closed or moved since the job was planned; nothing to do. */
export type ReportingAlertOutcome = 'sent' | 'already-sent' | 'stale';

/** Thrown so the job is retried: the event that records the deadline may not have committed yet. */
export class ReminderSubjectNotRecordedError extends Error {
  constructor(alert: ReportingAlert) {
    super(`The ${alert.subjectKind} ${alert.subjectId} is not recorded yet`);
  }
}

type Current =
  | { kind: 'reporting_deadline'; deadline: ReportingDeadline }
  | { kind: 'indicator'; indicator: IndicatorDeadline };

/**
 * Sends the reminders of reporting deadlines (to the coordinator) and of indicators (to the
 * institutions that report them), and an indicator's overdue notice. Each runs in one transaction
 * that locks the deadline and records the alert in reporting_reminders_sent first, so however often a
 * job runs (retries, duplicates after a Redis loss) an alert reaches an inbox once per due day.
 */
@Injectable()
export class ReportingReminderAlerts {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
  ) {}

  async sendReminder(alert: ReportingAlert): Promise<ReportingAlertOutcome> {
    // An offset taken out of REMINDER_OFFSETS since the job was planned.
    if (!this.settings.offsetsSeconds.includes(alert.offsetSeconds)) return 'stale';
    return this.send(alert, (current) =>
      current.kind === 'reporting_deadline'
        ? this.reportingReminder(current.deadline, alert.offsetSeconds)
        : this.indicatorReminder(current.indicator, alert.offsetSeconds),
    );
  }

  /** An indicator whose reporting day passed without a measurement (a measurement moves the day). */
  async sendOverdue(alert: ReportingAlert): Promise<ReportingAlertOutcome> {
    if (alert.subjectKind !== 'indicator' || alert.offsetSeconds !== escalationOffset(this.settings))
      return 'stale';
    return this.send(alert, (current) =>
      current.kind === 'indicator' ? this.indicatorOverdue(current.indicator) : [],
    );
  }

  private send(
    alert: ReportingAlert,
    notificationsFor: (current: Current) => NewNotification[],
  ): Promise<ReportingAlertOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, alert);
      if (!current) return 'stale';
      const notifications = notificationsFor(current);
      if (notifications.length === 0) return 'stale';
      const inserted: unknown[] = await manager.query(
        `INSERT INTO reporting_reminders_sent (subject_kind, subject_id, offset_seconds, due_on, notification_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING subject_id`,
        [alert.subjectKind, alert.subjectId, alert.offsetSeconds, alert.dueOn, notifications[0].id],
      );
      if (inserted.length === 0) return 'already-sent';
      await addNotifications(manager, notifications);
      return 'sent';
    });
  }

  /** The deadline, locked until commit, if the job is still about it; null if the job is stale. */
  private async lockCurrent(manager: EntityManager, alert: ReportingAlert): Promise<Current | null> {
    const lock = { mode: 'pessimistic_write' } as const;
    if (alert.subjectKind === 'reporting_deadline') {
      const deadline = await manager.findOne(ReportingDeadline, {
        where: { deadlineId: alert.subjectId },
        lock,
      });
      if (!deadline) throw new ReminderSubjectNotRecordedError(alert);
      if (!deadline.open || deadline.dueOn !== alert.dueOn) return null;
      return { kind: 'reporting_deadline', deadline };
    }
    const indicator = await manager.findOne(IndicatorDeadline, {
      where: { indicatorId: alert.subjectId },
      lock,
    });
    if (!indicator) throw new ReminderSubjectNotRecordedError(alert);
    if (indicator.dueOn !== alert.dueOn) return null;
    // A completed or cancelled action's indicators are no longer reported.
    if (indicator.subjectKind === 'action') {
      const [closed] = await manager.query(`SELECT 1 FROM deadlines WHERE action_id = $1 AND NOT open`, [
        indicator.subjectId,
      ]);
      if (closed) return null;
    }
    return { kind: 'indicator', indicator };
  }

  private reportingReminder(deadline: ReportingDeadline, offsetSeconds: number): NewNotification[] {
    return [
      {
        id: randomUUID(),
        institution: deadline.institution,
        kind: 'reporting_deadline_reminder',
        subjectKind: 'reporting_deadline',
        subjectId: deadline.deadlineId,
        params: {
          titleKey: deadline.titleKey,
          titleParams: deadline.titleParams,
          deadlineKind: deadline.kind,
          dueOn: deadline.dueOn,
          offsetSeconds,
        },
        sourceEventId: null,
      },
    ];
  }

  /** To each institution that reports it; with none (a recommendation no action serves yet), the coordinator. */
  private indicatorReminder(indicator: IndicatorDeadline, offsetSeconds: number): NewNotification[] {
    const recipients =
      indicator.institutions.length > 0 ? indicator.institutions : [this.settings.coordinatorInstitution];
    return recipients.map((institution) => ({
      id: randomUUID(),
      institution,
      kind: 'indicator_reminder' as const,
      subjectKind: 'indicator' as const,
      subjectId: indicator.indicatorId,
      params: {
        name: indicator.name,
        dueOn: indicator.dueOn,
        offsetSeconds,
        subjectKind: indicator.subjectKind,
        subjectId: indicator.subjectId,
      },
      sourceEventId: null,
    }));
  }

  /** To the institutions that report it and to the coordinator, as for an overdue action. */
  private indicatorOverdue(indicator: IndicatorDeadline): NewNotification[] {
    const recipients = [...new Set([...indicator.institutions, this.settings.coordinatorInstitution])];
    return recipients.map((institution) => ({
      id: randomUUID(),
      institution,
      kind: 'indicator_overdue' as const,
      subjectKind: 'indicator' as const,
      subjectId: indicator.indicatorId,
      params: {
        name: indicator.name,
        dueOn: indicator.dueOn,
        subjectKind: indicator.subjectKind,
        subjectId: indicator.subjectId,
        institutions: indicator.institutions,
      },
      sourceEventId: null,
    }));
  }
}
