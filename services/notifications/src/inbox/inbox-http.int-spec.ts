import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { applyHttpConventions, serviceDataSourceOptions } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { DeadlinesController } from '../deadlines/deadlines.controller';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { ReminderSent } from '../deadlines/reminder-sent.entity';
import { createMigratedDatabase } from '../testing/integration';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { Notification } from './notification.entity';

jest.setTimeout(30_000);

const JUSTICE = 'Ministry of Justice';
const actionId = randomUUID();
const dueAt = new Date('2026-06-30T00:00:00.000Z');

describe('inbox and deadline endpoints', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  /** Oldest first; the last two share a creation instant. */
  const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const params = { title: 'Ratify OP-CAT', dueAt: dueAt.toISOString(), offsetSeconds: 0 };
    const createdAt = [
      '2026-01-01T00:00:00Z',
      '2026-01-02T00:00:00Z',
      '2026-01-03T00:00:00Z',
      '2026-01-03T00:00:00Z',
    ];
    await dataSource.manager.insert(
      Notification,
      ids.map((id, i) => ({
        id,
        institution: JUSTICE,
        kind: 'deadline_reminder' as const,
        actionId,
        params,
        sourceEventId: null,
        createdAt: new Date(createdAt[i]),
      })),
    );
    await dataSource.manager.insert(Notification, {
      id: randomUUID(),
      institution: 'Ministry of Health',
      kind: 'action_assigned',
      actionId,
      params,
      sourceEventId: null,
    });
    await dataSource.manager.insert(Deadline, {
      actionId,
      institution: JUSTICE,
      title: 'Ratify OP-CAT',
      dueAt,
      open: true,
    });
    await dataSource.manager.insert(ReminderSent, [
      { actionId, offsetSeconds: 259_200, dueAt, notificationId: ids[0] },
      { actionId, offsetSeconds: -86_400, dueAt, notificationId: ids[1] },
    ]);

    const module = await Test.createTestingModule({
      controllers: [InboxController, DeadlinesController],
      providers: [InboxService, DeadlinesService, { provide: DataSource, useValue: dataSource }],
    }).compile();
    app = module.createNestApplication({ logger: false });
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  async function call(method: 'GET' | 'POST', path: string) {
    const response = await fetch(`${base}${path}`, { method });
    // The shape is what the assertions check.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  const inbox = `/institutions/${encodeURIComponent(JUSTICE)}/inbox`;
  const [sameInstantLow, sameInstantHigh] = [ids[2], ids[3]].sort();

  it('lists an institution’s notifications newest first, ties broken by id, with counts', async () => {
    const { status, body } = await call('GET', inbox);
    expect(status).toBe(200);
    expect(body.items.map((item: { id: string }) => item.id)).toEqual([
      sameInstantHigh,
      sameInstantLow,
      ids[1],
      ids[0],
    ]);
    expect(body).toMatchObject({ total: 4, unread: 4 });
    expect(body.items[0]).toMatchObject({
      institution: JUSTICE,
      kind: 'deadline_reminder',
      actionId,
      readAt: null,
    });

    const page = await call('GET', `${inbox}?limit=2&offset=1`);
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([sameInstantLow, ids[1]]);
  });

  it('marks a notification read once and filters on it', async () => {
    const first = await call('POST', `/notifications/${ids[0]}/read`);
    expect(first.status).toBe(200);
    expect(first.body.readAt).toEqual(expect.any(String));
    const again = await call('POST', `/notifications/${ids[0]}/read`);
    expect(again.body.readAt).toBe(first.body.readAt);

    const unread = await call('GET', `${inbox}?unread=true`);
    expect(unread.body).toMatchObject({ total: 3, unread: 3 });
    expect(unread.body.items.map((item: { id: string }) => item.id)).not.toContain(ids[0]);
    const read = await call('GET', `${inbox}?unread=false`);
    expect(read.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(read.body).toMatchObject({ total: 1, unread: 3 });
  });

  it('answers 404 for an unknown notification and 400 for bad input', async () => {
    expect(await call('POST', `/notifications/${randomUUID()}/read`)).toMatchObject({ status: 404 });
    expect(await call('POST', '/notifications/not-a-uuid/read')).toMatchObject({ status: 400 });
    const bad = await call('GET', `${inbox}?unread=maybe&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'limit',
      'unread',
    ]);
  });

  it('shows a deadline with the reminders sent for it', async () => {
    const { status, body } = await call('GET', `/deadlines/${actionId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      actionId,
      institution: JUSTICE,
      title: 'Ratify OP-CAT',
      dueAt: dueAt.toISOString(),
      open: true,
    });
    expect(
      body.remindersSent.map(({ kind, offsetSeconds, notificationId }: Record<string, unknown>) => ({
        kind,
        offsetSeconds,
        notificationId,
      })),
    ).toEqual(
      expect.arrayContaining([
        { kind: 'reminder', offsetSeconds: 259_200, notificationId: ids[0] },
        { kind: 'escalation', offsetSeconds: -86_400, notificationId: ids[1] },
      ]),
    );
    expect(await call('GET', `/deadlines/${randomUUID()}`)).toMatchObject({ status: 404 });
    expect(await call('GET', '/deadlines/42')).toMatchObject({ status: 400 });
  });

  it('documents the endpoints in OpenAPI', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(Object.keys(document.paths).sort()).toEqual([
      '/deadlines/{actionId}',
      '/institutions/{institution}/inbox',
      '/notifications/{id}/read',
    ]);
    expect(document.components?.schemas?.InboxPageView).toBeDefined();
  });
});
