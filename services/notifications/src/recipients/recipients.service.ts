import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, type Principal } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { languageOf, isTimeZone, type Language } from './languages';
import { RecipientProfile, type ProfileSource } from './recipient-profile.entity';

export interface ProfileFields {
  email: string;
  language: Language;
  timeZone: string;
}

/** What a token says of its bearer, when it says it: the standard claims email, locale, zoneinfo. */
export function tokenContact(principal: Principal): Partial<ProfileFields> | undefined {
  if (principal.kind !== 'user' || !principal.contact) return undefined;
  const { email, locale, zoneinfo } = principal.contact;
  const fields: Partial<ProfileFields> = {};
  if (email && /^[^\s@]+@[^\s@]+$/.test(email)) fields.email = email;
  const language = languageOf(locale);
  if (language) fields.language = language;
  if (isTimeZone(zoneinfo)) fields.timeZone = zoneinfo;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** The coordinator's inbox (COORDINATOR_INSTITUTION), whose mails go to the people with the coordinator role. */
export const COORDINATOR_INBOX = Symbol('COORDINATOR_INBOX');

/**
 * The recipients directory: how to write to each person, by token subject. Filled from the token on
 * each call to this service, unless the person set it themselves (their choice wins over the
 * provider's claims); a coordinator provisions people who have not signed in yet.
 */
@Injectable()
export class RecipientsService {
  /** subject → the claims last written, so an unchanged token costs no write. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(COORDINATOR_INBOX) private readonly coordinatorInbox: string | null = null,
  ) {}

  /**
   * The contact claims, unless the person set their profile themselves, and whether they are a
   * coordinator: that comes from the token's role whoever set the rest.
   */
  async rememberToken(principal: Principal): Promise<void> {
    const contact = tokenContact(principal) ?? {};
    const coordinatorInbox =
      principal.kind === 'user' && principal.roles.has('coordinator') ? this.coordinatorInbox : null;
    if (Object.keys(contact).length === 0 && !coordinatorInbox) {
      // Nothing to record, unless a profile says they were a coordinator and the role went.
      if (this.seen.get(principal.subject) === 'none') return;
      // In a transaction, like every change: that is what hands the actor to the audit trail.
      await this.dataSource.transaction((manager) =>
        manager.query(
          `UPDATE recipient_profiles SET coordinator_inbox = NULL, updated_at = now()
            WHERE subject = $1 AND coordinator_inbox IS NOT NULL`,
          [principal.subject],
        ),
      );
      this.remember(principal.subject, 'none');
      return;
    }
    const fingerprint = JSON.stringify({ contact, coordinatorInbox });
    if (this.seen.get(principal.subject) === fingerprint) return;
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(RecipientProfile, {
        where: { subject: principal.subject },
        lock: { mode: 'pessimistic_write' },
      });
      const own = existing?.source === 'user';
      const next = {
        email: own ? (existing?.email ?? null) : (contact.email ?? existing?.email ?? null),
        language: own ? (existing?.language ?? 'en') : (contact.language ?? existing?.language ?? 'en'),
        timeZone: own ? (existing?.timeZone ?? 'UTC') : (contact.timeZone ?? existing?.timeZone ?? 'UTC'),
        coordinatorInbox,
      };
      if (
        existing &&
        existing.email === next.email &&
        existing.language === next.language &&
        existing.timeZone === next.timeZone &&
        existing.coordinatorInbox === next.coordinatorInbox
      )
        return;
      await this.write(manager, principal.subject, next, own ? 'user' : 'token');
    });
    this.remember(principal.subject, fingerprint);
  }

  private remember(subject: string, fingerprint: string): void {
    if (this.seen.size > 10_000) this.seen.clear();
    this.seen.set(subject, fingerprint);
  }

  async profileOf(subject: string): Promise<RecipientProfile | null> {
    return this.dataSource.manager.findOneBy(RecipientProfile, { subject });
  }

  /** The caller's own profile; one the token did not fill yet reads as the defaults. */
  async mine(caller: Principal): Promise<RecipientProfile> {
    await this.rememberToken(caller);
    return (
      (await this.profileOf(caller.subject)) ??
      Object.assign(new RecipientProfile(), {
        subject: caller.subject,
        email: null,
        language: 'en',
        timeZone: 'UTC',
        source: 'token',
        coordinatorInbox: null,
      })
    );
  }

  /** The person's own choice: the token no longer overwrites it. */
  async updateMine(caller: Principal, fields: ProfileFields): Promise<RecipientProfile> {
    return this.save(caller.subject, fields, 'user');
  }

  /** A coordinator's or administrator's entry for someone, e.g. before they first sign in. */
  async provision(subject: string, fields: ProfileFields): Promise<RecipientProfile> {
    return this.save(subject, fields, 'provisioned');
  }

  async get(subject: string): Promise<RecipientProfile> {
    const profile = await this.profileOf(subject);
    if (!profile) throw DomainError.notFound('Recipient', subject);
    return profile;
  }

  private async save(
    subject: string,
    fields: ProfileFields,
    source: ProfileSource,
  ): Promise<RecipientProfile> {
    // In a transaction, like every change: that is what hands the actor to the audit trail.
    await this.dataSource.transaction((manager) => this.write(manager, subject, fields, source));
    this.seen.delete(subject);
    return this.get(subject);
  }

  private async write(
    manager: EntityManager,
    subject: string,
    fields: { email: string | null; language: Language; timeZone: string; coordinatorInbox?: string | null },
    source: ProfileSource,
  ): Promise<void> {
    await manager.upsert(
      RecipientProfile,
      { subject, ...fields, source, updatedAt: new Date() },
      { conflictPaths: ['subject'] },
    );
  }
}
