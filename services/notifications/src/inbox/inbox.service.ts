import { Injectable } from '@nestjs/common';
import { actsFor, DomainError, type Principal } from '@nmirf/platform';
import { DataSource, IsNull, Not } from 'typeorm';
import { Notification } from './notification.entity';

export interface InboxFilter {
  /** true: unread only; false: read only; undefined: all. */
  unread?: boolean;
  limit: number;
  offset: number;
}

export interface InboxPage {
  items: Notification[];
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
    return { items, total, unread };
  }

  /** Idempotent: reading twice keeps the first read time. */
  async markRead(id: string, caller?: Principal): Promise<Notification> {
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
    return notification;
  }
}
