import { Inject, Injectable } from '@nestjs/common';
import { timestampFromDate } from '@nmirf/contracts';
import { EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { addNotifications } from '../inbox/add-notifications';
import type { NewNotification } from '../inbox/notification-kind';
import { ALERT_SETTINGS, type AlertSettings } from './alert-settings';
import { escalationStep, type EscalationStep } from './escalation-ladder';

/** A reminder or escalation as a job asks for it. */
export interface DeadlineAlert {
  actionId: string;
  dueAt: Date;
  offsetSeconds: number;
}

/** `stale`: the deadline closed or moved since the job was planned; nothing to do. */
export type AlertOutcome = 'sent' | 'already-sent' | 'stale';

/** Thrown so the job is retried: the event that creates the deadline may not have committed yet. */
export class DeadlineNotRecordedError extends Error {
  constructor(actionId: string) {
    super(`Deadline of action ${actionId} is not recorded yet`);
  }
}

/**
 * Sends deadline reminders and overdue escalations. Each runs in one transaction that locks the
 * deadline and records the alert in reminders_sent first, so however often a job runs (retries,
 * duplicates after a Redis loss) an alert reaches an inbox once per due date.
 */
@Injectable()
export class DeadlineAlerts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
  ) {}

  async sendReminder(alert: DeadlineAlert): Promise<AlertOutcome> {
    // An offset taken out of REMINDER_OFFSETS since the job was planned.
    if (!this.settings.offsetsSeconds.includes(alert.offsetSeconds)) return 'stale';
    return this.dataSource.transaction(async (manager) => {
      const deadline = await this.lockCurrentDeadline(manager, alert);
      if (!deadline) return 'stale';
      const notificationId = randomUUID();
      const recorded = await this.recordSent(manager, deadline, alert.offsetSeconds, notificationId);
      if (!recorded) return 'already-sent';
      const { actionId, institution, title } = deadline;
      await addNotifications(manager, [
        {
          id: notificationId,
          institution,
          kind: 'deadline_reminder',
          actionId,
          params: { title, dueAt: deadline.dueAt.toISOString(), offsetSeconds: alert.offsetSeconds },
          sourceEventId: null,
        },
      ]);
      await this.outbox.append(manager, {
        case: 'deadlineReminderSent',
        aggregateId: actionId,
        payload: {
          notificationId,
          actionId,
          institution,
          dueAt: timestampFromDate(deadline.dueAt),
          offsetSeconds: BigInt(alert.offsetSeconds),
        },
      });
      return 'sent';
    });
  }

  /**
   * One step of the escalation ladder of an open action past its due date: the rung's inbox gets an
   * `escalation` notification and ActionEscalated goes out, in the transaction that records the step.
   * The first step is also the overdue notice to the institution and the coordinator.
   */
  async escalateOverdue(alert: DeadlineAlert): Promise<AlertOutcome> {
    // A step taken out of ESCALATION_LADDER, or moved by ESCALATE_AFTER, since it was planned.
    if (!escalationStep(this.settings, alert.offsetSeconds, '')) return 'stale';
    return this.dataSource.transaction(async (manager) => {
      const deadline = await this.lockCurrentDeadline(manager, alert);
      if (!deadline) return 'stale';
      const notificationId = randomUUID();
      const recorded = await this.recordSent(manager, deadline, alert.offsetSeconds, notificationId);
      if (!recorded) return 'already-sent';
      const { actionId, institution, title } = deadline;
      const dueAt = deadline.dueAt.toISOString();
      const { step, rung, notifiedInstitution } = escalationStep(
        this.settings,
        alert.offsetSeconds,
        institution,
      ) as EscalationStep;
      const notifications: NewNotification[] = [
        {
          id: notificationId,
          institution: notifiedInstitution,
          kind: 'escalation',
          actionId,
          params: { title, dueAt, institution, step, rung },
          sourceEventId: null,
        },
      ];
      if (step === 1) notifications.push(...this.overdueNotices(deadline));
      await addNotifications(manager, notifications);
      await this.outbox.append(manager, {
        case: 'actionEscalated',
        aggregateId: actionId,
        payload: {
          notificationId,
          actionId,
          institution,
          dueAt: timestampFromDate(deadline.dueAt),
          step,
          rung,
          notifiedInstitution,
        },
      });
      return 'sent';
    });
  }

  /** The action is past its due date: said to the institution and to the coordinator. */
  private overdueNotices({ actionId, institution, title, dueAt }: Deadline): NewNotification[] {
    const params = { title, dueAt: dueAt.toISOString(), institution };
    const inboxes = [institution];
    if (this.settings.coordinatorInstitution !== institution) {
      inboxes.push(this.settings.coordinatorInstitution);
    }
    return inboxes.map((inbox) => ({
      id: randomUUID(),
      institution: inbox,
      kind: 'action_overdue' as const,
      actionId,
      params,
      sourceEventId: null,
    }));
  }

  /** The deadline, locked until commit, if the job is still about it; null if the job is stale. */
  private async lockCurrentDeadline(manager: EntityManager, alert: DeadlineAlert): Promise<Deadline | null> {
    const deadline = await manager.findOne(Deadline, {
      where: { actionId: alert.actionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!deadline) throw new DeadlineNotRecordedError(alert.actionId);
    if (!deadline.open || deadline.dueAt.getTime() !== alert.dueAt.getTime()) return null;
    return deadline;
  }

  /** False when this alert already went out for this due date. */
  private async recordSent(
    manager: EntityManager,
    deadline: Deadline,
    offsetSeconds: number,
    notificationId: string,
  ): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO reminders_sent (action_id, offset_seconds, due_at, notification_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING action_id`,
      [deadline.actionId, offsetSeconds, deadline.dueAt, notificationId],
    );
    return inserted.length === 1;
  }
}
