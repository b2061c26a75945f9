// A real Prometheus (Debian's package) scrapes every process of the stack: every target is up, and
// the metrics an on-call engineer reads move when an action is created.
import { freePort, http, PROCESS_NAMES, Stack, waitFor } from '@nmirf/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssignedAction, createRecommendation } from './helpers';

jest.setTimeout(240_000);

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
      new Date(Date.now() + 30 * 86_400_000),
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
});
