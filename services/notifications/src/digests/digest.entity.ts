import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DigestCadence } from '../email/mail-kinds';

/** What one digest gathered for one person: the notifications written in its period. */
@Entity({ name: 'digests' })
@Index('digests_period', ['subject', 'cadence', 'periodEnd'], { unique: true })
@Check('digests_cadence', `cadence IN ('daily', 'weekly')`)
export class Digest {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  subject: string;

  @Column('text')
  cadence: DigestCadence;

  /** The end of the previous digest; null for the first one. */
  @Column('timestamptz', { name: 'period_start', nullable: true })
  periodStart: Date | null;

  @Column('timestamptz', { name: 'period_end' })
  periodEnd: Date;

  @Column('uuid', { name: 'notification_ids', array: true })
  notificationIds: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
