import { ActionStatus, decodeEnvelope, RecommendationPosition, timestampFromDate } from '@nmirf/contracts';
import { JobHandlers, JobQueue, pendingSchemaChanges, redisConnection } from '@nmirf/platform';
import { waitFor } from '@nmirf/testing';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { entities, migrations, SCHEMA } from './database';
import { ReportCompiler } from './reports/report-compiler';
import { ReportJobs, REPORTS_QUEUE, type CompileReportJob } from './reports/report-jobs';
import { ReportReconciler } from './reports/report-reconciler';
import { CompileReportHandler, ReportWorker } from './reports/report-worker';
import { ReportsService } from './reports/reports.service';
import { SummaryService } from './summary/summary.service';
import { startReportingFixture, type ReportingFixture } from './testing/reporting-fixture';

jest.setTimeout(60_000);

const DAY = 24 * 3_600_000;
const JUSTICE = 'Ministry of Justice';
const HEALTH = 'Ministry of Health';

describe('reporting: read model, summary and report compilation on PostgreSQL and Redis', () => {
  let fixture: ReportingFixture;
  let jobs: ReportJobs;
  let worker: ReportWorker;
  let reports: ReportsService;
  let compiler: ReportCompiler;
  const redis = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', false);
  const now = Date.now();
  const recommendationId = randomUUID();
  const completed = randomUUID();
  const overdue = randomUUID();
  const onTrack = randomUUID();

  beforeAll(async () => {
    fixture = await startReportingFixture();
    const { feed } = fixture;
    await feed('recommendationCreated', recommendationId, {
      recommendationId,
      mechanism: 'UPR',
      documentSymbol: 'A/HRC/43/15',
      paragraph: '140.38',
      text: 'Ratify the Convention against Enforced Disappearance',
      recommendingStates: ['Chile', 'France'],
      position: RecommendationPosition.SUPPORTED,
      mechanismKind: 'upr',
      stateUnderReview: 'SVN',
      uprCycle: 3,
      uprSession: 34,
      themes: [],
      sdgTargets: [],
      annotationId: '',
      version: 1,
    });
    // Completed at the Ministry of Justice, although its due date has passed.
    await feed('actionCreated', completed, {
      actionId: completed,
      recommendationId,
      title: 'Draft the ratification bill',
    });
    await feed('actionAssigned', completed, {
      actionId: completed,
      recommendationId,
      title: 'Draft the ratification bill',
      institution: JUSTICE,
      dueAt: timestampFromDate(new Date(now - 2 * DAY)),
      previousInstitution: '',
      status: ActionStatus.NOT_STARTED,
    });
    await feed('actionProgressReported', completed, {
      actionId: completed,
      institution: JUSTICE,
      previousStatus: ActionStatus.NOT_STARTED,
      status: ActionStatus.COMPLETED,
      note: 'Adopted',
    });
    // Overdue at the Ministry of Justice; its ActionCreated never reached us. A title meant to run in a spreadsheet.
    await feed('actionAssigned', overdue, {
      actionId: overdue,
      recommendationId,
      title: '=HYPERLINK("http://evil","click"), then train judges',
      institution: JUSTICE,
      dueAt: timestampFromDate(new Date(now - DAY)),
      previousInstitution: '',
      status: ActionStatus.IN_PROGRESS,
    });
    for (const offsetSeconds of [3n * 86_400n, 0n]) {
      await feed('deadlineReminderSent', overdue, {
        notificationId: randomUUID(),
        actionId: overdue,
        institution: JUSTICE,
        offsetSeconds,
      });
    }
    // On track at the Ministry of Health, after its due date moved.
    await feed('actionCreated', onTrack, {
      actionId: onTrack,
      recommendationId,
      title: 'Survey detention centres',
    });
    await feed('actionAssigned', onTrack, {
      actionId: onTrack,
      recommendationId,
      title: 'Survey detention centres',
      institution: HEALTH,
      dueAt: timestampFromDate(new Date(now - 3 * DAY)),
      previousInstitution: '',
      status: ActionStatus.NOT_STARTED,
    });
    await feed('actionDueDateChanged', onTrack, {
      actionId: onTrack,
      institution: HEALTH,
      previousDueAt: timestampFromDate(new Date(now - 3 * DAY)),
      dueAt: timestampFromDate(new Date(now + 30 * DAY)),
      reason: 'Budget approved late',
    });

    jobs = new ReportJobs(new JobQueue<CompileReportJob>(REPORTS_QUEUE, redis, fixture.config.QUEUE_PREFIX));
    compiler = new ReportCompiler(fixture.dataSource, fixture.outbox, fixture.reportsDir);
    reports = new ReportsService(fixture.dataSource, jobs, fixture.config);
    worker = new ReportWorker(
      fixture.config,
      fixture.dataSource,
      JobHandlers.among(new CompileReportHandler(compiler)),
      new ReportReconciler(fixture.dataSource, jobs),
    );
  });

  afterAll(async () => {
    await worker?.beforeApplicationShutdown();
    await jobs?.queue.queue.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    redis.disconnect();
    await fixture?.close();
  });

  const fileRows = async (fileName: string) =>
    (await readFile(join(fixture.reportsDir, fileName), 'utf8')).split('\r\n').filter((line) => line !== '');
  const waitReady = (id: string) =>
    waitFor(`report ${id} to be ready`, async () => {
      const report = await reports.get(id);
      return report.status === 'ready' ? report : undefined;
    });
  const compiledEvents = async (reportId: string) =>
    (
      await fixture.dataSource.query(`SELECT event_type, payload FROM outbox WHERE message_key = $1`, [
        reportId,
      ])
    ).map((row: { payload: Buffer }) => decodeEnvelope(row.payload, reportId));

  it('has migrations that match the entities exactly', async () => {
    const url = fixture.database.url;
    expect(await pendingSchemaChanges({ url, schema: SCHEMA, entities, migrations })).toEqual([]);
  });

  it('counts actions by status and institution, with the overdue ones', async () => {
    const summary = await new SummaryService(fixture.dataSource).summarize({});
    expect(summary).toMatchObject({
      total: 3,
      byStatus: { not_started: 1, in_progress: 1, blocked: 0, completed: 1, cancelled: 0 },
      overdue: 1,
      byInstitution: [
        {
          institution: HEALTH,
          total: 1,
          byStatus: { not_started: 1, in_progress: 0, completed: 0 },
          overdue: 0,
        },
        {
          institution: JUSTICE,
          total: 2,
          byStatus: { not_started: 0, in_progress: 1, completed: 1 },
          overdue: 1,
        },
      ],
    });
  });

  it('narrows the summary to one institution', async () => {
    const summary = await new SummaryService(fixture.dataSource).summarize({ institution: HEALTH });
    expect(summary.total).toBe(1);
    expect(summary.byInstitution.map((entry) => entry.institution)).toEqual([HEALTH]);
  });

  it('compiles a report with a real BullMQ worker and announces it once', async () => {
    worker.onApplicationBootstrap();
    await worker.started;
    const requested = await reports.request({ kind: 'action-progress', format: 'csv' });
    expect(requested.status).toBe('queued');

    const report = await waitReady(requested.id);
    expect(report).toMatchObject({ fileName: `${requested.id}.csv`, rowCount: 3, error: null });
    const rows = await fileRows(report.fileName!);
    expect(rows[0]).toBe(
      'action_id,recommendation_id,document_symbol,paragraph,mechanism,title,institution,status,due_at,completed_at,overdue,reminders_sent',
    );
    // Ordered by institution, then due date.
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual([onTrack, completed, overdue]);
    const overdueRow = rows[3];
    expect(overdueRow).toContain(
      `${recommendationId},A/HRC/43/15,140.38,UPR,"'=HYPERLINK(""http://evil"",""click""), then train judges"`,
    );
    expect(overdueRow).toMatch(/,Ministry of Justice,in_progress,[^,]+,,true,2$/);
    expect(rows[2]).toMatch(/,Ministry of Justice,completed,[^,]+,\d{4}-[^,]+,false,0$/);

    const bytes = await readFile(join(fixture.reportsDir, report.fileName!));
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const events = await compiledEvents(requested.id);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ReportCompiled');
    expect(events[0].payload.value).toMatchObject({
      reportId: requested.id,
      rowCount: 3,
      sha256: report.sha256,
    });
  });

  it('compiles the same report again without announcing it twice', async () => {
    const [{ id }] = await fixture.dataSource.query(`SELECT id FROM reports WHERE status = 'ready' LIMIT 1`);
    await compiler.compile(id);
    expect(await compiledEvents(id)).toHaveLength(1);
    expect((await reports.get(id)).status).toBe('ready');
  });

  it('restores the job of a report that Redis lost, and honours its institution filter', async () => {
    const id = randomUUID();
    await fixture.dataSource.query(
      `INSERT INTO reports (id, kind, format, filters, status) VALUES ($1, 'action-progress', 'csv', $2, 'queued')`,
      [id, { institution: HEALTH }],
    );
    expect(await new ReportReconciler(fixture.dataSource, jobs).reconcile()).toBe(1);
    const report = await waitReady(id);
    expect(report.rowCount).toBe(1);
    expect((await fileRows(report.fileName!))[1]).toContain(HEALTH);
  });

  it('accepts a report while Redis is down, leaving it queued for the reconciler', async () => {
    const deadRedis = redisConnection('redis://127.0.0.1:1', false);
    const deadJobs = new ReportJobs(
      new JobQueue<CompileReportJob>(REPORTS_QUEUE, deadRedis, fixture.config.QUEUE_PREFIX),
      500,
    );
    try {
      const requested = await new ReportsService(fixture.dataSource, deadJobs, fixture.config).request({
        kind: 'action-progress',
        format: 'csv',
        institution: JUSTICE,
      });
      expect((await reports.get(requested.id)).status).toBe('queued');
      await new ReportReconciler(fixture.dataSource, jobs).reconcile();
      expect((await waitReady(requested.id)).rowCount).toBe(2);
    } finally {
      deadRedis.disconnect();
      await deadJobs.close();
      // ioredis holds a socket that never connected for 2 s after disconnect(); let it go before Jest checks.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
    }
  });
});
