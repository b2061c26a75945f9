import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { implementationStatusFromContract } from './implementation-status';
import { recordImplementationStatus } from './record-implementation-status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The implementation status the actions service rolls up, kept on the recommendation for search. */
@Controller()
export class ImplementationEventsHandler {
  @EventPattern('RecommendationImplementationStatusChanged')
  async onImplementationStatusChanged(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    const { payload } = envelope;
    if (payload.case !== 'recommendationImplementationStatusChanged') return;
    const { recommendationId, status } = payload.value;
    if (!UUID.test(recommendationId) || recommendationId !== envelope.aggregateId) {
      throw new PermanentEventError(`recommendation_id "${recommendationId}" is not the event's aggregate`);
    }
    const known = implementationStatusFromContract(status);
    if (!known) throw new PermanentEventError(`status ${status} is not an implementation status`);
    if (!(await recordImplementationStatus(context.manager, recommendationId, known))) {
      // Recommendations start here, so the actions service cannot know one this service does not.
      throw new PermanentEventError(`Recommendation ${recommendationId} does not exist`);
    }
  }
}
