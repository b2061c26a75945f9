// Webhooks on the real stack: a service account subscribes with its Keycloak token, an action is
// assigned through the actions service, and the event reaches a receiver here, signed per the
// Standard Webhooks specification, after one failed attempt; the delivery is then replayed.
import { bearer, demoToken, http, serviceToken, Stack, testKafka, waitFor } from '@nmirf/testing';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAssignedAction, createRecommendation } from './helpers';

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

/** What a subscriber does with the secret it was given: check one of the v1 signatures. */
function verified(secret: string, request: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${request.id}.${request.timestamp}.${request.body}`)
    .digest();
  return request.signature.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('webhooks end to end', () => {
  let stack: Stack;
  let receiver: Server;
  let target: string;
  const received: Received[] = [];
  let failuresLeft = 1;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          id: String(request.headers['webhook-id']),
          timestamp: String(request.headers['webhook-timestamp']),
          signature: String(request.headers['webhook-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        failuresLeft -= 1;
        response.writeHead(failuresLeft >= 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/nmirf`;
    // The receiver is on loopback: allowed by configuration, as an operator allows an internal host.
    stack = await Stack.start({
      name: 'webhooks',
      env: { WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8', WEBHOOK_RETRY_DELAY: '1s' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    receiver?.close();
  });

  it('delivers an event of the real stack, signed, retried once, and replays it with the same webhook-id', async () => {
    const notifications = stack.url('notifications');
    const service = bearer(await serviceToken());
    const subscribe = { url: target, eventTypes: ['ActionAssigned'], description: 'Parliament tracker' };

    const refused = await http(
      'POST',
      `${notifications}/webhooks/subscriptions`,
      subscribe,
      bearer(await demoToken('focal.justice')),
    );
    expect(refused.status).toBe(403);
    const metadata = await http(
      'POST',
      `${notifications}/webhooks/subscriptions`,
      { ...subscribe, url: 'http://169.254.169.254/latest/meta-data' },
      service,
    );
    expect(metadata.status).toBe(422);

    const created = await http('POST', `${notifications}/webhooks/subscriptions`, subscribe, service);
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const shown = await http('GET', `${notifications}/webhooks/subscriptions/${id}`, undefined, service);
    expect(shown.body).not.toHaveProperty('secret');

    // The worker's consumer starts at the latest offsets: wait until it has joined its group.
    const admin = testKafka().admin();
    await admin.connect();
    await waitFor(
      'the webhook consumer to join',
      async () => {
        const { groups } = await admin.describeGroups([stack.topic('notifications-webhooks')]);
        return groups[0]?.state === 'Stable' ? true : undefined;
      },
      { timeoutMs: 90_000 },
    );
    await admin.disconnect();

    const recommendationId = await createRecommendation(stack, '143.77');
    const action = await createAssignedAction(
      stack,
      recommendationId,
      new Date(Date.now() + 30 * 86_400_000),
    );

    const delivered = await waitFor('the signed delivery, after one failure', async () =>
      received.length >= 2 ? received : undefined,
    );
    const [failed, succeeded] = delivered;
    expect(succeeded.id).toBe(failed.id);
    expect(verified(secret, failed)).toBe(true);
    expect(verified(secret, succeeded)).toBe(true);
    const body = JSON.parse(succeeded.body);
    expect(body).toMatchObject({
      type: 'ActionAssigned',
      data: { aggregateId: action.id, payload: { actionId: action.id } },
    });

    const deliveries = await waitFor('the delivery to be recorded as succeeded', async () => {
      const listed = await http(
        'GET',
        `${notifications}/webhooks/subscriptions/${id}/deliveries`,
        undefined,
        service,
      );
      const [first] = listed.body.items ?? [];
      return first?.status === 'succeeded' ? listed.body : undefined;
    });
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.items[0]).toMatchObject({ id: succeeded.id, attempts: 2, lastStatusCode: 200 });

    const replay = await http(
      'POST',
      `${notifications}/webhooks/subscriptions/${id}/deliveries/${succeeded.id}/replay`,
      {},
      service,
    );
    expect(replay.status).toBe(202);
    const again = await waitFor('the replay', async () => (received.length >= 3 ? received[2] : undefined));
    expect(again.id).toBe(succeeded.id);
    expect(again.body).toBe(succeeded.body);
    expect(verified(secret, again)).toBe(true);
    process.stdout.write(
      `webhooks e2e: ${received.length} requests at the receiver for 1 delivery (1 retry, 1 replay)\n`,
    );
  });
});
