import type { EntityManager } from 'typeorm';
import type { NewNotification } from './notification-kind';
import { Notification } from './notification.entity';

/**
 * Writes notifications in the caller's transaction. A row that repeats an event already turned into
 * the same notification is skipped (unique index on source_event_id, institution, kind).
 */
export async function addNotifications(
  manager: EntityManager,
  notifications: NewNotification[],
): Promise<void> {
  if (notifications.length === 0) return;
  const rows = notifications.map(({ actionId, subjectKind, subjectId, ...notification }) => ({
    ...notification,
    actionId: actionId ?? null,
    subjectKind: subjectKind ?? 'action',
    subjectId: subjectId ?? (actionId as string),
  }));
  await manager.createQueryBuilder().insert().into(Notification).values(rows).orIgnore().execute();
}
