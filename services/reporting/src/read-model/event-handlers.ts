import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@nmirf/contracts';
import { EventContext } from '@nmirf/platform';
import { ReadModelProjector } from './projector';

/** Every event the read model uses, straight to the projector inside the inbox transaction. */
@Controller()
export class ReadModelEventHandlers {
  constructor(private readonly projector: ReadModelProjector) {}

  @EventPattern('RecommendationCreated')
  onRecommendationCreated(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('RecommendationUpdated')
  onRecommendationUpdated(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ClusterChanged')
  onClusterChanged(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionCreated')
  onActionCreated(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionAssigned')
  onActionAssigned(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionDueDateChanged')
  onActionDueDateChanged(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionProgressReported')
  onActionProgressReported(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('RecommendationImplementationStatusChanged')
  onImplementationStatusChanged(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('DeadlineReminderSent')
  onDeadlineReminderSent(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionEscalated')
  onActionEscalated(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ActionChanged')
  onActionChanged(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('PlanChanged')
  onPlanChanged(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('ProgressReportTransitioned')
  onProgressReportTransitioned(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('IndicatorScheduled')
  onIndicatorScheduled(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('AssessmentPublished')
  onAssessmentPublished(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }

  @EventPattern('AssessmentUnpublished')
  onAssessmentUnpublished(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    return this.projector.apply(context.manager, envelope);
  }
}
