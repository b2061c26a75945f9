// Mail delivery on real PostgreSQL and real SMTP servers: GreenMail for what is received, and an
// in-process SMTP server (smtp-server) that answers 4xx or 5xx where a test needs a refusal.
import { serviceDataSourceOptions, type Principal } from '@nmirf/platform';
import { receivedMails, requireInfrastructure, mailInfrastructure } from '@nmirf/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { GatherDigests } from '../digests/gather-digest';
import { addNotifications } from '../inbox/add-notifications';
import { InboxService } from '../inbox/inbox.service';
import type { NewNotification } from '../inbox/notification-kind';
import { RecipientsService } from '../recipients/recipients.service';
import { createMigratedDatabase } from '../testing/integration';
import { DeliverMail, MailDeferredError } from './deliver-mail';
import type { MailSettings } from './mail-settings';
import { SmtpMailTransport } from './mail-transport';

jest.setTimeout(60_000);

const run = randomBytes(4).toString('hex');
const JUSTICE = `Ministry of Justice ${run}`;
const address = (name: string) => `${name}.${run}@nmirf.test`;
const settings: MailSettings = {
  from: 'NMIRF <no-reply@nmirf.test>',
  webAppUrl: 'https://nmirf.test',
  attempts: 3,
  retryDelayMs: 1_000,
  dispatchEveryMs: 1_000,
  digestHour: 7,
};

function assigned(
  title: string,
  dueAt: string,
  sourceEventId: string | null = randomUUID(),
): NewNotification {
  return {
    id: randomUUID(),
    institution: JUSTICE,
    kind: 'action_assigned',
    actionId: randomUUID(),
    params: { title, dueAt },
    sourceEventId,
  };
}

