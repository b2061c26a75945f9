import { Injectable } from '@nestjs/common';
import { actsFor, DomainError, type Principal } from '@nmirf/platform';
import { DataSource, IsNull, Not } from 'typeorm';
import type { DeliveryView } from './inbox.dto';
import { Notification } from './notification.entity';

export type NotificationWithDeliveries = Notification & { deliveries: DeliveryView[] };

export interface InboxFilter {
  /** true: unread only; false: read only; undefined: all. */
  unread?: boolean;
  limit: number;
  offset: number;
}

export interface InboxPage {
  items: NotificationWithDeliveries[];
  /** Matching the filter, for paging. */
  total: number;
  /** Unread in the whole inbox, for the badge. */
  unread: number;
}

/** An institution's inbox: what it was told, newest first, and what it has read. */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  /** Another institution's inbox is "not found" to a focal point. */
  async list(institution: string, filter: InboxFilter, caller?: Principal): Promise<InboxPage> {
    if (caller && !actsFor(caller, institution)) throw DomainError.notFound('Inbox of', institution);
    const readAt = filter.unread === undefined ? undefined : filter.unread ? IsNull() : Not(IsNull());
    const manager = this.dataSource.manager;
    const [[items, total], unread] = await Promise.all([
      manager.findAndCount(Notification, {
        where: { institution, ...(readAt ? { readAt } : {}) },
        // id breaks ties so paging never skips or repeats notifications written in the same instant.
        order: { createdAt: 'DESC', id: 'DESC' },
        take: filter.limit,
        skip: filter.offset,
      }),
      manager.countBy(Notification, { institution, readAt: IsNull() }),
    ]);
    return { items: await this.withDeliveries(items), total, unread };
  }

  /** Idempotent: reading twice keeps the first read time. */
  async markRead(id: string, caller?: Principal): Promise<NotificationWithDeliveries> {
    const manager = this.dataSource.manager;
    const found = await manager.findOneBy(Notification, { id });
    if (!found || (caller && !actsFor(caller, found.institution)))
      throw DomainError.notFound('Notification', id);
    // In a transaction, like every change: that is what hands the actor to the audit trail.
    await this.dataSource.transaction((writer) =>
      writer.update(Notification, { id, readAt: IsNull() }, { readAt: new Date() }),
    );
    const notification = await manager.findOneBy(Notification, { id });
    if (!notification) throw DomainError.notFound('Notification', id);
    return (await this.withDeliveries([notification]))[0];
  }

  /** Each notification with how it went out (email per person), so a failed mail shows in the inbox. */
  private async withDeliveries(items: Notification[]): Promise<NotificationWithDeliveries[]> {
    if (items.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT notification_id, channel, recipient_subject, status, attempts, last_error, sent_at
         FROM deliveries WHERE notification_id = ANY ($1::uuid[]) ORDER BY recipient_subject, channel`,
      [items.map((item) => item.id)],
    )) as Array<{
      notification_id: string;
      channel: 'email';
      recipient_subject: string;
      status: DeliveryView['status'];
      attempts: number;
      last_error: string | null;
      sent_at: Date | null;
    }>;
    const byNotification = new Map<string, DeliveryView[]>();
    for (const row of rows) {
      const list = byNotification.get(row.notification_id) ?? [];
      list.push({
        channel: row.channel,
        recipient: row.recipient_subject,
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        sentAt: row.sent_at,
      });
      byNotification.set(row.notification_id, list);
    }
    return items.map((item) => Object.assign(item, { deliveries: byNotification.get(item.id) ?? [] }));
  }
}
