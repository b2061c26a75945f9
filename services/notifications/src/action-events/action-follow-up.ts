import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { addNotifications } from '../inbox/add-notifications';
import type { NewNotification } from '../inbox/notification-kind';
import { DEADLINE_JOB_SCHEDULER, type DeadlineJobScheduler } from '../reminders/deadline-job-scheduler';
import { isClosed, type ActionStatus } from './action-status';

/** The transaction an event is applied in, and a way to act once it has committed. */
export interface TransactionScope {
  manager: EntityManager;
  afterCommit(work: () => Promise<unknown>): void;
}

/** The event a change came from: notifications remember it, jobs carry its correlation id. */
export interface EventSource {
  eventId: string;
  correlationId: string;
}

export interface ActionAssigned extends EventSource {
  actionId: string;
  title: string;
  institution: string;
  /** Empty on the first assignment. */
  previousInstitution: string;
  dueAt: Date;
  status: ActionStatus;
}

export interface ActionDueDateChanged extends EventSource {
  actionId: string;
  institution: string;
  dueAt: Date;
  previousDueAt: Date | null;
}

export interface ActionProgressReported extends EventSource {
  actionId: string;
  previousStatus: ActionStatus;
  status: ActionStatus;
  dueAt: Date | null;
}

/**
 * Follows the actions service: tells institutions about their actions and keeps each action's
 * deadline, which the reminder jobs are derived from. Jobs change only after the commit, so a job
 * never refers to a deadline that was rolled back.
 */
@Injectable()
export class ActionFollowUp {
  constructor(@Inject(DEADLINE_JOB_SCHEDULER) private readonly jobs: DeadlineJobScheduler) {}

  async actionAssigned(event: ActionAssigned, scope: TransactionScope): Promise<void> {
    const { actionId, title, institution, previousInstitution } = event;
    const dueAt = event.dueAt.toISOString();
    const notifications: NewNotification[] = [
      {
        ...this.fromEvent(event, institution),
        kind: 'action_assigned',
        params: { title, dueAt, ...(previousInstitution ? { previousInstitution } : {}) },
      },
    ];
    // Re-assigning to the same institution (to set a new date) takes nothing away from it.
    if (previousInstitution && previousInstitution !== institution) {
      notifications.push({
        ...this.fromEvent(event, previousInstitution),
        kind: 'action_reassigned_away',
        params: { title, dueAt, newInstitution: institution },
      });
    }
    await addNotifications(scope.manager, notifications);
    // The actions service refuses to assign closed actions; should one arrive, it gets no reminders.
    const open = !isClosed(event.status);
    await scope.manager.upsert(Deadline, { actionId, institution, title, dueAt: event.dueAt, open }, [
      'actionId',
    ]);
    this.afterCommitSchedule(scope, event, open ? event.dueAt : null);
  }

  async dueDateChanged(event: ActionDueDateChanged, scope: TransactionScope): Promise<void> {
    const { actionId, institution } = event;
    const deadline = await scope.manager.findOne(Deadline, { where: { actionId } });
    await addNotifications(scope.manager, [
      {
        ...this.fromEvent(event, institution),
        kind: 'action_due_date_changed',
        params: {
          title: deadline?.title ?? '',
          dueAt: event.dueAt.toISOString(),
          previousDueAt: event.previousDueAt?.toISOString() ?? null,
        },
      },
    ]);
    if (deadline) {
      await scope.manager.update(Deadline, { actionId }, { dueAt: event.dueAt, institution });
    } else {
      // Only if the assignment never arrived (e.g. it was dead-lettered): reminders matter more than the title.
      await scope.manager.insert(Deadline, {
        actionId,
        institution,
        title: '',
        dueAt: event.dueAt,
        open: true,
      });
    }
    // The due date of a completed action may still move; it stays closed and unreminded.
    const open = deadline?.open ?? true;
    if (open) this.afterCommitSchedule(scope, event, event.dueAt);
  }

  async progressReported(event: ActionProgressReported, scope: TransactionScope): Promise<void> {
    const { actionId } = event;
    const deadline = await scope.manager.findOne(Deadline, { where: { actionId } });
    if (!deadline) return; // never assigned: there is no deadline to remind of
    if (isClosed(event.status)) {
      if (deadline.open) await scope.manager.update(Deadline, { actionId }, { open: false });
      // Cancelled even if already closed: repairs a cancellation that failed after an earlier commit.
      this.afterCommitSchedule(scope, event, null);
      return;
    }
    if (isClosed(event.previousStatus)) {
      // Reopened, e.g. completed work sent back to in progress after a failed validation.
      const dueAt = event.dueAt ?? deadline.dueAt;
      await scope.manager.update(Deadline, { actionId }, { open: true, dueAt });
      this.afterCommitSchedule(scope, event, dueAt);
    }
  }

  private fromEvent(event: EventSource & { actionId: string }, institution: string) {
    return { id: randomUUID(), institution, actionId: event.actionId, sourceEventId: event.eventId };
  }

  /** `dueAt` null: the deadline is closed, so its jobs go. */
  private afterCommitSchedule(
    scope: TransactionScope,
    event: EventSource & { actionId: string },
    dueAt: Date | null,
  ): void {
    const { actionId, correlationId } = event;
    scope.afterCommit(() =>
      dueAt ? this.jobs.reschedule({ actionId, dueAt, correlationId }) : this.jobs.cancelAll(actionId),
    );
  }
}
