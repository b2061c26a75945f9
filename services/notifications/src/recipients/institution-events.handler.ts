import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { InstitutionDirectory } from './institution-directory';

/** Kafka edge: the actions service's directory of institutions, for whom to mail. */
@Controller()
export class InstitutionEventsHandler {
  constructor(private readonly directory: InstitutionDirectory) {}

  @EventPattern(Events.institutionChanged.type)
  async onInstitutionChanged(
    @Payload() envelope: EventEnvelope,
    @Ctx() context: EventContext,
  ): Promise<void> {
    if (envelope.payload.case !== 'institutionChanged') return;
    const event = envelope.payload.value;
    if (!event.institutionId) throw new PermanentEventError('institution_id is required');
    const names = event.names;
    await this.directory.institutionChanged(
      {
        institutionId: event.institutionId,
        focalPointIds: event.focalPointIds.filter(Boolean),
        validatorIds: event.validatorIds.filter(Boolean),
        names: names
          ? { en: names.en, fr: names.fr, es: names.es, ru: names.ru, zh: names.zh, ar: names.ar }
          : {},
      },
      context.manager,
    );
  }
}
