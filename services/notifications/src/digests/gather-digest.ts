import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mailedNotificationKinds, type DigestCadence } from '../email/mail-kinds';

const PERIOD_MS: Record<DigestCadence, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };

/**
 * The digests of one time zone and cadence: for each person there who chose that cadence for some
 * kind of mail, the notifications of those kinds written since their last digest (or, for a first
 * one, within one period), as one digest and its delivery. Nothing new: no digest, no mail.
 */
@Injectable()
export class GatherDigests {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns how many digests were written. */
  async run(cadence: DigestCadence, timeZone: string, now: Date = new Date()): Promise<number> {
    const people = (await this.dataSource.query(
      `SELECT DISTINCT r.subject
         FROM recipient_profiles r JOIN mail_preferences m ON m.subject = r.subject
        WHERE r.time_zone = $1 AND m.cadence = $2 AND r.email IS NOT NULL`,
      [timeZone, cadence],
    )) as Array<{ subject: string }>;
    let written = 0;
    for (const { subject } of people) if (await this.gather(subject, cadence, now)) written += 1;
    return written;
  }

  async gather(subject: string, cadence: DigestCadence, now: Date): Promise<boolean> {
    const pairs = mailedNotificationKinds();
    return this.dataSource.transaction(async (manager) => {
      const [last] = (await manager.query(
        `SELECT max(period_end) AS period_end FROM digests WHERE subject = $1 AND cadence = $2`,
        [subject, cadence],
      )) as Array<{ period_end: Date | null }>;
      const periodStart = last?.period_end ?? null;
      const since = periodStart ?? new Date(now.getTime() - PERIOD_MS[cadence]);
      const rows = (await manager.query(
        `WITH kinds (notification_kind, mail_kind) AS (SELECT * FROM unnest($4::text[], $5::text[]))
         SELECT n.id
           FROM notifications n
           JOIN kinds k ON k.notification_kind = n.kind
           JOIN mail_preferences m ON m.subject = $1 AND m.mail_kind = k.mail_kind AND m.cadence = $2
          WHERE n.created_at > $3 AND n.created_at <= $6
            AND (n.recipient_user_id = $1
                 OR (n.recipient_user_id = '' AND EXISTS (
                       SELECT 1 FROM institution_people p
                        WHERE p.institution_id = n.institution
                          AND $1 = ANY (CASE WHEN n.params ->> 'rung' = 'institution_validator'
                                             THEN p.validator_ids ELSE p.focal_point_ids END))
                 OR (n.recipient_user_id = '' AND EXISTS (
                       SELECT 1 FROM recipient_profiles c
                        WHERE c.subject = $1 AND c.coordinator_inbox = n.institution))))
          ORDER BY n.created_at, n.id`,
        [subject, cadence, since, pairs.map(([kind]) => kind), pairs.map(([, mail]) => mail), now],
      )) as Array<{ id: string }>;
      if (rows.length === 0) return false;
      const id = randomUUID();
      const inserted = (await manager.query(
        `INSERT INTO digests (id, subject, cadence, period_start, period_end, notification_ids)
         VALUES ($1, $2, $3, $4, $5, $6::uuid[]) ON CONFLICT DO NOTHING RETURNING id`,
        [id, subject, cadence, periodStart, now, rows.map((row) => row.id)],
      )) as Array<{ id: string }>;
      if (inserted.length === 0) return false; // the same run twice
      await manager.query(
        `INSERT INTO deliveries (id, digest_id, channel, recipient_subject) VALUES ($1, $2, 'email', $3)`,
        [randomUUID(), id, subject],
      );
      return true;
    });
  }
}
