import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { Cadence, MailKind } from '../email/mail-kinds';

/** One person's choice for one kind of mail; absent: immediate. */
@Entity({ name: 'mail_preferences' })
@Check('mail_preferences_cadence', `cadence IN ('immediate', 'daily', 'weekly', 'off')`)
@Check('mail_preferences_always_on', `cadence <> 'off' OR mail_kind NOT IN ('overdue', 'escalation')`)
export class MailPreference {
  @PrimaryColumn('text')
  subject: string;

  @PrimaryColumn('text', { name: 'mail_kind' })
  mailKind: MailKind;

  @Column('text')
  cadence: Cadence;
}
