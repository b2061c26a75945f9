// Mail on the real stack: actions assigned to two ministries reach their focal points by SMTP
// (GreenMail), each in their language; then a burst of mails survives a kill -9 of the worker with
// every mail received, each under one Message-ID.
import { bearer, demoToken, http, receivedMails, Stack, waitFor, type ReceivedMail } from '@nmirf/testing';
import { Client } from 'pg';
import { createRecommendation, MINISTRY } from './helpers';

const INTERIOR = 'Ministry of Interior';
const BURST = 50;

describe('email to focal points', () => {
  let stack: Stack;
  let database: Client;
  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const notifications = (path: string) => `${stack.url('notifications')}${path}`;
  const person = (name: string) => `${name}-${stack.id}`;
  const address = (name: string) => `${person(name)}@nmirf.test`;

  /** Names the focal points of an institution in the actions service's directory. */
  async function setFocalPoints(institution: string, focalPointIds: string[], names: Record<string, string>) {
    const entry = await http('GET', actions(`/institutions/${encodeURIComponent(institution)}`));
    expect(entry.status).toBe(200);
    const { kind, parentId, acronym, validatorIds } = entry.body;
    const updated = await http(
      'PUT',
      actions(`/institutions/${encodeURIComponent(institution)}`),
      { kind, parentId, acronym, validatorIds, names: { ...entry.body.names, ...names }, focalPointIds },
      { 'if-match': `"${entry.body.version}"` },
    );
    expect(updated.status).toBe(200);
    // Notifications learns of it through Kafka; a notification written before would reach nobody.
    await waitFor(`notifications to know ${institution}'s focal points`, async () => {
      const { rows } = await database.query(
        `SELECT focal_point_ids FROM notifications.institution_people WHERE institution_id = $1`,
        [institution],
      );
      return JSON.stringify(rows[0]?.focal_point_ids) === JSON.stringify(focalPointIds) || undefined;
    });
  }

  async function assign(recommendationId: string, institution: string, title: string) {
    return waitFor('the action to be created', async () => {
      const response = await http('POST', actions('/actions'), {
        recommendationId,
        title,
        institution,
        dueDate: new Date('2027-03-15T12:00:00Z').toISOString(),
      });
      if (response.status === 422) return undefined; // the recommendation is still on its way
      expect(response.status).toBe(201);
      return response.body as { id: string };
    });
  }

  beforeAll(async () => {
    stack = await Stack.start({ name: 'email' });
    database = new Client({ connectionString: stack.database.url });
    await database.connect();
  });

  afterAll(async () => {
    await database?.end();
    await stack?.stop();
  });

  it('mails an assignment to a focal point who reads Arabic and to one who reads French', async () => {
    for (const [name, language, timeZone] of [
      ['fp-ar', 'ar', 'Asia/Amman'],
      ['fp-fr', 'fr', 'Europe/Paris'],
    ]) {
      const provisioned = await http('PUT', notifications(`/recipients/${person(name)}`), {
        email: address(name),
        language,
        timeZone,
      });
      expect(provisioned.status).toBe(200);
      expect(provisioned.body).toMatchObject({ language, timeZone, source: 'provisioned' });
    }
    await setFocalPoints(MINISTRY, [person('fp-ar')], { ar: 'وزارة العدل' });
    await setFocalPoints(INTERIOR, [person('fp-fr')], { fr: 'Ministère de l’Intérieur' });

    const recommendationId = await createRecommendation(stack);
    const justiceAction = await assign(recommendationId, MINISTRY, 'Train prison staff on the Mandela Rules');
    const interiorAction = await assign(recommendationId, INTERIOR, 'Train border police on non-refoulement');

    const [arabic] = await waitFor('the Arabic mail', async () => {
      const mails = await receivedMails(address('fp-ar'));
      return mails.length > 0 ? mails : undefined;
    });
    const [french] = await waitFor('the French mail', async () => {
      const mails = await receivedMails(address('fp-fr'));
      return mails.length > 0 ? mails : undefined;
    });

    expect(arabic.subject).toBe('إجراء جديد لـ وزارة العدل: Train prison staff on the Mandela Rules');
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.html).toContain(`href="https://nmirf.test/actions/${justiceAction.id}"`);
    expect(arabic.text).toContain(`https://nmirf.test/actions/${justiceAction.id}`);
    expect(arabic.text).toContain('15 مارس 2027');
    expect(arabic.text).toContain('https://nmirf.test/settings/notifications');
    expect(arabic.headers['content-language']).toBe('ar');

    expect(french.subject).toBe(
      'Nouvelle action pour Ministère de l’Intérieur : Train border police on non-refoulement',
    );
    expect(french.html).toContain('<html lang="fr" dir="ltr">');
    expect(french.html).toContain(`href="https://nmirf.test/actions/${interiorAction.id}"`);
    expect(french.text).toContain('avec pour échéance le 15 mars 2027');
    expect(french.text).toContain(`https://nmirf.test/actions/${interiorAction.id}`);
    expect(french.messageId).toMatch(/^<[0-9a-f-]{36}@nmirf\.test>$/);

    // The inbox tells the ministry its mail went out.
    const justiceInbox = await waitFor('the delivery to show as sent', async () => {
      const page = await http('GET', notifications(`/institutions/${encodeURIComponent(MINISTRY)}/inbox`));
      const item = page.body.items.find(
        (candidate: { actionId: string; kind: string }) =>
          candidate.actionId === justiceAction.id && candidate.kind === 'action_assigned',
      );
      return item?.deliveries?.[0]?.status === 'sent' ? item : undefined;
    });
    expect(justiceInbox.deliveries).toEqual([
      expect.objectContaining({ channel: 'email', recipient: person('fp-ar'), status: 'sent', attempts: 1 }),
    ]);
    expect(french.messageId).not.toBe(arabic.messageId);
  });

  it('fills a profile from the sign-in token, keeps preferences personal, and keeps overdue on', async () => {
    const interior = bearer(await demoToken('focal.interior'));
    const mine = await http('GET', notifications('/me/profile'), undefined, interior);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ email: 'focal.interior@example.org', source: 'token' });

    const off = await http(
      'PUT',
      notifications('/me/mail-preferences'),
      { preferences: [{ kind: 'overdue', cadence: 'off' }] },
      interior,
    );
    expect(off.status).toBe(400);
    expect(off.body.message).toContain('overdue mails cannot be turned off');

    const digest = await http(
      'PUT',
      notifications('/me/mail-preferences'),
      { preferences: [{ kind: 'reminder', cadence: 'weekly' }] },
      interior,
    );
    expect(digest.status).toBe(200);
    expect(digest.body.preferences).toContainEqual({ kind: 'reminder', cadence: 'weekly', canTurnOff: true });
    // Someone else's preferences are their own: the coordinator's are untouched.
    const coordinators = await http('GET', notifications('/me/mail-preferences'));
    expect(coordinators.body.preferences).toContainEqual({
      kind: 'reminder',
      cadence: 'immediate',
      canTurnOff: true,
    });
    // A focal point cannot read or provision another person's profile.
    expect(
      (await http('GET', notifications(`/recipients/${person('fp-ar')}`), undefined, interior)).status,
    ).toBe(403);
    expect(
      (
        await http(
          'PUT',
          notifications(`/recipients/${person('fp-ar')}`),
          { email: 'someone@else.example', language: 'en', timeZone: 'UTC' },
          interior,
        )
      ).status,
    ).toBe(403);
  });

  it('delivers a burst of mails through a kill -9 of the worker, each under one Message-ID', async () => {
    const provisioned = await http('PUT', notifications(`/recipients/${person('fp-burst')}`), {
      email: address('fp-burst'),
      language: 'ru',
      timeZone: 'Europe/Moscow',
    });
    expect(provisioned.status).toBe(200);
    await setFocalPoints(MINISTRY, [person('fp-burst')], {});

    // The worker is down while the burst is written: the mails wait in PostgreSQL.
    const worker = stack.process('notifications-worker');
    await worker.stop('SIGTERM');
    const recommendationId = await createRecommendation(stack, '143.2');
    for (let i = 0; i < BURST; i += 1) await assign(recommendationId, MINISTRY, `Burst action ${i}`);
    const pending = async () =>
      (
        await database.query(`SELECT id, status FROM notifications.deliveries WHERE recipient_subject = $1`, [
          person('fp-burst'),
        ])
      ).rows as Array<{ id: string; status: string }>;
    const planned = await waitFor('every burst mail to be planned', async () => {
      const rows = await pending();
      return rows.length === BURST ? rows : undefined;
    });

    // Start it, and kill it as soon as the first mail is out, with the rest on their way.
    worker.start();
    await waitFor(
      'the first mails of the burst',
      async () => (await receivedMails(address('fp-burst'))).length >= 1,
      {
        intervalMs: 20,
        timeoutMs: 60_000,
      },
    );
    await worker.stop('SIGKILL');
    const beforeRestart = (await receivedMails(address('fp-burst'))).length;
    worker.start();
    await worker.waitReady();

    // A job the kill interrupted runs again once its lock expires.
    await waitFor(
      'every burst delivery to be recorded as sent',
      async () => (await pending()).every((row) => row.status === 'sent') || undefined,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const mails: ReceivedMail[] = await receivedMails(address('fp-burst'));
    const perMessageId = new Map<string, number>();
    for (const mail of mails) perMessageId.set(mail.messageId, (perMessageId.get(mail.messageId) ?? 0) + 1);
    const expected = planned.map((row) => `<${row.id}@nmirf.test>`).sort();
    // Every delivery arrived, under the Message-ID of its delivery, and no other mail did.
    expect([...perMessageId.keys()].sort()).toEqual(expected);
    // A mail the kill caught between "sent" and "recorded" is resent at most once, with the same id.
    const resent = [...perMessageId.values()].filter((count) => count > 1);
    expect(resent.every((count) => count === 2)).toBe(true);
    process.stdout.write(
      `email burst: ${BURST} deliveries, ${beforeRestart} received before the kill -9, ${mails.length} received in all, ` +
        `${perMessageId.size} distinct Message-IDs, ${resent.length} resent once after the crash\n`,
    );
  });
});
