// Fail-over benchmark, two parts.
// 1. How long the pipeline stops when a consumer's process goes away.
// Two instances of every service; one notifications instance is stopped (kill -9, or SIGTERM) and
// restarted, while one action a second is created. The gap is the longest time any of those actions
// took to reach the notifications inbox, against the same load with no fault, for each Kafka session
// timeout given (30 s was the default before; 8 s is now).
// 2. End-to-end latency (action created → notification stored) before and after a PostgreSQL restart,
//    two instances of every service on a private cluster: a relay that lost its LISTEN session after
//    the restart would fall back to polling and show it here.
//   npm run bench:failover [-- --session-timeouts 30000,8000 --restart-probes 40]
import { http, PostgresCluster, sleep, Stack, waitFor } from '@nmirf/testing';

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const TIMEOUTS = arg('session-timeouts', '30000,8000').split(',').map(Number);
const MINISTRY = 'Ministry of Justice';

async function recommendation(stack) {
  const created = await http('POST', `${stack.url('recommendations')}/recommendations`, {
    body: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph: '143.1',
    text: 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
    position: 'supported',
  });
  return created.body.id;
}

async function createAction(stack, recommendationId, title) {
  return waitFor('an action', async () => {
    const response = await http('POST', `${stack.url('actions')}/actions`, {
      recommendationId,
      title,
      institution: MINISTRY,
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    return response.status === 201 ? response.body.id : undefined;
  });
}

/** One action a second for `seconds`; returns the creation-to-notification times. */
async function probeLatencies(stack, recommendationId, seconds, duringProbe) {
  const probes = [];
  let creating = true;
  // Watches the inbox while the actions are created, so each delivery is timed as it happens.
  const watching = (async () => {
    const deadline = performance.now() + 240_000;
    while (creating || probes.some((entry) => entry.done === undefined)) {
      if (performance.now() > deadline) throw new Error('probes not delivered within 240 s');
      const waiting = probes.filter((entry) => entry.done === undefined);
      if (waiting.length > 0) {
        const response = await http(
          'GET',
          `${stack.url('notifications')}/institutions/${encodeURIComponent(MINISTRY)}/inbox?limit=500`,
        );
        const seen = new Set((response.body.items ?? []).map((item) => item.actionId));
        const now = performance.now();
        for (const entry of waiting) if (seen.has(entry.id)) entry.done = now;
      }
      await sleep(100);
    }
  })();
  const fault = duringProbe?.();
  for (let i = 0; i < seconds; i += 1) {
    const at = performance.now();
    const id = await createAction(stack, recommendationId, `Probe ${i}`);
    probes.push({ id, at, done: undefined });
    await sleep(Math.max(0, 1_000 - (performance.now() - at)));
  }
  creating = false;
  await fault;
  await watching;
  return probes.map((entry) => entry.done - entry.at);
}

const probe = async (...args) => Math.max(...(await probeLatencies(...args)));
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

const rows = [];
for (const sessionTimeout of TIMEOUTS) {
  const stack = await Stack.start({
    name: `failover-${sessionTimeout}`,
    instances: 2,
    env: { KAFKA_SESSION_TIMEOUT_MS: String(sessionTimeout), LOG_LEVEL: 'warn' },
  });
  try {
    const recommendationId = await recommendation(stack);
    await createAction(stack, recommendationId, 'warm-up');
    const baseline = await probe(stack, recommendationId, 10);
    for (const signal of ['SIGKILL', 'SIGTERM']) {
      const victim = stack.process('notifications', 1);
      const gap = await probe(stack, recommendationId, Math.ceil(sessionTimeout / 1_000) + 10, async () => {
        await sleep(2_000);
        await victim.stop(signal);
        victim.start();
        await victim.waitReady(120_000);
      });
      rows.push({ sessionTimeout, signal, baseline, gap });
      process.stdout.write(
        `session timeout ${sessionTimeout} ms, ${signal}: longest delivery ${(gap / 1000).toFixed(1)} s (no fault: ${(baseline / 1000).toFixed(1)} s)\n`,
      );
    }
  } finally {
    await stack.stop();
  }
}

const PROBES = Number(arg('restart-probes', '40'));
const postgres = await PostgresCluster.create({ name: 'bench-failover' });
let restartRow;
try {
  const stack = await Stack.start({
    name: 'failover-pg',
    instances: 2,
    postgresUrl: postgres.url,
    env: { LOG_LEVEL: 'warn' },
  });
  try {
    const recommendationId = await recommendation(stack);
    await createAction(stack, recommendationId, 'warm-up');
    const before = await probeLatencies(stack, recommendationId, PROBES);
    await postgres.restart('fast');
    const ready = async () => {
      const answers = await Promise.all(
        ['actions', 'notifications'].map((name) => http('GET', `${stack.url(name)}/health/ready`)),
      );
      return answers.every((response) => response.status === 200);
    };
    await waitFor('the APIs to be ready again', ready, { timeoutMs: 120_000 });
    await createAction(stack, recommendationId, 'after the restart');
    const after = await probeLatencies(stack, recommendationId, PROBES);
    restartRow = { before, after };
  } finally {
    await stack.stop();
  }
} finally {
  await postgres.destroy();
}

process.stdout.write(
  '\n| session timeout | stop | longest delivery, no fault | longest delivery, with the stop |\n|---|---|---:|---:|\n',
);
for (const row of rows)
  process.stdout.write(
    `| ${row.sessionTimeout / 1000} s | ${row.signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} | ${(row.baseline / 1000).toFixed(1)} s | ${(row.gap / 1000).toFixed(1)} s |\n`,
  );
const ms = (value) => `${value.toFixed(0)} ms`;
const line = (label, values) =>
  `| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(Math.max(...values))} |\n`;
process.stdout.write(
  `\nEnd-to-end latency, ${PROBES} actions at one a second, two instances of each service:\n` +
    '| | p50 | p95 | max |\n|---|---:|---:|---:|\n' +
    line('before the PostgreSQL restart', restartRow.before) +
    line('after it', restartRow.after),
);
process.exit(0);
