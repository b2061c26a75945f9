import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@nmirf/contracts';
import { EventContext } from '@nmirf/platform';
import { KnownRecommendation } from './known-recommendation.entity';

/** Learns which recommendations exist, so actions can only be created for real ones. */
@Controller()
export class RecommendationEventsHandler {
  @EventPattern('RecommendationCreated')
  async onRecommendationCreated(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'recommendationCreated') return;
    const { recommendationId, documentSymbol, paragraph } = envelope.payload.value;
    await context.manager.upsert(KnownRecommendation, { id: recommendationId, documentSymbol, paragraph }, [
      'id',
    ]);
  }
}
