// A real Prometheus (Debian's package) scrapes every process of the stack: every target is up, and
// the metrics an on-call engineer reads move when an action is created.
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import {
  bearer,
  demoToken,
  freePort,
  http,
  PROCESS_NAMES,
  Stack,
  testInfrastructure,
  waitFor,
} from '@nmirf/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssignedAction, createRecommendation } from './helpers';

const PROMETHEUS = '/usr/bin/prometheus';

async function query(
  base: string,
  expression: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expression)}`);
  const body = (await response.json()) as { status: string; data: { result: never[] } };
  if (body.status !== 'success') throw new Error(`query ${expression}: ${JSON.stringify(body)}`);
  return body.data.result;
}

const total = (series: Array<{ value: [number, string] }>) =>
  series.reduce((sum, { value }) => sum + Number(value[1]), 0);

describe('metrics, scraped by a real Prometheus', () => {
  let stack: Stack;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  const dir = join(__dirname, '../../tmp/prometheus');

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS))
      throw new Error(`${PROMETHEUS} is missing: npm test installs Debian's prometheus package`);
    stack = await Stack.start({ name: 'metrics' });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const targets = PROCESS_NAMES.map((name) => {
      const url = new URL(stack.process(name).metricsUrl);
      return `  - job_name: '${name}'\n    static_configs: [{ targets: ['${url.host}'] }]`;
    });
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n${targets.join('\n')}\n`,
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await stack?.stop();
  });

  it('serves /metrics on every API and worker, and Prometheus finds every target up', async () => {
    for (const name of PROCESS_NAMES) {
      const response = await fetch(stack.process(name).metricsUrl);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('process_cpu_seconds_total');
      expect(text).toMatch(
        new RegExp(`nmirf_outbox_backlog\\{.*service="${stack.process(name).options.env.SERVICE_NAME}"`),
      );
    }
    const up = await waitFor('every target to be scraped and up', async () => {
      const series = await query(prometheusUrl, 'up');
      return series.length === PROCESS_NAMES.length && series.every(({ value }) => value[1] === '1')
        ? series
        : undefined;
    });
    expect(up.map(({ metric }) => metric.job).sort()).toEqual([...PROCESS_NAMES].sort());
  });

  it('moves the request, outbox, consumer and queue metrics when an action is created', async () => {
    const created = `nmirf_http_requests_total{job="actions",method="POST",route="/actions",status="201"}`;
    const before = total(await query(prometheusUrl, created));
    const recommendationId = await createRecommendation(stack);
    const action = await createAssignedAction(
      stack,
      recommendationId,
      // Within the reminders' horizon (6 h): its on-the-day reminder and escalation wait in Redis.
      new Date(Date.now() + 3 * 3_600_000),
    );
    expect(action.id).toBeDefined();

    await waitFor('Prometheus to see the POST /actions', async () =>
      total(await query(prometheusUrl, created)) > before ? true : undefined,
    );
    // The action's events left the outbox, and notifications applied them.
    await waitFor('the outbox to publish and notifications to apply the events', async () => {
      const published = total(await query(prometheusUrl, 'nmirf_outbox_published_total{job="actions"}'));
      const applied = total(
        await query(prometheusUrl, 'nmirf_events_consumed_total{job="notifications",outcome="applied"}'),
      );
      return published > 0 && applied > 0 ? true : undefined;
    });
    await waitFor('the outbox to drain and the lag to settle', async () => {
      const backlog = total(await query(prometheusUrl, 'nmirf_outbox_backlog{job="actions"}'));
      const lag = await query(prometheusUrl, 'nmirf_consumer_lag{job="notifications"}');
      return backlog === 0 && lag.length > 0 && total(lag) === 0 ? true : undefined;
    });
    // Its reminders wait in the notifications queue; the worker's reconciler has run.
    await waitFor('the reminder jobs to show as delayed', async () =>
      total(await query(prometheusUrl, 'nmirf_queue_jobs{job="notifications-worker",state="delayed"}')) > 0
        ? true
        : undefined,
    );
    expect(
      total(
        await query(prometheusUrl, 'nmirf_reconciler_runs_total{job="notifications-worker",outcome="ok"}'),
      ),
    ).toBeGreaterThan(0);
    // An action due in a few seconds: its on-the-day reminder fires, and its lateness is measured.
    await createAssignedAction(stack, recommendationId, new Date(Date.now() + 4_000), 'Publish the bill');
    await waitFor(
      'the reminder lateness to be observed',
      async () =>
        total(
          await query(prometheusUrl, 'nmirf_reminder_lateness_seconds_count{job="notifications-worker"}'),
        ) > 0
          ? true
          : undefined,
      { timeoutMs: 60_000 },
    );
    const leaders = await query(prometheusUrl, 'sum by (service) (nmirf_outbox_relay_leader)');
    expect(leaders.length).toBeGreaterThan(0);
    for (const { value } of leaders) expect(value[1]).toBe('1'); // one leader per service
    // Unmatched paths are counted under one label, never by their raw path.
    expect((await http('GET', `${stack.url('actions')}/no-such-route/123`)).status).toBe(404);
    await waitFor('the 404 under "unmatched"', async () =>
      (await query(prometheusUrl, 'nmirf_http_requests_total{job="actions",route="unmatched",status="404"}'))
        .length > 0
        ? true
        : undefined,
    );
    expect(await query(prometheusUrl, 'nmirf_http_requests_total{route=~".*123.*"}')).toEqual([]);
  });

  it('shows administrators the queues and their jobs, and retries a failed job with an audit record', async () => {
    const admin = bearer(await demoToken('admin'));
    const base = `${stack.url('notifications')}/admin/queues`;
    expect((await http('GET', base, undefined, bearer(await demoToken('focal.justice')))).status).toBe(403);
    const queues = await http('GET', base, undefined, admin);
    expect(queues.status).toBe(200);
    const deadlines = queues.body.find((queue: { name: string }) => queue.name === 'deadlines');
    expect(deadlines.counts.delayed).toBeGreaterThan(0);
    const delayed = await http('GET', `${base}/deadlines/jobs?state=delayed&limit=5`, undefined, admin);
    expect(delayed.status).toBe(200);
    expect(delayed.body[0]).toMatchObject({ state: 'delayed', data: { actionId: expect.any(String) } });
    expect(delayed.body[0].runsAt).toBeDefined();
    const notFailed = await http('POST', `${base}/deadlines/jobs/${delayed.body[0].id}/retry`, {}, admin);
    expect(notFailed.status).toBe(409);
    expect((await http('GET', `${base}/no-such-queue/jobs`, undefined, admin)).status).toBe(404);

    // A job no processor knows fails at once (one attempt); the administrator sees it and retries it.
    const connection = new IORedis(testInfrastructure.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('deadlines', { connection, prefix: stack.env.QUEUE_PREFIX });
    try {
      const bogus = await queue.add('no-such-job', {}, { attempts: 1, jobId: 'drill-failed-job' });
      await waitFor('the job to fail', async () =>
        (await bogus.getState()) === 'failed' ? true : undefined,
      );
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const failed = await http('GET', `${base}/deadlines/jobs?state=failed`, undefined, admin);
    expect(failed.body).toContainEqual(
      expect.objectContaining({ id: 'drill-failed-job', failedReason: 'No processor for job "no-such-job"' }),
    );
    const retried = await http('POST', `${base}/deadlines/jobs/drill-failed-job/retry`, {}, admin);
    expect(retried).toMatchObject({ status: 200, body: { id: 'drill-failed-job' } });
    const audit = await http(
      'GET',
      `${stack.url('notifications')}/audit?action=job.retried`,
      undefined,
      admin,
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ entity: 'queue_job', entityId: 'deadlines/drill-failed-job' }),
    );
  });
});
