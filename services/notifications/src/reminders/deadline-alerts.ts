import { Inject, Injectable } from '@nestjs/common';
import { timestampFromDate } from '@nmirf/contracts';
import { EventOutbox, recordAudit, suspendRowAudit } from '@nmirf/platform';
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

/** What a reminder job did: its own outcome, and every reminder its batch sent (its own among them). */
export interface ReminderFiring {
  outcome: AlertOutcome;
  sent: Array<{ actionId: string; dueAt: Date }>;
}

/** Reminders sent in one transaction at most: a burst is caught up in batches of this size. */
export const REMINDER_BATCH = 500;

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

  /**
   * The reminder a job asks for, and with it every other reminder at the same offset whose moment
   * came between this one's and now (up to REMINDER_BATCH), in one transaction: a burst of deadlines
   * due together costs one transaction per batch, not one per deadline, and a worker behind
   * schedule catches up in a few batches. Siblings locked elsewhere are skipped (their own jobs, or
   * the batch that holds them, send them); reminders_sent keeps each one to once per due date.
   */
  async sendReminder(alert: DeadlineAlert): Promise<ReminderFiring> {
    // An offset taken out of REMINDER_OFFSETS since the job was planned.
    if (!this.settings.offsetsSeconds.includes(alert.offsetSeconds)) return { outcome: 'stale', sent: [] };
    // Most jobs of a burst find their reminder sent by an earlier batch: one read, no lock.
    if (await this.alreadySent(alert)) return { outcome: 'already-sent', sent: [] };
    return this.dataSource.transaction(async (manager) => {
      const deadline = await this.lockCurrentDeadline(manager, alert);
      if (!deadline) return { outcome: 'stale', sent: [] };
      const siblings: Array<{ action_id: string; institution: string; title: string; due_at: Date }> =
        await manager.query(
          `SELECT d.action_id, d.institution, d.title, d.due_at FROM deadlines d
            WHERE d.open AND d.due_at >= $1 AND d.due_at <= now() + make_interval(secs => $2::int)
              AND d.action_id <> $3
              AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                               WHERE r.action_id = d.action_id AND r.due_at = d.due_at AND r.offset_seconds = $2::int)
            ORDER BY d.due_at, d.action_id
            LIMIT ${REMINDER_BATCH - 1}
            FOR UPDATE OF d SKIP LOCKED`,
          [deadline.dueAt, alert.offsetSeconds, deadline.actionId],
        );
      // One audit record for the batch, naming each reminder, instead of a record per row written
      // (reminders_sent, notifications, their mail deliveries): the trail's per-row sealing at
      // commit is what made a burst slow.
      await suspendRowAudit(manager);
      const batch: Deadline[] = [
        deadline,
        ...siblings.map((row) =>
          Object.assign(new Deadline(), {
            actionId: row.action_id,
            institution: row.institution,
            title: row.title,
            dueAt: row.due_at,
            open: true,
          }),
        ),
      ];
      const notificationIds = new Map(batch.map((item) => [item.actionId, randomUUID()]));
      const recorded = await this.recordAllSent(manager, batch, alert.offsetSeconds, notificationIds);
      const fired = batch.filter((item) => recorded.has(item.actionId));
      if (fired.length === 0) return { outcome: 'already-sent', sent: [] };
      await recordAudit(manager, {
        entity: 'reminders_sent',
        entityId: `${deadline.actionId}/${alert.offsetSeconds}`,
        action: 'reminders.sent',
        after: {
          offsetSeconds: alert.offsetSeconds,
          count: fired.length,
          reminders: fired.map(({ actionId, institution, dueAt }) => ({
            actionId,
            institution,
            dueAt: dueAt.toISOString(),
            notificationId: notificationIds.get(actionId),
          })),
        },
      });
      await addNotifications(
        manager,
        fired.map(({ actionId, institution, title, dueAt }) => ({
          id: notificationIds.get(actionId) as string,
          institution,
          kind: 'deadline_reminder' as const,
          actionId,
          params: { title, dueAt: dueAt.toISOString(), offsetSeconds: alert.offsetSeconds },
          sourceEventId: null,
        })),
      );
      await this.outbox.append(
        manager,
        ...fired.map(({ actionId, institution, dueAt }) => ({
          case: 'deadlineReminderSent' as const,
          aggregateId: actionId,
          payload: {
            notificationId: notificationIds.get(actionId) as string,
            actionId,
            institution,
            dueAt: timestampFromDate(dueAt),
            offsetSeconds: BigInt(alert.offsetSeconds),
          },
        })),
      );
      return {
        outcome: recorded.has(deadline.actionId) ? 'sent' : 'already-sent',
        sent: fired.map(({ actionId, dueAt }) => ({ actionId, dueAt })),
      };
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

  private async alreadySent({ actionId, dueAt, offsetSeconds }: DeadlineAlert): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM reminders_sent WHERE action_id = $1 AND offset_seconds = $2 AND due_at = $3`,
      [actionId, offsetSeconds, dueAt],
    );
    return rows.length > 0;
  }

  /** The deadlines of the batch whose alert this transaction recorded (the others went out already). */
  private async recordAllSent(
    manager: EntityManager,
    batch: Deadline[],
    offsetSeconds: number,
    notificationIds: Map<string, string>,
  ): Promise<Set<string>> {
    const inserted: Array<{ action_id: string }> = await manager.query(
      `INSERT INTO reminders_sent (action_id, offset_seconds, due_at, notification_id)
       SELECT action_id, $2::int, due_at, notification_id
         FROM unnest($1::uuid[], $3::timestamptz[], $4::uuid[]) AS t(action_id, due_at, notification_id)
       ON CONFLICT DO NOTHING RETURNING action_id`,
      [
        batch.map((item) => item.actionId),
        offsetSeconds,
        batch.map((item) => item.dueAt),
        batch.map((item) => notificationIds.get(item.actionId)),
      ],
    );
    return new Set(inserted.map((row) => row.action_id));
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
