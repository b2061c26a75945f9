import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, served at `/metrics` (APIs on their port, workers on
 * METRICS_PORT). One registry per process; every series carries the `service` label.
 * The list and what each means: docs/operations.md, "Metrics".
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

/** Names the process in every series; called once at start-up. */
export function labelMetrics(service: string, processKind: 'api' | 'worker'): void {
  metricsRegistry.setDefaultLabels({ service, process: processKind });
}

export const httpRequests = new Counter({
  name: 'nmirf_http_requests_total',
  help: 'HTTP requests answered, by route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpDuration = new Histogram({
  name: 'nmirf_http_request_duration_seconds',
  help: 'Time from the request arriving to the answer being sent',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

/** applied, duplicate (already applied), stale, parked, dead_lettered, invalid (undecodable). */
export type EventOutcome = 'applied' | 'duplicate' | 'stale' | 'parked' | 'dead_lettered' | 'invalid';

export const eventsConsumed = new Counter({
  name: 'nmirf_events_consumed_total',
  help: 'Kafka events handled by this consumer group, by outcome',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers,
});

export const eventsPublished = new Counter({
  name: 'nmirf_outbox_published_total',
  help: 'Outbox rows published to Kafka by this process',
  registers,
});

export const jobDuration = new Histogram({
  name: 'nmirf_job_duration_seconds',
  help: 'BullMQ job run time, by queue, job name and outcome',
  labelNames: ['queue', 'name', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers,
});

export const reconcilerRuns = new Counter({
  name: 'nmirf_reconciler_runs_total',
  help: 'Reconciliations of a queue from PostgreSQL, by outcome (ok, error)',
  labelNames: ['queue', 'outcome'] as const,
  registers,
});

export const reconcilerRepairs = new Counter({
  name: 'nmirf_reconciler_repairs_total',
  help: 'Jobs a reconciliation added, replaced or removed: each one was missing or wrong in Redis',
  labelNames: ['queue'] as const,
  registers,
});

export const reminderLateness = new Histogram({
  name: 'nmirf_reminder_lateness_seconds',
  help: 'When a reminder fired, minus when it was due',
  labelNames: ['kind'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers,
});

export const importRows = new Counter({
  name: 'nmirf_import_rows_total',
  help: 'Rows an import has been through, by phase (parse, write, index)',
  labelNames: ['phase'] as const,
  registers,
});

export const importPhaseSeconds = new Histogram({
  name: 'nmirf_import_phase_seconds',
  help: 'Time an import spent in each phase',
  labelNames: ['phase'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers,
});

export const deliveries = new Counter({
  name: 'nmirf_deliveries_total',
  help: 'Messages sent to people or systems (email, webhook), by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  registers,
});

/**
 * A gauge read when Prometheus scrapes: `read` returns the values (labels → value). A failing read
 * leaves the gauge empty for that scrape rather than failing the whole page.
 */
export function scrapedGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => Promise<Array<{ labels: Partial<Record<L, string>>; value: number }>>,
): Gauge<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) metricsRegistry.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers,
    async collect() {
      this.reset();
      const values = await read().catch(() => []);
      for (const { labels, value } of values) this.set(labels, value);
    },
  });
}

/** How many jobs a reconciler's result says it repaired: a number, or added + replaced + removed. */
export function repairsIn(result: unknown): number {
  if (typeof result === 'number') return result;
  if (result && typeof result === 'object') {
    const { added, replaced, removed } = result as Record<string, unknown>;
    return [added, replaced, removed].reduce<number>(
      (sum, value) => sum + (typeof value === 'number' ? value : 0),
      0,
    );
  }
  return 0;
}
