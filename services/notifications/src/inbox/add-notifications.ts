import type { EntityManager } from 'typeorm';
import { planMailDeliveries } from '../email/plan-deliveries';
import type { NewNotification } from './notification-kind';
import { Notification } from './notification.entity';

/**
 * Writes notifications in the caller's transaction. A row that repeats an event already turned into
 * the same notification is skipped (unique index on source_event_id, institution, kind). The mails
 * of the rows written are planned in the same transaction (one delivery per person and channel).
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
  const written = await manager
    .createQueryBuilder()
    .insert()
    .into(Notification)
    .values(rows)
    .orIgnore()
    .returning(['id'])
    .execute();
  // RETURNING lists only the rows inserted: a repeated event plans no second mail.
  await planMailDeliveries(
    manager,
    (written.raw as Array<{ id: string }>).map((row) => row.id),
  );
}
