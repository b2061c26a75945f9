import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { addNotifications } from '../inbox/add-notifications';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { planProgressNotifications, type ProgressReportTransitionFacts } from './progress-notifications';

/** Tells the next reviewer, or the reporting institution, of a report's step, in the consumer's transaction. */
@Injectable()
export class ProgressFollowUp {
  constructor(
    @Inject(ALERT_SETTINGS) private readonly settings: Pick<AlertSettings, 'coordinatorInstitution'>,
  ) {}

  async reportTransitioned(event: ProgressReportTransitionFacts, manager: EntityManager): Promise<void> {
    const planned = planProgressNotifications(
      event,
      await this.actionTitle(event, manager),
      this.settings.coordinatorInstitution,
      randomUUID,
    );
    await addNotifications(manager, planned);
  }

  /** The event does not carry the action's title: the deadline this service keeps for it does. */
  private async actionTitle(event: ProgressReportTransitionFacts, manager: EntityManager): Promise<string> {
    const deadline = await manager.findOne(Deadline, {
      where: { actionId: event.actionId },
      select: { actionId: true, title: true },
    });
    return deadline?.title ?? '';
  }
}
