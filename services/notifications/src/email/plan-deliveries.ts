import type { EntityManager } from 'typeorm';
import { mailedNotificationKinds } from './mail-kinds';

/**
 * Writes, in the transaction that writes the notifications, one pending email delivery per person
 * it should reach at once: the addressee of a personal notification, or each focal point of the
 * institution (each validator, for a step that goes to validators; each coordinator, for the
 * coordinator's inbox), who has an address and has not chosen a digest or no mail for that kind.
 * The unique index (notification, channel, person) makes it idempotent; the worker sends what is
 * pending.
 */
export async function planMailDeliveries(manager: EntityManager, notificationIds: string[]): Promise<void> {
  if (notificationIds.length === 0) return;
  const pairs = mailedNotificationKinds();
  await manager.query(
    `WITH kinds (notification_kind, mail_kind) AS (SELECT * FROM unnest($2::text[], $3::text[])),
          targets AS (
            SELECT n.id AS notification_id, k.mail_kind, n.recipient_user_id AS subject
              FROM notifications n JOIN kinds k ON k.notification_kind = n.kind
             WHERE n.id = ANY ($1::uuid[]) AND n.recipient_user_id <> ''
            UNION
            SELECT n.id, k.mail_kind,
                   unnest(CASE WHEN n.params ->> 'rung' = 'institution_validator'
                               THEN p.validator_ids ELSE p.focal_point_ids END)
              FROM notifications n JOIN kinds k ON k.notification_kind = n.kind
              JOIN institution_people p ON p.institution_id = n.institution
             WHERE n.id = ANY ($1::uuid[]) AND n.recipient_user_id = ''
            UNION
            -- The coordinator's inbox: the people whose token says they are coordinators.
            SELECT n.id, k.mail_kind, c.subject
              FROM notifications n JOIN kinds k ON k.notification_kind = n.kind
              JOIN recipient_profiles c ON c.coordinator_inbox = n.institution
             WHERE n.id = ANY ($1::uuid[]) AND n.recipient_user_id = ''
          )
     INSERT INTO deliveries (id, notification_id, channel, recipient_subject)
     SELECT gen_random_uuid(), t.notification_id, 'email', t.subject
       FROM targets t
       JOIN recipient_profiles r ON r.subject = t.subject AND r.email IS NOT NULL
       LEFT JOIN mail_preferences m ON m.subject = t.subject AND m.mail_kind = t.mail_kind
      WHERE coalesce(m.cadence, 'immediate') = 'immediate'
     ON CONFLICT DO NOTHING`,
    [notificationIds, pairs.map(([kind]) => kind), pairs.map(([, mailKind]) => mailKind)],
  );
}
