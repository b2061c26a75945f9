import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@nmirf/contracts';
import { EventContext } from '@nmirf/platform';
import { CalendarService } from '../calendar/calendar.service';
import { KnownRecommendation } from './known-recommendation.entity';

/**
 * Learns which recommendations exist, so actions can only be created for real ones, and which
 * documents give the State reporting deadlines.
 */
@Controller()
export class RecommendationEventsHandler {
  constructor(private readonly calendar: CalendarService) {}

  @EventPattern('RecommendationCreated')
  async onRecommendationCreated(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    await this.remember(envelope, context);
  }

  /** A re-import can correct the symbol or paragraph; the id stays. */
  @EventPattern('RecommendationUpdated')
  async onRecommendationUpdated(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    await this.remember(envelope, context);
  }

  private async remember(envelope: EventEnvelope, context: EventContext): Promise<void> {
    const { payload } = envelope;
    if (payload.case !== 'recommendationCreated' && payload.case !== 'recommendationUpdated') return;
    const { recommendationId, documentSymbol, paragraph } = payload.value;
    await context.manager.upsert(KnownRecommendation, { id: recommendationId, documentSymbol, paragraph }, [
      'id',
    ]);
    // The reporting calendar follows new documents (calendar/imported-documents.ts).
    await this.calendar.recommendationImported(context.manager, payload.value);
  }
}
