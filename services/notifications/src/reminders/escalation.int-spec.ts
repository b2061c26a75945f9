import { Logger } from '@nestjs/common';
import { decodeEnvelope } from '@nmirf/contracts';
import { EventOutbox, JobHandlers, parseConfig, serviceDataSourceOptions } from '@nmirf/platform';
import { waitFor } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActionFollowUp, type TransactionScope } from '../action-events/action-follow-up';
import { alertSettings, workerConfigSchema } from '../config';
import { InboxService } from '../inbox/inbox.service';
import { createMigratedDatabase, REDIS_URL, uniqueName } from '../testing/integration';
import { DeadlineAlerts } from './deadline-alerts';
import { DeadlineJobQueue } from './deadline-job-queue';
import { escalationJobId } from './deadline-jobs';
import { DeadlineRemindersProcessor } from './deadline-reminders.processor';
import { DeadlinesWorker } from './deadlines-worker';
import { ReminderReconciler } from './reminder-reconciler';

jest.setTimeout(30_000);
Logger.overrideLogger(['warn', 'error']);

const INSTITUTION = 'Ministry of Interior';
const COORDINATOR = 'NMIRF Secretariat';
const TITLE = 'Train border guards on the non-refoulement principle';

// The whole ladder in seconds: first step 1 s after the due date, then one a second.
const settings = alertSettings(
  parseConfig(workerConfigSchema, {
    SERVICE_NAME: 'notifications',
    OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
    DATABASE_URL: 'postgres://unused',
    REDIS_URL,
    KAFKA_BROKERS: 'localhost:9092',
    REMINDER_OFFSETS: '0s',
    ESCALATE_AFTER: '1s',
    ESCALATION_INTERVAL: '1s',
    COORDINATOR_INSTITUTION: COORDINATOR,
  }),
);

describe('escalation ladder on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let queue: DeadlineJobQueue;
  let followUp: ActionFollowUp;
  let reconciler: ReminderReconciler;
  let worker: DeadlinesWorker;
  let inbox: InboxService;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const prefix = uniqueName('escalation-it');
    queue = new DeadlineJobQueue(REDIS_URL, prefix, settings);
    followUp = new ActionFollowUp(queue);
    const alerts = new DeadlineAlerts(
      dataSource,
      new EventOutbox('notifications', '', 'outbox_notifications'),
      settings,
    );
    reconciler = new ReminderReconciler(dataSource, queue, settings);
    worker = new DeadlinesWorker(
      dataSource,
      JobHandlers.among(new DeadlineRemindersProcessor(alerts)),
      reconciler,
      {
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        reconcileIntervalMs: 3_600_000,
      },
    );
    worker.onApplicationBootstrap();
    await worker.whenStarted();
    inbox = new InboxService(dataSource);
  });

  afterAll(async () => {
    await worker?.beforeApplicationShutdown();
    await queue?.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.onApplicationShutdown();
    await dataSource?.destroy();
    await database?.drop();
  });

  async function applyEvent(work: (scope: TransactionScope) => Promise<void>): Promise<void> {
    const afterCommit: Array<() => Promise<unknown>> = [];
    await dataSource.transaction((manager) =>
      work({ manager, afterCommit: (job) => void afterCommit.push(job) }),
    );
    for (const job of afterCommit) await job();
  }

  function assign(actionId: string, dueAt: Date): Promise<void> {
    return applyEvent((scope) =>
      followUp.actionAssigned(
        {
          eventId: randomUUID(),
          correlationId: randomUUID(),
          actionId,
          title: TITLE,
          institution: INSTITUTION,
          previousInstitution: '',
          dueAt,
          status: 'not_started',
        },
        scope,
      ),
    );
  }

  async function escalationsIn(institution: string, actionId: string) {
    const { items } = await inbox.list(institution, { limit: 200, offset: 0 });
    return items
      .filter((item) => item.actionId === actionId && item.kind === 'escalation')
      .map((item) => item.params as { step: number; rung: string; institution: string })
      .sort((a, b) => a.step - b.step);
  }

  async function escalatedEvents(actionId: string) {
    const rows: Array<{ payload: Buffer }> = await dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'ActionEscalated' AND message_key = $1 ORDER BY seq`,
      [actionId],
    );
    return rows.map(({ payload }) => {
      const envelope = decodeEnvelope(payload, actionId);
      if (envelope.payload.case !== 'actionEscalated') throw new Error(envelope.payload.case);
      const { step, rung, institution, notifiedInstitution } = envelope.payload.value;
      return { step, rung, institution, notifiedInstitution };
    });
  }

  const stepJobIds = (actionId: string) => [1, 2, 3].map((step) => escalationJobId(actionId, step));

  it('tells the focal point, then the validator, then the coordinator, each step once with its event', async () => {
    const actionId = randomUUID();
    await assign(actionId, new Date(Date.now() + 500));

    await waitFor('every escalation step to complete', async () => {
      const states = await Promise.all(
        stepJobIds(actionId).map(async (id) => (await queue.jobs.queue.getJob(id))?.getState()),
      );
      return states.every((state) => state === 'completed');
    });

    expect(await escalationsIn(INSTITUTION, actionId)).toEqual([
      { title: TITLE, dueAt: expect.any(String), institution: INSTITUTION, step: 1, rung: 'focal_point' },
      {
        title: TITLE,
        dueAt: expect.any(String),
        institution: INSTITUTION,
        step: 2,
        rung: 'institution_validator',
      },
    ]);
    expect(await escalationsIn(COORDINATOR, actionId)).toEqual([
      { title: TITLE, dueAt: expect.any(String), institution: INSTITUTION, step: 3, rung: 'coordinator' },
    ]);
    expect(await escalatedEvents(actionId)).toEqual([
      { step: 1, rung: 'focal_point', institution: INSTITUTION, notifiedInstitution: INSTITUTION },
      { step: 2, rung: 'institution_validator', institution: INSTITUTION, notifiedInstitution: INSTITUTION },
      { step: 3, rung: 'coordinator', institution: INSTITUTION, notifiedInstitution: COORDINATOR },
    ]);

    // Redis lost, then rebuilt: no step is planned again, none is sent twice.
    await queue.jobs.queue.obliterate({ force: true });
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, failed: 0 });
    expect(await escalatedEvents(actionId)).toHaveLength(3);
  });

  it('stops climbing once the action is completed', async () => {
    const actionId = randomUUID();
    const dueAt = new Date(Date.now() + 300);
    await assign(actionId, dueAt);
    await waitFor('the first step', async () => (await escalatedEvents(actionId)).length === 1);

    await applyEvent((scope) =>
      followUp.progressReported(
        {
          eventId: randomUUID(),
          correlationId: randomUUID(),
          actionId,
          previousStatus: 'in_progress',
          status: 'completed',
          dueAt,
        },
        scope,
      ),
    );
    const [, second, third] = stepJobIds(actionId);
    expect(await queue.jobs.queue.getJob(second)).toBeUndefined();
    expect(await queue.jobs.queue.getJob(third)).toBeUndefined();
    expect((await escalatedEvents(actionId)).map((event) => event.rung)).toEqual(['focal_point']);
    expect(await escalationsIn(COORDINATOR, actionId)).toEqual([]);
  });
});