describe('mail deliveries', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let greenmail: SmtpMailTransport;
  let deliverToGreenMail: DeliverMail;
  let refusing: SMTPServer;
  let refusingPort: number;
  /** RCPT TO answers for the refusing server: a 5xx, or 4xx a number of times before accepting. */
  const deferrals = new Map<string, number>();
  const accepted: string[] = [];

  const deliveriesOf = async (notificationId: string) =>
    (await dataSource.query(
      `SELECT d.id, d.recipient_subject, d.status, d.attempts, d.last_error
         FROM deliveries d WHERE d.notification_id = $1 ORDER BY d.recipient_subject`,
      [notificationId],
    )) as Array<{
      id: string;
      recipient_subject: string;
      status: string;
      attempts: number;
      last_error: string;
    }>;

  async function profile(subject: string, language: string, timeZone = 'UTC', email = address(subject)) {
    await dataSource.query(
      `INSERT INTO recipient_profiles (subject, email, language, time_zone, source) VALUES ($1, $2, $3, $4, 'provisioned')`,
      [subject, email, language, timeZone],
    );
  }

  beforeAll(async () => {
    await requireInfrastructure('postgres', 'greenmail');
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    greenmail = new SmtpMailTransport({ smtpUrl: mailInfrastructure.smtpUrl, from: settings.from });
    deliverToGreenMail = new DeliverMail(dataSource, greenmail, settings);
    refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(recipient, _session, callback) {
        const rule = deferrals.get(recipient.address);
        if (rule === -1)
          return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        if (rule && rule > 0) {
          deferrals.set(recipient.address, rule - 1);
          return callback(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          accepted.push(...session.envelope.rcptTo.map((rcpt) => rcpt.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    refusingPort = (refusing.server.address() as AddressInfo).port;

    // Justice's focal points: Arabic, French, one who turned assignments off, one on a daily digest,
    // one without a profile; and a person of another institution.
    await dataSource.query(
      `INSERT INTO institution_people (institution_id, focal_point_ids, names)
       VALUES ($1, $2, $3)`,
      [
        JUSTICE,
        ['fp-ar', 'fp-fr', 'fp-off', 'fp-daily', 'fp-unknown'].map((s) => `${s}-${run}`),
        { en: 'Ministry of Justice', fr: 'Ministère de la Justice', ar: 'وزارة العدل' },
      ],
    );
    await profile(`fp-ar-${run}`, 'ar', 'Asia/Amman');
    await profile(`fp-fr-${run}`, 'fr', 'Europe/Paris');
    await profile(`fp-off-${run}`, 'en');
    await profile(`fp-daily-${run}`, 'en', 'America/New_York');
    await dataSource.query(
      `INSERT INTO mail_preferences (subject, mail_kind, cadence) VALUES ($1, 'assignment', 'off'), ($2, 'assignment', 'daily')`,
      [`fp-off-${run}`, `fp-daily-${run}`],
    );
  });

  afterAll(async () => {
    greenmail?.onApplicationShutdown();
    await new Promise<void>((resolve) => (refusing ? refusing.close(() => resolve()) : resolve()));
    await dataSource?.destroy();
    await database?.drop();
  });

  it('plans one delivery per reachable focal point who wants it now, once however often the event comes', async () => {
    const notification = assigned('Train prison staff', '2026-06-30T10:00:00Z');
    await dataSource.transaction((manager) => addNotifications(manager, [notification]));
    // The same event again (a redelivery): no new notification, no new delivery.
    await dataSource.transaction((manager) =>
      addNotifications(manager, [{ ...notification, id: randomUUID() }]),
    );
    const planned = await deliveriesOf(notification.id);
    expect(planned.map((d) => [d.recipient_subject, d.status])).toEqual([
      [`fp-ar-${run}`, 'pending'],
      [`fp-fr-${run}`, 'pending'],
    ]);
  });

  it('mails the validators, not the focal points, for the escalation step that goes to validators', async () => {
    await dataSource.query(`UPDATE institution_people SET validator_ids = $2 WHERE institution_id = $1`, [
      JUSTICE,
      [`validator-${run}`],
    ]);
    await profile(`validator-${run}`, 'es');
    const toValidators: NewNotification = {
      id: randomUUID(),
      institution: JUSTICE,
      kind: 'escalation',
      actionId: randomUUID(),
      params: {
        title: 'Late',
        dueAt: '2026-01-10T10:00:00Z',
        institution: JUSTICE,
        step: 2,
        rung: 'institution_validator',
      },
      sourceEventId: null,
    };
    const toFocalPoints: NewNotification = {
      ...toValidators,
      id: randomUUID(),
      actionId: randomUUID(),
      params: { ...toValidators.params, step: 1, rung: 'focal_point' },
    } as NewNotification;
    await dataSource.transaction((manager) => addNotifications(manager, [toValidators, toFocalPoints]));
    expect((await deliveriesOf(toValidators.id)).map((d) => d.recipient_subject)).toEqual([
      `validator-${run}`,
    ]);
    // Every focal point with an address: the choices about assignments do not touch escalations.
    expect((await deliveriesOf(toFocalPoints.id)).map((d) => d.recipient_subject)).toEqual(
      ['fp-ar', 'fp-daily', 'fp-fr', 'fp-off'].map((name) => `${name}-${run}`),
    );
  });

  it('mails the coordinators, known by their tokens’ role, what reaches the coordinator’s inbox', async () => {
    const SECRETARIAT = `NMIRF Secretariat ${run}`;
    const recipients = new RecipientsService(dataSource, SECRETARIAT);
    const user = (subject: string, role: 'coordinator' | 'focal_point'): Principal => ({
      subject,
      name: subject,
      kind: 'user',
      roles: new Set([role]),
      institutions: [],
      scopes: new Set(),
      contact: { email: address(subject), locale: 'fr' },
    });
    await recipients.rememberToken(user(`coordinator-${run}`, 'coordinator'));
    await recipients.rememberToken(user(`former-${run}`, 'coordinator'));
    await recipients.rememberToken(user(`focal-${run}`, 'focal_point'));
    // The role went from the token: no longer a coordinator's mail.
    await recipients.rememberToken({ ...user(`former-${run}`, 'focal_point'), contact: undefined });
    const escalated: NewNotification = {
      id: randomUUID(),
      institution: SECRETARIAT,
      kind: 'escalation',
      actionId: randomUUID(),
      params: {
        title: 'Late',
        dueAt: '2026-01-10T10:00:00Z',
        institution: JUSTICE,
        step: 3,
        rung: 'coordinator',
      },
      sourceEventId: null,
    };
    const overdueCopy: NewNotification = {
      id: randomUUID(),
      institution: SECRETARIAT,
      kind: 'action_overdue',
      actionId: randomUUID(),
      params: { title: 'Late', dueAt: '2026-01-10T10:00:00Z', institution: JUSTICE },
      sourceEventId: null,
    };
    await dataSource.transaction((manager) => addNotifications(manager, [escalated, overdueCopy]));
    for (const notification of [escalated, overdueCopy])
      expect((await deliveriesOf(notification.id)).map((d) => d.recipient_subject)).toEqual([
        `coordinator-${run}`,
      ]);
    // The ministry's own mails are not the coordinator's.
    const ministry = assigned('Not for the secretariat', '2026-06-30T10:00:00Z');
    await dataSource.transaction((manager) => addNotifications(manager, [ministry]));
    expect((await deliveriesOf(ministry.id)).map((d) => d.recipient_subject)).not.toContain(
      `coordinator-${run}`,
    );
  });

  it('sends each delivery once, in its reader’s language, with a Message-ID derived from the delivery', async () => {
    const notification = assigned('Ratify OP-CAT', '2026-06-30T22:30:00Z');
    await dataSource.transaction((manager) => addNotifications(manager, [notification]));
    const planned = await deliveriesOf(notification.id);
    for (const delivery of planned) {
      expect(await deliverToGreenMail.deliver(delivery.id, { made: 0, max: 3 })).toBe('sent');
      // A second run of the same job (a retry after a crash that recorded the send) sends nothing.
      expect(await deliverToGreenMail.deliver(delivery.id, { made: 1, max: 3 })).toBe('already_done');
    }
    expect((await deliveriesOf(notification.id)).map((d) => d.status)).toEqual(['sent', 'sent']);

    const arabic = (await receivedMails(address(`fp-ar-${run}`))).filter((m) => m.subject.includes('OP-CAT'));
    const french = (await receivedMails(address(`fp-fr-${run}`))).filter((m) => m.subject.includes('OP-CAT'));
    expect(arabic).toHaveLength(1);
    expect(french).toHaveLength(1);
    const arabicDelivery = planned.find((d) => d.recipient_subject === `fp-ar-${run}`);
    expect(arabic[0].messageId).toBe(`<${arabicDelivery?.id}@nmirf.test>`);
    expect(arabic[0].subject).toBe('إجراء جديد لـ وزارة العدل: Ratify OP-CAT');
    expect(arabic[0].html).toContain('dir="rtl"');
    // 22:30 UTC on 30 June is already 1 July in Amman (UTC+3) and in Paris (UTC+2): the reader's day.
    expect(arabic[0].text).toContain('1 يوليو 2026');
    expect(french[0].subject).toBe('Nouvelle action pour Ministère de la Justice : Ratify OP-CAT');
    expect(french[0].text).toContain('1 juillet 2026');
    expect(french[0].text).toContain(`https://nmirf.test/actions/${notification.actionId}`);
    expect(french[0].html).toContain('href="https://nmirf.test/settings/notifications"');
  });

  it('records a 5xx refusal as a permanent failure at once, without retrying, and shows it in the inbox', async () => {
    const refusingTransport = new SmtpMailTransport({
      smtpUrl: `smtp://127.0.0.1:${refusingPort}`,
      from: settings.from,
    });
    try {
      const deliver = new DeliverMail(dataSource, refusingTransport, settings);
      const notification = assigned('Refused', '2026-06-30T10:00:00Z');
      await dataSource.transaction((manager) => addNotifications(manager, [notification]));
      const [arabic] = await deliveriesOf(notification.id);
      deferrals.set(address(`fp-ar-${run}`), -1);
      expect(await deliver.deliver(arabic.id, { made: 0, max: 3 })).toBe('failed');
      const [recorded] = await deliveriesOf(notification.id);
      expect(recorded).toMatchObject({ status: 'failed', attempts: 1 });
      expect(recorded.last_error).toContain('550');
      expect(accepted).not.toContain(address(`fp-ar-${run}`));
      // The inbox shows it, per person and channel.
      const page = await new InboxService(dataSource).list(JUSTICE, { limit: 100, offset: 0 });
      const shown = page.items.find((item) => item.id === notification.id);
      expect(shown?.deliveries).toEqual([
        expect.objectContaining({ channel: 'email', recipient: `fp-ar-${run}`, status: 'failed' }),
        expect.objectContaining({ channel: 'email', recipient: `fp-fr-${run}`, status: 'pending' }),
      ]);
      expect(shown?.deliveries[0].lastError).toContain('550');
    } finally {
      refusingTransport.onApplicationShutdown();
      deferrals.clear();
    }
  });

  it('retries a 4xx deferral and an unreachable server, and gives up after the last attempt', async () => {
    const refusingTransport = new SmtpMailTransport({
      smtpUrl: `smtp://127.0.0.1:${refusingPort}`,
      from: settings.from,
    });
    // Nothing listens there: connection refused.
    const unreachable = new SmtpMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', from: settings.from });
    try {
      const notification = assigned('Deferred', '2026-06-30T10:00:00Z');
      await dataSource.transaction((manager) => addNotifications(manager, [notification]));
      const [arabic, french] = await deliveriesOf(notification.id);

      deferrals.set(address(`fp-fr-${run}`), 1);
      const deliver = new DeliverMail(dataSource, refusingTransport, settings);
      await expect(deliver.deliver(french.id, { made: 0, max: 3 })).rejects.toThrow(MailDeferredError);
      expect((await deliveriesOf(notification.id))[1]).toMatchObject({ status: 'pending', attempts: 1 });
      expect((await deliveriesOf(notification.id))[1].last_error).toContain('451');
      expect(await deliver.deliver(french.id, { made: 1, max: 3 })).toBe('sent');
      expect(accepted.filter((to) => to === address(`fp-fr-${run}`))).toHaveLength(1);

      const cut = new DeliverMail(dataSource, unreachable, settings);
      await expect(cut.deliver(arabic.id, { made: 0, max: 3 })).rejects.toThrow(MailDeferredError);
      await expect(cut.deliver(arabic.id, { made: 1, max: 3 })).rejects.toThrow(MailDeferredError);
      expect(await cut.deliver(arabic.id, { made: 2, max: 3 })).toBe('failed');
      const [recorded] = await deliveriesOf(notification.id);
      expect(recorded).toMatchObject({ status: 'failed', attempts: 3 });
      expect(recorded.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
    } finally {
      refusingTransport.onApplicationShutdown();
      unreachable.onApplicationShutdown();
      deferrals.clear();
    }
  });

  it('gathers a daily digest grouped by due date, and sends no empty one', async () => {
    const digests = new GatherDigests(dataSource);
    const subject = `fp-daily-${run}`;
    const later = assigned('Later action', '2026-09-15T12:00:00Z');
    const sooner = assigned('Sooner action', '2026-08-01T12:00:00Z');
    const sameDay = assigned('Same day action', '2026-08-01T20:00:00Z');
    await dataSource.transaction((manager) => addNotifications(manager, [later, sooner, sameDay]));
    // The digest reader gets no immediate mail for these.
    expect((await deliveriesOf(later.id)).map((d) => d.recipient_subject)).not.toContain(subject);

    const now = new Date(Date.now() + 1_000);
    expect(await digests.run('daily', 'America/New_York', now)).toBe(1);
    const [digest] = (await dataSource.query(
      `SELECT id, notification_ids FROM digests WHERE subject = $1 ORDER BY period_end DESC LIMIT 1`,
      [subject],
    )) as Array<{ id: string; notification_ids: string[] }>;
    // Everything since the first period began: the three above and the earlier tests' assignments.
    expect(digest.notification_ids).toEqual(expect.arrayContaining([later.id, sooner.id, sameDay.id]));
    const [delivery] = (await dataSource.query(`SELECT id FROM deliveries WHERE digest_id = $1`, [
      digest.id,
    ])) as Array<{
      id: string;
    }>;
    expect(await deliverToGreenMail.deliver(delivery.id, { made: 0, max: 3 })).toBe('sent');

    const [mail] = (await receivedMails(address(subject))).filter((m) => m.subject.startsWith('NMIRF:'));
    expect(mail.subject).toBe(`NMIRF: ${digest.notification_ids.length} updates`);
    const text = mail.text ?? '';
    const august = text.indexOf('Due on August 1, 2026');
    const september = text.indexOf('Due on September 15, 2026');
    expect(august).toBeGreaterThan(-1);
    expect(september).toBeGreaterThan(august);
    // Both August items sit under the one August heading, before September's.
    expect(text.indexOf('Sooner action')).toBeGreaterThan(august);
    expect(text.indexOf('Same day action')).toBeLessThan(september);
    expect(text.match(/Due on August 1, 2026/g)).toHaveLength(1);

    // Nothing new since: no digest, no mail.
    expect(await digests.run('daily', 'America/New_York', new Date(now.getTime() + 60_000))).toBe(0);
    expect(
      (await dataSource.query(`SELECT count(*)::int AS n FROM digests WHERE subject = $1`, [subject]))[0].n,
    ).toBe(1);
  });
});
