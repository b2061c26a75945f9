import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import type { Cadence, MailKind } from '../email/mail-kinds';
import { MailPreference } from './mail-preference.entity';
import { effectivePreferences, preferenceProblems, type PreferenceChange } from './preference-rules';

/** A person's choice, per kind of mail, of immediate mail, a daily or weekly digest, or none. */
@Injectable()
export class PreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  async mine(caller: Principal) {
    const stored = await this.dataSource.manager.findBy(MailPreference, { subject: caller.subject });
    return { preferences: effectivePreferences(stored) };
  }

  async update(caller: Principal, changes: PreferenceChange[]) {
    const problems = preferenceProblems(changes);
    if (problems.length > 0)
      throw new BadRequestException({
        error: 'Bad Request',
        message: problems.map((problem) => problem.message).join('; '),
        errors: problems.map((problem) => ({ field: problem.field, messages: [problem.message] })),
      });
    // In a transaction, like every change: that is what hands the actor to the audit trail.
    await this.dataSource.transaction(async (manager) => {
      if (changes.length === 0) return;
      await manager.upsert(
        MailPreference,
        changes.map(({ kind, cadence }) => ({
          subject: caller.subject,
          mailKind: kind as MailKind,
          cadence: cadence as Cadence,
        })),
        { conflictPaths: ['subject', 'mailKind'] },
      );
    });
    return this.mine(caller);
  }
}
