import { Injectable } from '@nestjs/common';
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

/**
 * The recipients directory: how to write to each person, by token subject. Filled from the token on
 * each call to this service, unless the person set it themselves (their choice wins over the
 * provider's claims); a coordinator provisions people who have not signed in yet.
 */
@Injectable()
export class RecipientsService {
  /** subject → the claims last written, so an unchanged token costs no write. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async rememberToken(principal: Principal): Promise<void> {
    const contact = tokenContact(principal);
    if (!contact) return;
    const fingerprint = JSON.stringify(contact);
    if (this.seen.get(principal.subject) === fingerprint) return;
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(RecipientProfile, {
        where: { subject: principal.subject },
        lock: { mode: 'pessimistic_write' },
      });
      if (existing?.source === 'user') return;
      const next = {
        email: contact.email ?? existing?.email ?? null,
        language: contact.language ?? existing?.language ?? 'en',
        timeZone: contact.timeZone ?? existing?.timeZone ?? 'UTC',
      };
      if (
        existing &&
        existing.email === next.email &&
        existing.language === next.language &&
        existing.timeZone === next.timeZone
      )
        return;
      await this.write(manager, principal.subject, next, 'token');
    });
    if (this.seen.size > 10_000) this.seen.clear();
    this.seen.set(principal.subject, fingerprint);
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
    fields: { email: string | null; language: Language; timeZone: string },
    source: ProfileSource,
  ): Promise<void> {
    await manager.upsert(
      RecipientProfile,
      { subject, ...fields, source, updatedAt: new Date() },
      { conflictPaths: ['subject'] },
    );
  }
}
