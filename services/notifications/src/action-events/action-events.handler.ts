import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ActionStatus as ContractStatus,
  Events,
  timestampDate,
  type EventEnvelope,
  type Timestamp,
} from '@nmirf/contracts';
import { EventContext, isWithinDateWindow, requireEventDate } from '@nmirf/platform';
import { ActionFollowUp, type EventSource, type TransactionScope } from './action-follow-up';
import type { ActionStatus } from './action-status';

const statuses: Record<ContractStatus, ActionStatus> = {
  [ContractStatus.UNSPECIFIED]: 'unknown',
  [ContractStatus.NOT_STARTED]: 'not_started',
  [ContractStatus.IN_PROGRESS]: 'in_progress',
  [ContractStatus.BLOCKED]: 'blocked',
  [ContractStatus.COMPLETED]: 'completed',
  [ContractStatus.CANCELLED]: 'cancelled',
  // The workflow's statuses before the work starts: open, so reminders run; closing is what counts.
  [ContractStatus.PROPOSED]: 'not_started',
  [ContractStatus.ASSIGNED]: 'not_started',
  [ContractStatus.ACKNOWLEDGED]: 'not_started',
  [ContractStatus.DECLINED]: 'not_started',
};

/** Kafka edge: turns action events into calls of the follow-up use case, in the inbox's transaction. */
@Controller()
export class ActionEventsHandler {
  constructor(private readonly followUp: ActionFollowUp) {}

  @EventPattern(Events.actionAssigned.type)
  async onActionAssigned(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    if (envelope.payload.case !== 'actionAssigned') return;
    const event = envelope.payload.value;
    await this.followUp.actionAssigned(
      {
        ...source(envelope),
        actionId: event.actionId,
        title: event.title,
        // Inboxes are keyed by the directory id, which the token's institutions claim carries.
        institution: event.institutionId ?? event.institution,
        previousInstitution: event.previousInstitutionId ?? event.previousInstitution,
        dueAt: requiredDate(event.dueAt, 'due_at'),
        status: statuses[event.status] ?? 'unknown',
      },
      scope(context),
    );
  }

  @EventPattern(Events.actionDueDateChanged.type)
  async onActionDueDateChanged(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'actionDueDateChanged') return;
    const event = envelope.payload.value;
    await this.followUp.dueDateChanged(
      {
        ...source(envelope),
        actionId: event.actionId,
        institution: event.institutionId ?? event.institution,
        dueAt: requiredDate(event.dueAt, 'due_at'),
        previousDueAt: shownDate(event.previousDueAt),
      },
      scope(context),
    );
  }

  @EventPattern(Events.actionProgressReported.type)
  async onActionProgressReported(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'actionProgressReported') return;
    const event = envelope.payload.value;
    await this.followUp.progressReported(
      {
        ...source(envelope),
        actionId: event.actionId,
        previousStatus: statuses[event.previousStatus] ?? 'unknown',
        status: statuses[event.status] ?? 'unknown',
        dueAt: event.dueAt ? requiredDate(event.dueAt, 'due_at') : null,
      },
      scope(context),
    );
  }
}

function source(envelope: EventEnvelope): EventSource {
  return { eventId: envelope.eventId, correlationId: envelope.correlationId };
}

function scope(context: EventContext): TransactionScope {
  return { manager: context.manager, afterCommit: (work) => context.afterCommit(work) };
}

/**
 * A missing, invalid or impossible date (outside 1945 to 50 years ahead) is the producer's bug and
 * would break the reminder queue: the event goes to the dead-letter topic at once, without retries.
 */
function requiredDate(timestamp: Timestamp | undefined, field: string): Date {
  return requireEventDate(timestamp ? timestampDate(timestamp) : undefined, field);
}

/** A date only shown to people: one outside the window is left out rather than refusing the event. */
function shownDate(timestamp: Timestamp | undefined): Date | null {
  const date = timestamp ? timestampDate(timestamp) : null;
  return date && isWithinDateWindow(date) ? date : null;
}
