// Reminders at a million deadlines: PostgreSQL holds every deadline, Redis only the horizon.
//   npm run bench:reminders [-- --deadlines 1000000 --burst 10000 --concurrency 10]
// 1. Creates N open deadlines in PostgreSQL (generate_series): due dates spread over the next two
//    years, a tenth already overdue (and escalated long ago), with the default plan (14d, 3d, on the
//    day; escalation ladder of three steps from 1d after the due date).
// 2. Runs the horizon pass (the notifications worker's ReminderReconciler from its build) with a 6 h
//    horizon; prints the jobs it put in Redis, Redis memory per scheduled reminder (INFO memory before
//    and after, and MEMORY USAGE of the queue's keys) and per deadline held in PostgreSQL, the rows the
//    pass read (EXPLAIN of one window) and its rate against raw BullMQ addBulk of as many jobs.
// 3. FLUSHDB of the bench's own Redis database (what FLUSHALL does to a queue, without wiping the
//    other users of this Redis) and the time the next pass takes to rebuild the horizon.
// 4. A burst: B deadlines due within the same minute, fired by the worker (DeadlinesWorker, the
//    production handlers); lateness = notification created_at − due time, p50/p99.
// Goals: ≤ 1 KB of Redis per deadline in PostgreSQL, lateness p99 ≤ 1 s, rebuild ≤ 60 s. Figures
// only: nothing here asserts a timing.
import { createTestDatabase, testInfrastructure } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { root } from '../../infra/scripts/lib.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'services/notifications/dist', path));
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const N = Number(arg('deadlines', '1000000'));
const BURST = Number(arg('burst', '10000'));
const HORIZON_SECONDS = 6 * 3_600;

const { default: IORedis } = await import('ioredis');
const { Queue } = require('bullmq');
const { DataSource } = require('typeorm');
const platform = require('@nmirf/platform');
const { Logger } = require('@nestjs/common');
Logger.overrideLogger(['error']);
const { entities, migrations, SCHEMA } = dist('database.js');
const { alertSettings, horizonSettings, workerConfigSchema } = dist('config.js');
const { DeadlineJobQueue } = dist('reminders/deadline-job-queue.js');
const { ReminderReconciler } = dist('reminders/reminder-reconciler.js');
const { DeadlineAlerts } = dist('reminders/deadline-alerts.js');
const { DeadlineRemindersProcessor } = dist('reminders/deadline-reminders.processor.js');
const { DeadlinesWorker } = dist('reminders/deadlines-worker.js');

const redisUrl = (() => {
  const url = new URL(testInfrastructure.redisUrl);
  url.pathname = '/11'; // the bench's own database: FLUSHDB here touches no one else's queues
  return url.toString();
})();
const config = platform.parseConfig(workerConfigSchema, {
  SERVICE_NAME: 'notifications',
  OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
  DATABASE_URL: 'postgres://unused',
  REDIS_URL: redisUrl,
  KAFKA_BROKERS: 'localhost:9092',
  REMINDER_HORIZON: `${HORIZON_SECONDS}s`,
  REMINDER_CONCURRENCY: arg('concurrency', '10'),
});
const settings = alertSettings(config);
const horizon = horizonSettings(config);

const seconds = (ms) => `${(ms / 1_000).toFixed(2)} s`;
const kb = (bytes) => `${(bytes / 1_024).toFixed(2)} KB`;
const timed = async (work) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const database = await createTestDatabase('bench_reminders');
const admin = new IORedis(redisUrl);
const prefix = `bench-${randomUUID().slice(0, 8)}`;
let dataSource;
let queue;
let worker;
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))[1]);
/**
 * Setup rows, written without the audit trail's per-row triggers (the trail is not what is measured
 * here; the burst's reminders go through it as in production).
 */
const bulk = (sql, params) =>
  dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    await manager.query(sql, params);
  });
/** MEMORY USAGE of every key of a prefix: the queue's own bytes, whatever else this Redis holds. */
async function keyBytes(keyPrefix) {
  let total = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 5_000);
    cursor = next;
    if (batch.length === 0) continue;
    const pipeline = admin.pipeline();
    for (const key of batch) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [, bytes] of await pipeline.exec()) total += Number(bytes ?? 0);
    keys += batch.length;
  } while (cursor !== '0');
  return { total, keys };
}

