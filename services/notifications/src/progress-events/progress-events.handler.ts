import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { ProgressFollowUp } from './progress-follow-up';
import { PROGRESS_REPORT_STATUSES, type ProgressReportStatus } from './progress-notifications';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kafka edge: the steps of progress reports' review, into the inboxes of who acts next. */
@Controller()
export class ProgressEventsHandler {
  constructor(private readonly followUp: ProgressFollowUp) {}

  @EventPattern(Events.progressReportTransitioned.type)
  async onReportTransitioned(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'progressReportTransitioned') return;
    const event = envelope.payload.value;
    if (!event.institutionId) throw new PermanentEventError('institution_id is required');
    await this.followUp.reportTransitioned(
      {
        eventId: envelope.eventId,
        reportId: uuid(event.reportId, 'report_id'),
        actionId: uuid(event.actionId, 'action_id'),
        institutionId: event.institutionId,
        status: status(event.status),
        final: event.final,
        percentage: event.percentage,
        comments: event.comments,
      },
      context.manager,
    );
  }
}

/** A malformed id or an unknown status is the producer's bug: the event goes to the dead-letter topic. */
function uuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new PermanentEventError(`${field} must be a UUID`);
  return value;
}

function status(value: string): ProgressReportStatus {
  if (!(PROGRESS_REPORT_STATUSES as readonly string[]).includes(value))
    throw new PermanentEventError(`status must be one of ${PROGRESS_REPORT_STATUSES.join(', ')}`);
  return value as ProgressReportStatus;
}
