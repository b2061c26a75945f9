import { Logger } from '@nestjs/common';
import { buildEnvelope, encodeEnvelope, timestampFromDate, type EventEnvelope } from '@nmirf/contracts';
import { DomainError, ensureTopics, serviceDataSourceOptions, type Principal } from '@nmirf/platform';
import { testKafka, waitFor } from '@nmirf/testing';
import type { Producer } from 'kafkajs';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { InboxService } from '../inbox/inbox.service';
import { createMigratedDatabase, REDIS_URL, uniqueName } from '../testing/integration';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEventConsumer } from './webhook-event-consumer';
import { webhookTopics } from './webhook-events';
import { WebhookJobQueue } from './webhook-job-queue';
import { SecretBox } from './webhook-secret-box';
import type { WebhookSettings } from './webhook-settings';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WebhooksWorker } from './webhooks-worker';

jest.setTimeout(180_000);
Logger.overrideLogger(['warn', 'error']);

const COORDINATOR = 'NMIRF Secretariat';
const settings: WebhookSettings = {
  // The receiver listens on loopback: allowed here as an operator would allow an internal host.
  allow: { hosts: [], cidrs: ['127.0.0.0/8'] },
  retryDelayMs: 200,
  retryForMs: 2_500,
  secretGraceMs: 60_000,
  timeoutMs: 2_000,
  coordinatorInstitution: COORDINATOR,
  secrets: new SecretBox([randomBytes(32)]),
};

const service = (subject: string): Principal => ({
  subject,
  name: `${subject} integration`,
  kind: 'service',
  roles: new Set(),
  institutions: [],
  scopes: new Set(['events:read']),
});
const PARLIAMENT = service('svc-parliament');
const CASE_SYSTEM = service('svc-case-system');
const ADMIN: Principal = {
  ...service('admin-1'),
  kind: 'user',
  roles: new Set(['admin']),
  scopes: new Set(),
};

interface Received {
  path: string;
  id: string;
  timestamp: string;
  signatures: string[];
  body: string;
}

