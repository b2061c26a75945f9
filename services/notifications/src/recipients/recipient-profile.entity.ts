import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from './languages';

/** Who set the profile last: the person's token, the person, or a coordinator before they signed in. */
export type ProfileSource = 'token' | 'user' | 'provisioned';

/** How to write to one person (a token subject): there is no user directory but the tokens. */
@Entity({ name: 'recipient_profiles' })
@Index('recipient_profiles_coordinator_inbox', ['coordinatorInbox'], {
  where: 'coordinator_inbox IS NOT NULL',
})
@Check('recipient_profiles_language', `language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')`)
@Check('recipient_profiles_source', `source IN ('token', 'user', 'provisioned')`)
export class RecipientProfile {
  @PrimaryColumn('text')
  subject: string;

  /** Null: no mail can reach them (the inbox still does). */
  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { default: 'en' })
  language: Language;

  /** IANA name; dates in mails and the hour of digests follow it. */
  @Column('text', { name: 'time_zone', default: 'UTC' })
  timeZone: string;

  @Column('text')
  source: ProfileSource;

  /**
   * The coordinator's inbox (COORDINATOR_INSTITUTION) this person reads, from the `coordinator` role
   * of their last token; null for everyone else. Its mails go to them.
   */
  @Column('text', { name: 'coordinator_inbox', nullable: true })
  coordinatorInbox: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
