import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { ReportingDeadlineFollowUp } from './reporting-deadline-follow-up';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Kafka edge: the actions service's reporting calendar, into the coordinator's deadlines. */
@Controller()
export class CalendarEventsHandler {
  constructor(private readonly followUp: ReportingDeadlineFollowUp) {}

  @EventPattern(Events.reportingDeadlineChanged.type)
  async onReportingDeadlineChanged(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'reportingDeadlineChanged') return;
    const event = envelope.payload.value;
    await this.followUp.deadlineChanged(
      {
        deadlineId: event.deadlineId,
        kind: event.kind,
        state: event.state,
        mechanism: event.mechanism,
        body: event.body,
        cycle: event.cycle,
        titleKey: event.titleKey,
        titleParams: titleParams(event.titleParamsJson),
        dueOn: day(event.dueOn),
        estimated: event.estimated,
        source: event.source || null,
        open: event.open,
        sequence: event.sequence,
        correlationId: envelope.correlationId,
      },
      { manager: context.manager, afterCommit: (work) => context.afterCommit(work) },
    );
  }
}

/** A malformed day is the producer's bug: the event goes to the dead-letter topic without retries. */
function day(value: string): string {
  if (!DAY.test(value)) throw new PermanentEventError('due_on must be a day, YYYY-MM-DD');
  return value;
}

function titleParams(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json || '{}');
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // falls through to the refusal
  }
  throw new PermanentEventError('title_params_json must be a JSON object');
}
