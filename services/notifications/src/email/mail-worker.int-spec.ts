// The mail queue on real PostgreSQL, Redis and GreenMail: pending deliveries are queued and sent,
// a Redis wipe is repaired from PostgreSQL, and digest schedulers follow the time zones in use.
import { serviceDataSourceOptions } from '@nmirf/platform';
import { mailInfrastructure, receivedMails, requireInfrastructure, waitFor } from '@nmirf/testing';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GatherDigests } from '../digests/gather-digest';
import { addNotifications } from '../inbox/add-notifications';
import { createMigratedDatabase, REDIS_URL } from '../testing/integration';
import { DeliverMail } from './deliver-mail';
import { MAIL_QUEUE } from './mail-jobs';
import type { MailSettings } from './mail-settings';
import { SmtpMailTransport } from './mail-transport';
import { MailWorker } from './mail-worker';

jest.setTimeout(60_000);

const run = randomBytes(4).toString('hex');
const INSTITUTION = `Ministry of Health ${run}`;
const settings: MailSettings = {
  from: 'NMIRF <no-reply@nmirf.test>',
  webAppUrl: 'https://nmirf.test',
  attempts: 3,
  retryDelayMs: 1_000,
  dispatchEveryMs: 300,
  digestHour: 7,
};

describe('mail worker', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let transport: SmtpMailTransport;
  let worker: MailWorker;
  let redis: IORedis;
  let queue: Queue;
  const prefix = `q-mail-${run}`;
  const subject = `fp-worker-${run}`;
  const address = `${subject}@nmirf.test`;

  beforeAll(async () => {
    await requireInfrastructure('postgres', 'redis', 'greenmail');
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    transport = new SmtpMailTransport({ smtpUrl: mailInfrastructure.smtpUrl, from: settings.from });
    worker = new MailWorker(
      dataSource,
      new DeliverMail(dataSource, transport, settings),
      new GatherDigests(dataSource),
      settings,
      { redisUrl: REDIS_URL, queuePrefix: prefix },
    );
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(MAIL_QUEUE, { connection: redis, prefix });
    await dataSource.query(
      `INSERT INTO institution_people (institution_id, focal_point_ids) VALUES ($1, $2)`,
      [INSTITUTION, [subject]],
    );
    await dataSource.query(
      `INSERT INTO recipient_profiles (subject, email, language, time_zone, source) VALUES ($1, $2, 'es', 'America/Bogota', 'provisioned')`,
      [subject, address],
    );
    worker.onApplicationBootstrap();
    await worker.whenStarted();
  });

  afterAll(async () => {
    await worker?.beforeApplicationShutdown();
    transport?.onApplicationShutdown();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    redis?.disconnect();
    await dataSource?.destroy();
    await database?.drop();
  });

  async function notify(title: string, id = randomUUID()): Promise<string> {
    await dataSource.transaction((manager) =>
      addNotifications(manager, [
        {
          id,
          institution: INSTITUTION,
          kind: 'action_assigned',
          actionId: randomUUID(),
          params: { title, dueAt: '2027-01-20T15:00:00Z' },
          sourceEventId: randomUUID(),
        },
      ]),
    );
    return id;
  }

  const statusOf = async (notificationId: string) =>
    (
      (await dataSource.query(`SELECT status FROM deliveries WHERE notification_id = $1`, [
        notificationId,
      ])) as Array<{
        status: string;
      }>
    )[0]?.status;

  it('queues what PostgreSQL holds and sends it, in Spanish', async () => {
    const id = await notify('Adoptar el plan nacional');
    await waitFor('the delivery to be sent', async () => (await statusOf(id)) === 'sent' || undefined);
    const mails = (await receivedMails(address)).filter((mail) =>
      mail.subject.includes('Adoptar el plan nacional'),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Nueva acción para ${INSTITUTION}: Adoptar el plan nacional`);
    expect(mails[0].text).toContain('20 de enero de 2027');
  });

  it('sends what was pending when Redis lost every job', async () => {
    await worker.beforeApplicationShutdown();
    const id = await notify('Revisar el código penal');
    // Whatever Redis held for this queue is gone; PostgreSQL still says the mail is pending.
    await queue.obliterate({ force: true });
    worker = new MailWorker(
      dataSource,
      new DeliverMail(dataSource, transport, settings),
      new GatherDigests(dataSource),
      settings,
      { redisUrl: REDIS_URL, queuePrefix: prefix },
    );
    worker.onApplicationBootstrap();
    await worker.whenStarted();
    await waitFor('the delivery to be sent', async () => (await statusOf(id)) === 'sent' || undefined);
    expect((await receivedMails(address)).filter((mail) => mail.subject.includes('Revisar'))).toHaveLength(1);
  });

  it('queues again, on the next pass, a pending delivery whose job failed for good for a reason other than SMTP', async () => {
    await worker.beforeApplicationShutdown();
    // PostgreSQL drops the connection on every attempt of one delivery's job: BullMQ gives up on it
    // (the job ends failed, and stays so), while the delivery is still pending.
    const notificationId = randomUUID();
    let dropped = 0;
    let target = '';
    class PostgresGoneOnce extends DeliverMail {
      override async deliver(deliveryId: string, attempt: { made: number; max: number }) {
        const [{ notification_id }] = (await dataSource.query(
          `SELECT notification_id FROM deliveries WHERE id = $1`,
          [deliveryId],
        )) as Array<{ notification_id: string }>;
        if (notification_id === notificationId && dropped < settings.attempts) {
          target = deliveryId;
          dropped += 1;
          throw new Error('Connection terminated unexpectedly');
        }
        return super.deliver(deliveryId, attempt);
      }
    }
    worker = new MailWorker(
      dataSource,
      new PostgresGoneOnce(dataSource, transport, settings),
      new GatherDigests(dataSource),
      settings,
      { redisUrl: REDIS_URL, queuePrefix: prefix },
    );
    const eventsConnection = redis.duplicate();
    const events = new QueueEvents(MAIL_QUEUE, { connection: eventsConnection, prefix });
    await events.waitUntilReady();
    const failedForGood = new Promise<void>((resolve) => {
      events.on('failed', ({ jobId }) => {
        if (target && jobId === `mail-${target}`) resolve();
      });
    });
    worker.onApplicationBootstrap();
    await worker.whenStarted();
    const id = await notify('Ratificar el protocolo facultativo', notificationId);
    await failedForGood;
    await events.close();
    eventsConnection.disconnect();
    expect(dropped).toBe(settings.attempts);
    await waitFor('the delivery to be sent', async () => (await statusOf(id)) === 'sent' || undefined);
    const mails = (await receivedMails(address)).filter((mail) => mail.subject.includes('Ratificar'));
    expect(mails).toHaveLength(1);
    // Sent and recorded: later passes expect nothing more of it.
    await worker.pass();
    expect(await queue.getJobState(`mail-${target}`)).toBe('completed');
  });

  it('keeps one digest scheduler per time zone and cadence in use', async () => {
    await dataSource.query(
      `INSERT INTO mail_preferences (subject, mail_kind, cadence) VALUES ($1, 'reminder', 'weekly')`,
      [subject],
    );
    const schedulers = await waitFor('the weekly Bogotá scheduler', async () => {
      const found = await queue.getJobSchedulers();
      return found.some((scheduler) => scheduler.key === 'digest:weekly:America/Bogota') ? found : undefined;
    });
    expect(schedulers.find((scheduler) => scheduler.key === 'digest:weekly:America/Bogota')).toMatchObject({
      pattern: '0 7 * * 1',
      tz: 'America/Bogota',
    });
    await dataSource.query(`DELETE FROM mail_preferences WHERE subject = $1`, [subject]);
    await waitFor(
      'the scheduler to go',
      async () =>
        (await queue.getJobSchedulers()).every((scheduler) => !scheduler.key.startsWith('digest:')) ||
        undefined,
    );
  });
});
