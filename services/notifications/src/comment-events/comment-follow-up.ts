import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { addNotifications } from '../inbox/add-notifications';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { planCommentNotifications, type CommentPostedFacts } from './comment-notifications';

/** Tells the inboxes a comment concerns, in the transaction that records the event as consumed. */
@Injectable()
export class CommentFollowUp {
  constructor(
    @Inject(ALERT_SETTINGS) private readonly settings: Pick<AlertSettings, 'coordinatorInstitution'>,
  ) {}

  async commentPosted(event: CommentPostedFacts, manager: EntityManager): Promise<void> {
    await addNotifications(
      manager,
      planCommentNotifications(event, this.settings.coordinatorInstitution, randomUUID),
    );
  }
}
