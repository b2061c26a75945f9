import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { IndicatorFollowUp } from './indicator-follow-up';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SUBJECT_KINDS = ['action', 'recommendation'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kafka edge: the actions service's indicator schedules, into deadlines with reminders. */
@Controller()
export class IndicatorEventsHandler {
  constructor(private readonly followUp: IndicatorFollowUp) {}

  @EventPattern(Events.indicatorScheduled.type)
  async onIndicatorScheduled(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'indicatorScheduled') return;
    const event = envelope.payload.value;
    const subjectKind = SUBJECT_KINDS.find((kind) => kind === event.subjectKind);
    // A malformed event is the producer's bug: it goes to the dead-letter topic without retries.
    if (!subjectKind) throw new PermanentEventError('subject_kind must be action or recommendation');
    if (!UUID.test(event.indicatorId) || !UUID.test(event.subjectId))
      throw new PermanentEventError('indicator_id and subject_id must be UUIDs');
    await this.followUp.indicatorScheduled(
      {
        indicatorId: event.indicatorId,
        name: event.name,
        subjectKind,
        subjectId: event.subjectId,
        institutions: event.institutionIds,
        frequency: event.frequency,
        dueOn: day(event.nextReportingOn, 'next_reporting_on'),
        latestMeasuredOn: event.latestMeasuredOn ? day(event.latestMeasuredOn, 'latest_measured_on') : null,
        correlationId: envelope.correlationId,
      },
      { manager: context.manager, afterCommit: (work) => context.afterCommit(work) },
    );
  }
}

function day(value: string, field: string): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  // 2026-02-30 parses (as 2 March): only a day that reads back the same is one.
  if (!DAY.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
    throw new PermanentEventError(`${field} must be a day, YYYY-MM-DD`);
  return value;
}