/** The subscriber's side, written from the specification: which of its secrets signed the request. */
function signedWith(secret: string, request: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${request.id}.${request.timestamp}.${request.body}`)
    .digest();
  return request.signatures.some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('webhooks on PostgreSQL, Redis, Kafka and a real receiver', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let queue: WebhookJobQueue;
  let worker: WebhooksWorker;
  let consumer: WebhookEventConsumer;
  let subscriptions: WebhookSubscriptions;
  let producer: Producer;
  let receiver: Server;
  let base: string;
  let topicPrefix: string;
  const received: Received[] = [];
  /** Path → how many requests still fail (500) before one succeeds; absent: succeed. */
  const failuresLeft = new Map<string, number>();

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        received.push({
          path,
          id: String(request.headers['webhook-id']),
          timestamp: String(request.headers['webhook-timestamp']),
          signatures: String(request.headers['webhook-signature'] ?? '').split(' '),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (path.startsWith('/moved')) {
          response.writeHead(302, { location: `${base}/never-followed` }).end();
          return;
        }
        const left = failuresLeft.get(path) ?? 0;
        if (path.startsWith('/down') || left > 0) {
          failuresLeft.set(path, left - 1);
          response.writeHead(path.startsWith('/down') ? 503 : 500).end('not now');
          return;
        }
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    topicPrefix = `${uniqueName('wh')}.`;
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, webhookTopics(topicPrefix), 1);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();

    const prefix = uniqueName('webhooks-it');
    queue = new WebhookJobQueue(REDIS_URL, prefix);
    const deliveries = new WebhookDeliveries(dataSource, queue, settings);
    worker = new WebhooksWorker(dataSource, deliveries, queue, {
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      // Passes as in production, often: an attempt that failed or was lost is planned again by the
      // next one, whatever the machine's load, instead of waiting for the hour.
      reconcileIntervalMs: 1_000,
    });
    worker.onApplicationBootstrap();
    await worker.whenStarted();
    consumer = new WebhookEventConsumer(kafka, dataSource, queue, {
      groupId: uniqueName('webhooks-it'),
      topicPrefix,
      topicPartitions: 1,
      fromBeginning: true,
    });
    consumer.onApplicationBootstrap();
    await consumer.whenStarted();
    subscriptions = new WebhookSubscriptions(dataSource, queue, settings);
  });

  afterAll(async () => {
    const [counts] = await dataSource.query(
      `SELECT count(*)::int AS deliveries, coalesce(sum(attempts), 0)::int AS attempts FROM webhook_deliveries`,
    );
    process.stdout.write(
      `webhooks: ${counts.deliveries} deliveries, ${counts.attempts} attempts (${counts.attempts - counts.deliveries} retries and replays), ${received.length} requests at the receiver\n`,
    );
    await consumer?.beforeApplicationShutdown();
    await worker?.beforeApplicationShutdown();
    await producer?.disconnect();
    await queue?.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.onApplicationShutdown();
    receiver?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  function actionAssigned(actionId = randomUUID(), eventId = randomUUID()): EventEnvelope {
    return buildEnvelope({
      eventId,
      case: 'actionAssigned',
      aggregateId: actionId,
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: 'coordinator-1' },
      payload: {
        actionId,
        recommendationId: randomUUID(),
        title: 'Adopt a national action plan against trafficking',
        institution: 'Ministry of Justice',
        institutionId: 'ministry-of-justice',
        dueAt: timestampFromDate(new Date('2027-03-31T00:00:00Z')),
        previousInstitution: '',
        status: 0,
      },
    });
  }

  async function publish(envelope: EventEnvelope): Promise<void> {
    await producer.send({
      topic: `${topicPrefix}nmirf.actions.action.v1`,
      messages: [{ key: envelope.aggregateId, value: Buffer.from(encodeEnvelope(envelope)) }],
    });
  }

  const deliveriesOf = (subscriptionId: string) =>
    dataSource.manager.find(WebhookDelivery, { where: { subscriptionId }, order: { createdAt: 'ASC' } });

  /**
   * Waits for the subscription's deliveries to settle. A loaded machine can stall the consumer
   * through a group rebalance, hence the long wait; a failure says what was there instead.
   */
  async function settled(subscriptionId: string, count: number): Promise<WebhookDelivery[]> {
    let found: WebhookDelivery[] = [];
    try {
      return await waitFor(
        `${count} settled deliveries`,
        async () => {
          found = await deliveriesOf(subscriptionId);
          return found.length === count && found.every((delivery) => delivery.status !== 'pending')
            ? found
            : undefined;
        },
        { timeoutMs: 120_000 },
      );
    } catch (error) {
      const seen = found.map((delivery) => `${delivery.status} after ${delivery.attempts} attempts`);
      throw new Error(`${(error as Error).message}; found [${seen.join(', ')}]`);
    }
  }

  const at = (path: string) => received.filter((request) => request.path === path);

  it('pushes an event signed to the receiver, retries it after failures, once per event', async () => {
    failuresLeft.set('/flaky', 2);
    const { subscription, secret } = await subscriptions.create(
      { url: `${base}/flaky`, eventTypes: ['ActionAssigned', 'ActionEscalated'] },
      PARLIAMENT,
    );
    const event = actionAssigned();
    await publish(event);
    await publish(event); // read twice, as after a consumer crash: still one delivery

    const [delivery] = await settled(subscription.id, 1);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastStatusCode: 204,
      eventId: event.eventId,
    });
    const requests = at('/flaky');
    expect(requests).toHaveLength(3); // two failures (500), then the success
    expect(requests.every((request) => request.id === delivery.id)).toBe(true);
    expect(requests.every((request) => signedWith(secret, request))).toBe(true);
    expect(requests.every((request) => /^\d{10}$/.test(request.timestamp))).toBe(true);
    const body = JSON.parse(requests[2].body);
    expect(body).toMatchObject({
      type: 'ActionAssigned',
      data: {
        eventId: event.eventId,
        aggregateId: event.aggregateId,
        payload: { actionId: event.aggregateId, institutionId: 'ministry-of-justice' },
      },
    });

    // The next event proves the repeat was read and added nothing.
    await publish(actionAssigned());
    expect((await settled(subscription.id, 2)).map((item) => item.eventId)).toContain(event.eventId);
    expect(await deliveriesOf(subscription.id)).toHaveLength(2);
    process.stdout.write(
      `webhook deliveries: ${at('/flaky').length} requests for 2 deliveries (${at('/flaky').length - 2} retries)\n`,
    );
  });

  it('puts back, on the next pass, the attempt of a pending delivery whose job Redis lost', async () => {
    const { subscription, secret } = await subscriptions.create(
      { url: `${base}/lost`, eventTypes: ['ActionAssigned'] },
      PARLIAMENT,
    );
    // PostgreSQL says the delivery's first attempt is due; Redis holds no job for it.
    const deliveryId = randomUUID();
    const body = JSON.stringify({ type: 'ActionAssigned', data: { eventId: randomUUID() } });
    await dataSource.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, status, next_attempt_at)
       VALUES ($1, $2, $3, 'ActionAssigned', $4, 'pending', now())`,
      [deliveryId, subscription.id, randomUUID(), body],
    );
    expect(await queue.jobs.queue.getJob(`webhook-${deliveryId}-1`)).toBeUndefined();
    // This pass puts it back, unless the worker's own pass just did.
    const repaired = await worker.pass();
    expect(repaired.failed).toBe(0);
    expect(await queue.jobs.queue.getJob(`webhook-${deliveryId}-1`)).toBeDefined();
    const [delivery] = await settled(subscription.id, 1);
    expect(delivery).toMatchObject({ id: deliveryId, status: 'succeeded', attempts: 1 });
    // Settled: the next pass expects nothing of it, and the receiver heard it once.
    expect(await worker.pass()).toMatchObject({ added: 0, replaced: 0 });
    expect(at('/lost').map((request) => request.id)).toEqual([deliveryId]);
    expect(at('/lost').every((request) => signedWith(secret, request))).toBe(true);
  });

  it('signs with the new and the old secret during the grace period after a rotation', async () => {
    const { subscription, secret: before } = await subscriptions.create(
      { url: `${base}/rotating`, eventTypes: ['ActionAssigned'] },
      PARLIAMENT,
    );
    const { secret: after, subscription: rotated } = await subscriptions.rotateSecret(
      subscription.id,
      PARLIAMENT,
    );
    expect(after).not.toBe(before);
    expect(rotated.previousKeyExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    await publish(actionAssigned());
    await settled(subscription.id, 1);
    const [request] = at('/rotating');
    expect(request.signatures).toHaveLength(2);
    expect(signedWith(after, request)).toBe(true);
    expect(signedWith(before, request)).toBe(true);
  });

  it('keeps no secret in clear in PostgreSQL, and seals a key stored in clear before', async () => {
    const { subscription, secret } = await subscriptions.create(
      { url: `${base}/sealed`, eventTypes: ['ActionAssigned'] },
      PARLIAMENT,
    );
    const { secret: rotated } = await subscriptions.rotateSecret(subscription.id, PARLIAMENT);
    const keyOf = (shown: string) => Buffer.from(shown.replace(/^whsec_/, ''), 'base64');
    const [raw] = await dataSource.query(
      `SELECT signing_key, previous_signing_key, row_to_json(s)::text AS row_text
         FROM webhook_subscriptions s WHERE id = $1`,
      [subscription.id],
    );
    for (const shown of [secret, rotated]) {
      for (const column of [raw.signing_key, raw.previous_signing_key] as Buffer[])
        expect(column.includes(keyOf(shown))).toBe(false);
      expect(raw.row_text).not.toContain(shown.replace(/^whsec_/, ''));
      expect(raw.row_text).not.toContain(keyOf(shown).toString('hex'));
    }
    // Sealed for this row only: another subscription's sealed key does not open here.
    const [other] = await dataSource.query(
      `SELECT id, signing_key FROM webhook_subscriptions WHERE id <> $1 LIMIT 1`,
      [subscription.id],
    );
    expect(() => settings.secrets.open(other.signing_key, subscription.id)).toThrow('does not open');

    // A key written in clear (before keys were sealed) is sealed at start-up, and still signs.
    const legacyKey = randomBytes(32);
    await dataSource.query(
      `UPDATE webhook_subscriptions SET signing_key = $2, previous_signing_key = NULL WHERE id = $1`,
      [subscription.id, legacyKey],
    );
    expect(await subscriptions.sealStoredKeys()).toBe(1);
    expect(await subscriptions.sealStoredKeys()).toBe(0);
    const [after] = await dataSource.query(`SELECT signing_key FROM webhook_subscriptions WHERE id = $1`, [
      subscription.id,
    ]);
    expect((after.signing_key as Buffer).includes(legacyKey)).toBe(false);
    await publish(actionAssigned());
    await settled(subscription.id, 1);
    expect(signedWith(`whsec_${legacyKey.toString('base64')}`, at('/sealed')[0])).toBe(true);
  });

  it('disables a subscription whose deliveries keep failing, tells the secretariat and audits it', async () => {
    const { subscription } = await subscriptions.create(
      { url: `${base}/down`, eventTypes: ['ActionAssigned'] },
      CASE_SYSTEM,
    );
    await publish(actionAssigned());
    const [delivery] = await settled(subscription.id, 1);
    expect(delivery.status).toBe('failed');
    expect(delivery.lastStatusCode).toBe(503);
    // 200 ms doubling within 2.5 s: attempts at 0, 0.2, 0.6, 1.4 s; the next (3 s) is past the window.
    expect(delivery.attempts).toBe(4);
    expect(at('/down')).toHaveLength(4);

    const disabled = await subscriptions.get(subscription.id, CASE_SYSTEM);
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledReason).toContain('failed 4 times');
    const { items } = await new InboxService(dataSource).list(COORDINATOR, { limit: 50, offset: 0 });
    expect(items.filter((item) => item.kind === 'webhook_disabled').map((item) => item.params)).toEqual([
      expect.objectContaining({ url: `${base}/down`, ownerSubject: 'svc-case-system', attempts: 4 }),
    ]);
    const audit: Array<{ action: string; actor_id: string }> = await dataSource.query(
      `SELECT action, actor_id FROM audit_record WHERE entity = 'webhook_subscriptions' AND entity_id = $1 ORDER BY id`,
      [subscription.id],
    );
    expect(audit.map((record) => record.action)).toContain('webhook.subscription.disabled');

    // Disabled: the next event makes no delivery. A witness subscribed before it shows the event
    // was fanned out (subscribed after a first event, it could get that one too if the consumer lags).
    const { subscription: witness } = await subscriptions.create(
      { url: `${base}/witness`, eventTypes: ['ActionAssigned'] },
      CASE_SYSTEM,
    );
    await publish(actionAssigned());
    await settled(witness.id, 1);
    expect(await deliveriesOf(subscription.id)).toHaveLength(1);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const { subscription } = await subscriptions.create(
      { url: `${base}/moved`, eventTypes: ['ActionAssigned'] },
      CASE_SYSTEM,
    );
    await publish(actionAssigned());
    const [delivery] = await settled(subscription.id, 1);
    expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: 302 });
    expect(at('/never-followed')).toHaveLength(0);
  });

  it('replays a delivery with the same webhook-id, and lists deliveries to their owner only', async () => {
    const { subscription, secret } = await subscriptions.create(
      { url: `${base}/replayed`, eventTypes: ['ActionAssigned'] },
      PARLIAMENT,
    );
    await publish(actionAssigned());
    const [delivery] = await settled(subscription.id, 1);
    expect(delivery.attempts).toBe(1);

    const replayed = await subscriptions.replay(subscription.id, delivery.id, PARLIAMENT);
    expect(replayed.status).toBe('pending');
    await waitFor('the replay', async () => (at('/replayed').length === 2 ? true : undefined));
    const [first, again] = at('/replayed');
    expect(again.id).toBe(first.id);
    expect(again.body).toBe(first.body);
    expect(signedWith(secret, again)).toBe(true);
    const [after] = await settled(subscription.id, 1);
    expect(after).toMatchObject({ status: 'succeeded', attempts: 2 });
    const [audit] = await dataSource.query(
      `SELECT actor_id FROM audit_record WHERE action = 'webhook.delivery.replayed' AND entity_id = $1`,
      [delivery.id],
    );
    expect(audit).toBeDefined();

    const listed = await subscriptions.deliveries(subscription.id, { limit: 10, offset: 0 }, PARLIAMENT);
    expect(listed.items.map((item) => item.id)).toEqual([delivery.id]);
    await expect(
      subscriptions.deliveries(subscription.id, { limit: 10, offset: 0 }, CASE_SYSTEM),
    ).rejects.toThrow(DomainError);
    await expect(subscriptions.replay(subscription.id, delivery.id, CASE_SYSTEM)).rejects.toThrow(
      'was not found',
    );
  });

  it('shows each service account its own subscriptions, an administrator all of them', async () => {
    const own = (await subscriptions.list(PARLIAMENT)).map((item) => item.ownerSubject);
    expect(new Set(own)).toEqual(new Set(['svc-parliament']));
    const all = new Set((await subscriptions.list(ADMIN)).map((item) => item.ownerSubject));
    expect(all).toEqual(new Set(['svc-parliament', 'svc-case-system']));
    const [theirs] = await subscriptions.list(CASE_SYSTEM);
    await expect(subscriptions.get(theirs.id, PARLIAMENT)).rejects.toThrow('was not found');
    await expect(subscriptions.rotateSecret(theirs.id, PARLIAMENT)).rejects.toThrow('was not found');
  });

  it('refuses a target inside the network unless the configuration allows it', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://[::1]:8080/',
    ]) {
      await expect(
        subscriptions.create({ url, eventTypes: ['ActionAssigned'] }, PARLIAMENT),
      ).rejects.toMatchObject({
        kind: 'unprocessable',
      });
    }
    const strict = new WebhookSubscriptions(dataSource, queue, {
      ...settings,
      allow: { hosts: [], cidrs: [] },
    });
    await expect(
      strict.create({ url: `${base}/hook`, eventTypes: ['ActionAssigned'] }, PARLIAMENT),
    ).rejects.toThrow('a loopback, private, link-local, multicast or reserved address');
  });
});