try {
  await platform.migrate({ url: database.url, schema: SCHEMA, entities, migrations });
  dataSource = await new DataSource(
    platform.serviceDataSourceOptions({
      url: database.url,
      schema: SCHEMA,
      entities,
      migrations,
      poolSize: 12,
    }),
  ).initialize();
  await admin.flushdb();

  console.log(
    `reminders bench: ${N.toLocaleString('en')} deadlines, burst ${BURST.toLocaleString('en')}, horizon ${HORIZON_SECONDS / 3_600} h, ${cpus().length} cores`,
  );
  console.log(
    `plan: reminders ${settings.offsetsSeconds.map((s) => `${s / 86_400}d`).join(', ')}; escalation ladder ${settings.escalationSteps ?? 1} steps from ${settings.escalateAfterSeconds / 86_400}d\n`,
  );

  // 1. A million deadlines: 90 % due within two years, 10 % overdue by 10 to 400 days.
  const load = await timed(() =>
    bulk(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open)
       SELECT gen_random_uuid(), 'Ministry ' || (n % 40), 'Action ' || n,
              date_trunc('milliseconds', CASE WHEN n % 10 = 0
                THEN now() - make_interval(secs => 864000 + random() * 33696000)
                ELSE now() + make_interval(secs => 60 + random() * 63072000) END),
              true
         FROM generate_series(1, $1) AS n`,
      [N],
    ),
  );
  await dataSource.query(`ANALYZE deadlines`);
  const [{ bytes: pgBytes }] = await dataSource.query(
    `SELECT pg_total_relation_size('deadlines')::bigint AS bytes`,
  );
  console.log(
    `PostgreSQL: ${N.toLocaleString('en')} deadlines written in ${seconds(load.ms)}; ${kb(Number(pgBytes) / N)} per deadline (table and indexes)`,
  );

  // 2. The horizon pass.
  queue = new DeadlineJobQueue(redisUrl, prefix, settings, horizon);
  const reconciler = new ReminderReconciler(dataSource, queue, settings, horizon);
  const memoryBefore = await usedMemory();
  const pass = await timed(() => reconciler.reconcile());
  const memoryAfter = await usedMemory();
  const jobs = pass.result.added;
  const own = await keyBytes(`${prefix}:deadlines`);
  console.log(
    `\nhorizon pass: ${jobs.toLocaleString('en')} jobs put in Redis in ${seconds(pass.ms)} (${Math.round((jobs / pass.ms) * 1_000).toLocaleString('en')} jobs/s, reading PostgreSQL included)`,
  );
  console.log(
    `  Redis INFO used_memory: +${kb(memoryAfter - memoryBefore)} → ${kb((memoryAfter - memoryBefore) / Math.max(1, jobs))} per scheduled reminder`,
  );
  console.log(
    `  Redis MEMORY USAGE of the queue's ${own.keys.toLocaleString('en')} keys: ${kb(own.total)} → ${kb(own.total / Math.max(1, jobs))} per scheduled reminder, ${(own.total / N).toFixed(1)} bytes per deadline in PostgreSQL (goal ≤ 1 KB)`,
  );
  const allJobs = N * 0.9 * (settings.offsetsSeconds.length + (settings.escalationSteps ?? 1));
  console.log(
    `  for comparison, every future job delayed in Redis: ~${Math.round(allJobs).toLocaleString('en')} jobs ≈ ${((allJobs * own.total) / Math.max(1, jobs) / 1_024 ** 3).toFixed(2)} GB`,
  );
  const explain = (
    await dataSource.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
       SELECT d.action_id, d.due_at FROM deadlines d
        WHERE d.open AND d.due_at > now() + interval '3 days' AND d.due_at <= now() + interval '3 days 6 hours'
          AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                           WHERE r.action_id = d.action_id AND r.due_at = d.due_at AND r.offset_seconds = 259200)
        ORDER BY d.due_at, d.action_id LIMIT 1000`,
    )
  )[0]['QUERY PLAN'][0];
  const scans = [];
  (function walk(node) {
    if (node['Index Name'] || node['Node Type'] === 'Seq Scan')
      scans.push(
        `${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : ''}: ${node['Actual Rows']} rows`,
      );
    for (const child of node.Plans ?? []) walk(child);
  })(explain.Plan);
  console.log(
    `  one window ("3 days left"): ${scans.join('; ')}; ${explain['Execution Time'].toFixed(1)} ms`,
  );

  // The same number of jobs through raw addBulk, in the same run.
  const raw = new Queue('raw-baseline', { connection: admin, prefix });
  const now = Date.now();
  const rawJobs = Array.from({ length: jobs }, (_, index) => ({
    name: 'deadline-reminder',
    data: {
      actionId: randomUUID(),
      dueAt: new Date(now + 3_600_000).toISOString(),
      offsetSeconds: 0,
      correlationId: randomUUID(),
    },
    opts: { jobId: `raw-${index}`, delay: 3_600_000 + index },
  }));
  const rawAdd = await timed(async () => {
    for (let start = 0; start < rawJobs.length; start += 500)
      await raw.addBulk(rawJobs.slice(start, start + 500));
  });
  const rawBytes = await keyBytes(`${prefix}:raw-baseline`);
  await raw.obliterate({ force: true });
  await raw.close();
  console.log(
    `  raw BullMQ addBulk of ${jobs.toLocaleString('en')} jobs (batches of 500): ${seconds(rawAdd.ms)} (${Math.round((jobs / rawAdd.ms) * 1_000).toLocaleString('en')} jobs/s, ${kb(rawBytes.total / Math.max(1, jobs))} per job); horizon pass / raw = ${(pass.ms / rawAdd.ms).toFixed(2)}×`,
  );
  const second = await timed(() => reconciler.reconcile());
  console.log(`  a second pass (nothing to do): ${seconds(second.ms)}, ${JSON.stringify(second.result)}`);

  // 3. Redis loses everything.
  await admin.flushdb();
  const rebuild = await timed(() => reconciler.reconcile());
  console.log(
    `\nafter FLUSHDB: horizon rebuilt in ${seconds(rebuild.ms)} (${rebuild.result.added.toLocaleString('en')} jobs; goal ≤ 60 s)`,
  );

  // 4. A burst due within one minute, fired by the production worker.
  const burstStart = new Date(Math.ceil((Date.now() + 45_000) / 60_000) * 60_000);
  await bulk(
    `INSERT INTO deadlines (action_id, institution, title, due_at, open)
     SELECT gen_random_uuid(), 'Ministry ' || (n % 40), 'Burst ' || n,
            date_trunc('milliseconds', $2::timestamptz + make_interval(secs => (n - 1) * 60.0 / $1)), true
       FROM generate_series(1, $1) AS n`,
    [BURST, burstStart],
  );
  const alerts = new DeadlineAlerts(
    dataSource,
    new platform.EventOutbox('notifications', '', 'outbox_notifications'),
    settings,
  );
  worker = new DeadlinesWorker(
    dataSource,
    platform.JobHandlers.among(new DeadlineRemindersProcessor(alerts, queue)),
    reconciler,
    {
      redisUrl,
      queuePrefix: prefix,
      reconcileIntervalMs: 60_000,
    },
  );
  const scheduled = await timed(async () => {
    worker.onApplicationBootstrap();
    await worker.whenStarted(); // its first pass puts the burst in Redis
  });
  console.log(
    `\nburst (REMINDER_CONCURRENCY ${config.REMINDER_CONCURRENCY}): ${BURST.toLocaleString('en')} deadlines due between ${burstStart.toISOString().slice(11, 19)} and +60 s; worker started and burst scheduled in ${seconds(scheduled.ms)}`,
  );
  const deadline = burstStart.getTime() + 60_000 + 240_000;
  let fired = 0;
  while (Date.now() < deadline) {
    [{ fired }] = await dataSource.query(
      `SELECT count(*)::int AS fired FROM notifications n JOIN deadlines d ON d.action_id = n.action_id
        WHERE n.kind = 'deadline_reminder' AND d.title LIKE 'Burst %'`,
    );
    if (fired >= BURST) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const lateness = (
    await dataSource.query(
      `SELECT extract(epoch FROM n.created_at - d.due_at) * 1000 AS ms
         FROM notifications n JOIN deadlines d ON d.action_id = n.action_id
        WHERE n.kind = 'deadline_reminder' AND d.title LIKE 'Burst %'`,
    )
  )
    .map((row) => Number(row.ms))
    .sort((a, b) => a - b);
  console.log(
    `  fired ${lateness.length.toLocaleString('en')} of ${BURST.toLocaleString('en')}; lateness p50 ${seconds(percentile(lateness, 50))}, p99 ${seconds(percentile(lateness, 99))}, max ${seconds(lateness[lateness.length - 1])} (goal p99 ≤ 1 s)`,
  );
} finally {
  await worker?.beforeApplicationShutdown().catch(() => undefined);
  await queue?.jobs.queue.obliterate({ force: true }).catch(() => undefined);
  await queue?.onApplicationShutdown().catch(() => undefined);
  await admin.flushdb().catch(() => undefined);
  admin.disconnect();
  await dataSource?.destroy();
  await database.drop();
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} (${cpus().length} cores)`,
);
process.exit(0);
