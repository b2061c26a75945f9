import { Inject, Injectable, Logger } from '@nestjs/common';
import { deliveries } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import type { Language } from '../recipients/languages';
import { mailItemOf, preferencesLink, type NotificationForMail } from './mail-content';
import { renderDigestMail, renderNotificationMail, type MailItem, type RenderedMail } from './mail-templates';
import { MailTransport, messageIdFor, sendFailure } from './mail-transport';
import { MAIL_SETTINGS, type MailSettings } from './mail-settings';

interface PendingDelivery {
  id: string;
  status: 'pending' | 'sent' | 'failed';
  notification_id: string | null;
  digest_id: string | null;
  email: string | null;
  language: Language;
  time_zone: string;
}

export type DeliveryOutcome = 'sent' | 'failed' | 'already_done' | 'retry';

/** Thrown to have the queue try again later (a 4xx reply, or the server out of reach). */
export class MailDeferredError extends Error {}

/**
 * Sends one delivery. It is sent at most once per attempt and recorded after: a crash between the
 * two resends it once, with the same Message-ID (derived from the delivery id). A 5xx reply is
 * recorded as a permanent failure and never retried; anything else is retried until the last attempt.
 */
@Injectable()
export class DeliverMail {
  private readonly logger = new Logger(DeliverMail.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(MAIL_SETTINGS) private readonly settings: MailSettings,
  ) {}

  async deliver(deliveryId: string, attempt: { made: number; max: number }): Promise<DeliveryOutcome> {
    const [delivery] = (await this.dataSource.query(
      `SELECT d.id, d.status, d.notification_id, d.digest_id, r.email, r.language, r.time_zone
         FROM deliveries d LEFT JOIN recipient_profiles r ON r.subject = d.recipient_subject
        WHERE d.id = $1`,
      [deliveryId],
    )) as PendingDelivery[];
    if (!delivery || delivery.status !== 'pending') return 'already_done';
    if (!delivery.email) return this.fail(deliveryId, 'the recipient has no email address');
    const mail = await this.compose(delivery);
    if (!mail) return this.fail(deliveryId, 'nothing to mail: the notification or digest is gone');
    await this.dataSource.query(`UPDATE deliveries SET attempts = attempts + 1 WHERE id = $1`, [deliveryId]);
    try {
      await this.transport.send({
        to: delivery.email,
        ...mail,
        messageId: messageIdFor(deliveryId, this.settings.from),
      });
    } catch (error) {
      const { permanent, reason } = sendFailure(error);
      if (permanent || attempt.made + 1 >= attempt.max) return this.fail(deliveryId, reason);
      await this.dataSource.query(`UPDATE deliveries SET last_error = $2 WHERE id = $1`, [
        deliveryId,
        reason,
      ]);
      deliveries.inc({ channel: 'email', outcome: 'retried' });
      throw new MailDeferredError(`mail deferred: ${reason}`);
    }
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`,
      [deliveryId],
    );
    deliveries.inc({ channel: 'email', outcome: 'sent' });
    return 'sent';
  }

  private async fail(deliveryId: string, reason: string): Promise<'failed'> {
    await this.dataSource.query(`UPDATE deliveries SET status = 'failed', last_error = $2 WHERE id = $1`, [
      deliveryId,
      reason.slice(0, 500),
    ]);
    deliveries.inc({ channel: 'email', outcome: 'failed' });
    this.logger.warn({ msg: 'mail failed permanently', deliveryId, reason });
    return 'failed';
  }

  private async compose(delivery: PendingDelivery): Promise<RenderedMail | undefined> {
    const reader = { language: delivery.language, timeZone: delivery.time_zone };
    const links = { preferences: preferencesLink(this.settings.webAppUrl) };
    const ids = delivery.notification_id
      ? [delivery.notification_id]
      : ((
          (await this.dataSource.query(`SELECT notification_ids FROM digests WHERE id = $1`, [
            delivery.digest_id,
          ])) as Array<{ notification_ids: string[] }>
        )[0]?.notification_ids ?? []);
    const items = await this.mailItems(ids, delivery.language);
    if (items.length === 0) return undefined;
    return delivery.notification_id
      ? renderNotificationMail(items[0], reader, links)
      : renderDigestMail(items, reader, links);
  }

  private async mailItems(ids: string[], language: Language): Promise<MailItem[]> {
    if (ids.length === 0) return [];
    const notifications = (await this.dataSource.query(
      `SELECT id, kind, institution, subject_kind AS "subjectKind", subject_id AS "subjectId", params
         FROM notifications WHERE id = ANY ($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    )) as NotificationForMail[];
    const institutions = [
      ...new Set(
        notifications.flatMap((n) => [
          n.institution,
          typeof n.params.institution === 'string' ? n.params.institution : n.institution,
        ]),
      ),
    ];
    const names = new Map<string, Partial<Record<string, string>>>(
      (
        (await this.dataSource.query(
          `SELECT institution_id, names FROM institution_people WHERE institution_id = ANY ($1::text[])`,
          [institutions],
        )) as Array<{ institution_id: string; names: Partial<Record<string, string>> }>
      ).map((row) => [row.institution_id, row.names]),
    );
    return notifications.flatMap(
      (notification) => mailItemOf(notification, language, names, this.settings.webAppUrl) ?? [],
    );
  }
}
