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
 * that locks the deadline, writes only what its recipients lack and records the alert in
 * reporting_reminders_sent, so however often a job runs (retries, duplicates after a Redis loss) an
 * alert reaches each inbox once per due day.
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

  /**
   * Writes the notifications of one alert that their recipients do not have yet for this due day. The
   * deadline's lock serializes the jobs of one deadline, so none is written twice; an institution that
   * joins later (an indicator's new lead) still gets the alert when its job runs again for that day.
   */
  private send(
    alert: ReportingAlert,
    notificationsFor: (current: Current) => NewNotification[],
  ): Promise<ReportingAlertOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, alert);
      if (!current) return 'stale';
      const notifications = notificationsFor(current);
      if (notifications.length === 0) return 'stale';
      const reached = await this.alreadyReached(manager, alert, notifications[0].kind);
      const fresh = notifications.filter((notification) => !reached.has(notification.institution));
      if (fresh.length === 0) return 'already-sent';
      await manager.query(
        `INSERT INTO reporting_reminders_sent (subject_kind, subject_id, offset_seconds, due_on, notification_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [alert.subjectKind, alert.subjectId, alert.offsetSeconds, alert.dueOn, fresh[0].id],
      );
      await addNotifications(manager, fresh);
      return 'sent';
    });
  }

  /** Institutions that already have this alert (kind, due day, offset) about this subject. */
  private async alreadyReached(
    manager: EntityManager,
    alert: ReportingAlert,
    kind: NewNotification['kind'],
  ): Promise<Set<string>> {
    const rows: Array<{ institution: string; params: { dueOn?: string; offsetSeconds?: number } }> =
      await manager.query(
        `SELECT institution, params FROM notifications WHERE subject_kind = $1 AND subject_id = $2 AND kind = $3`,
        [alert.subjectKind, alert.subjectId, kind],
      );
    const offset = kind === 'indicator_overdue' ? undefined : alert.offsetSeconds;
    return new Set(
      rows
        .filter((row) => row.params.dueOn === alert.dueOn && row.params.offsetSeconds === offset)
        .map((row) => row.institution),
    );
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
