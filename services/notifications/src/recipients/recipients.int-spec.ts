// The recipients directory and preferences on a real, migrated PostgreSQL, with the audit trail.
import { BadRequestException } from '@nestjs/common';
import { serviceDataSourceOptions, type Principal } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { PreferencesService } from '../preferences/preferences.service';
import { createMigratedDatabase } from '../testing/integration';
import { RecipientsService } from './recipients.service';

jest.setTimeout(30_000);

const person = (subject: string, contact: Principal['contact']): Principal => ({
  subject,
  name: subject,
  kind: 'user',
  roles: new Set(['focal_point']),
  institutions: ['Ministry of Justice'],
  scopes: new Set(),
  contact,
});

describe('recipients and preferences', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let recipients: RecipientsService;
  let preferences: PreferencesService;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    recipients = new RecipientsService(dataSource);
    preferences = new PreferencesService(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('fills a profile from the token, and lets the token update it until the person sets it', async () => {
    await recipients.rememberToken(
      person('a', { email: 'a@justice.example', locale: 'ar-JO', zoneinfo: 'Asia/Amman' }),
    );
    expect(await recipients.get('a')).toMatchObject({
      email: 'a@justice.example',
      language: 'ar',
      timeZone: 'Asia/Amman',
      source: 'token',
    });
    await recipients.rememberToken(person('a', { email: 'a.new@justice.example' }));
    expect(await recipients.get('a')).toMatchObject({ email: 'a.new@justice.example', language: 'ar' });

    const caller = person('a', { email: 'a.new@justice.example' });
    await recipients.updateMine(caller, {
      email: 'a.own@justice.example',
      language: 'fr',
      timeZone: 'Europe/Paris',
    });
    await recipients.rememberToken(person('a', { email: 'a.token@justice.example', locale: 'en' }));
    expect(await recipients.get('a')).toMatchObject({
      email: 'a.own@justice.example',
      language: 'fr',
      source: 'user',
    });
  });

  it('takes the token over a coordinator’s provisional entry once the person signs in', async () => {
    await recipients.provision('b', { email: 'b@old.example', language: 'ru', timeZone: 'Europe/Moscow' });
    expect((await recipients.get('b')).source).toBe('provisioned');
    await recipients.rememberToken(person('b', { email: 'b@interior.example' }));
    expect(await recipients.get('b')).toMatchObject({
      email: 'b@interior.example',
      language: 'ru',
      source: 'token',
    });
  });

  it('keeps the changes in the audit trail', async () => {
    const rows = (await dataSource.query(
      `SELECT entity, action FROM audit_record WHERE entity = 'recipient_profiles' ORDER BY id`,
    )) as Array<{ entity: string; action: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  it('stores preferences per person, refuses overdue off, and leaves others’ alone', async () => {
    const a = person('a', undefined);
    const b = person('b', undefined);
    await expect(preferences.update(a, [{ kind: 'overdue', cadence: 'off' }])).rejects.toThrow(
      BadRequestException,
    );
    await preferences.update(a, [
      { kind: 'reminder', cadence: 'daily' },
      { kind: 'assignment', cadence: 'off' },
    ]);
    await preferences.update(a, [{ kind: 'reminder', cadence: 'weekly' }]);
    const mine = (await preferences.mine(a)).preferences;
    expect(mine.find((p) => p.kind === 'reminder')?.cadence).toBe('weekly');
    expect(mine.find((p) => p.kind === 'assignment')?.cadence).toBe('off');
    expect((await preferences.mine(b)).preferences.every((p) => p.cadence === 'immediate')).toBe(true);
    // The table refuses it too, whoever writes.
    await expect(
      dataSource.query(
        `INSERT INTO mail_preferences (subject, mail_kind, cadence) VALUES ('c', 'escalation', 'off')`,
      ),
    ).rejects.toThrow(/mail_preferences_always_on/);
  });
});
