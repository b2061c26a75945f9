// The restore drill of docs/operations.md, "Backup and restore", as a test: dump the database of a
// running platform, restore it into a fresh database, start the services on it with an empty Redis
// (a new queue prefix) and an empty Kafka (the release's topics and consumer groups deleted: the
// same names on a fresh cluster), and show that reminders are rebuilt, the read models agree, and no
// event is published twice. It prints the drill's timings.
import { decodeEnvelope } from '@nmirf/contracts';
import { http, observeTopics, repoRoot, Stack, testKafka, waitFor } from '@nmirf/testing';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createAssignedAction, createRecommendation } from './helpers';

const run = promisify(execFile);
const DAY = 86_400_000;
const SCHEMAS = ['recommendations', 'actions', 'notifications', 'reporting'];

async function inDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The outbox rows not yet published, in every schema. */
const unpublished = (url: string) =>
  inDatabase(url, async (client) => {
    const rows: Array<{ event_id: string; topic: string }> = [];
    for (const schema of SCHEMAS)
      rows.push(
        ...(await client.query(`SELECT event_id, topic FROM "${schema}".outbox WHERE published_at IS NULL`))
          .rows,
      );
    return rows;
  });

/** What a fresh Kafka cluster would be: the release's topics and consumer groups gone. */
async function emptyKafka(brokers: string, prefix: string): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    const groups = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((group) => group.startsWith(prefix));
    if (groups.length) await admin.deleteGroups(groups);
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
    await waitFor('the topics to be gone', async () =>
      (await admin.listTopics()).some((topic) => topic.startsWith(prefix)) ? undefined : true,
    );
  } finally {
    await admin.disconnect();
  }
}

async function parkedEvents(stack: Stack): Promise<number> {
  let parked = 0;
  for (const name of ['notifications', 'reporting'] as const) {
    const text = await (await fetch(stack.process(name).metricsUrl)).text();
    for (const match of text.matchAll(/^nmirf_events_consumed_total\{[^}]*outcome="parked"[^}]*\} (\d+)$/gm))
      parked += Number(match[1]);
  }
  return parked;
}

async function delayedReminders(stack: Stack): Promise<number> {
  const text = await (await fetch(stack.process('notifications-worker').metricsUrl)).text();
  const line = /^nmirf_queue_jobs\{[^}]*queue="deadlines"[^}]*state="delayed"[^}]*\} (\d+)$/m.exec(text);
  return line ? Number(line[1]) : -1;
}

async function readModels(stack: Stack, actionIds: string[]) {
  const summary = await http('GET', `${stack.url('reporting')}/summary`);
  const search = await http('GET', `${stack.url('recommendations')}/recommendations?limit=100&facets=false`);
  const actions = await http('GET', `${stack.url('actions')}/actions?limit=100`);
  const deadlines = await Promise.all(
    actionIds.map(async (id) => {
      const { status, body } = await http('GET', `${stack.url('notifications')}/deadlines/${id}`);
      return { status, dueAt: body?.dueAt, open: body?.open };
    }),
  );
  const { asOf: _asOf, ...counts } = summary.body; // asOf is the time of the answer
  return {
    summary: counts,
    recommendations: search.body.items.map((item: { id: string }) => item.id).sort(),
    actions: actions.body.items
      .map((item: { id: string; status: string }) => `${item.id}:${item.status}`)
      .sort(),
    deadlines,
  };
}

/**
 * What the deadlines queue holds for three actions: per action the reminders 14 d, 3 d and on the
 * day, and one escalation per rung of the ladder; plus the horizon pass's own scheduled job.
 */
const LADDER = 'focal_point,institution_validator,coordinator';
const PLANNED_JOBS = 3 * (3 + LADDER.split(',').length) + 1;

describe('restore drill', () => {
  it('restores a dump with an empty Redis and a fresh Kafka: reminders rebuilt, read models consistent, no event twice', async () => {
    const dir = join(repoRoot, 'tmp', 'restore-drill');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const dump = join(dir, 'nmirf.dump');
    const timings: Record<string, number> = {};
    const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      try {
        return await work();
      } finally {
        timings[name] = Date.now() - started;
      }
    };

    // 1. The platform at work: a recommendation, three actions with reminders waiting.
    // The whole plan in Redis (a horizon beyond the 14-day reminders), so the drill can count it back.
    const before = await Stack.start({
      name: 'restore-a',
      env: { REMINDER_HORIZON: '400d', ESCALATION_LADDER: LADDER },
    });
    let expected: Awaited<ReturnType<typeof readModels>>;
    let actionIds: string[];
    let remindersBefore: number;
    let pendingAtDump: Array<{ event_id: string; topic: string }>;
    try {
      const recommendationId = await createRecommendation(before);
      actionIds = [];
      for (const days of [20, 40, 60])
        actionIds.push(
          (await createAssignedAction(before, recommendationId, new Date(Date.now() + days * DAY))).id,
        );
      remindersBefore = await waitFor('the reminders and escalations of the three actions', async () => {
        const delayed = await delayedReminders(before);
        return delayed === PLANNED_JOBS ? delayed : undefined;
      });
      expected = await waitFor('the read models to settle', async () => {
        const models = await readModels(before, actionIds);
        // Every action created and assigned: under load an assignment can reach reporting later.
        const assigned = models.summary.byInstitution.every(
          (row: { institution: string | null }) => row.institution !== null,
        );
        return models.summary.total === 3 && assigned && models.deadlines.every((d) => d.status === 200)
          ? models
          : undefined;
      });
      // 2. An online dump: one consistent snapshot of the four schemas.
      await time('dump', () => run('pg_dump', ['--format=custom', `--file=${dump}`, before.database.url]));
      pendingAtDump = await unpublished(before.database.url);
    } finally {
      await before.stop();
    }
    const prefix = before.env.KAFKA_TOPIC_PREFIX;
    await time('empty Kafka', () => emptyKafka(before.env.KAFKA_BROKERS, prefix));

    // 3. Restore into a fresh database; the services start with a new queue prefix (empty Redis)
    //    and the same topic names on the emptied Kafka, as the runbook says.
    const after = await time('restore and start', () =>
      Stack.start({
        name: 'restore-b',
        env: { KAFKA_TOPIC_PREFIX: prefix, REMINDER_HORIZON: '400d', ESCALATION_LADDER: LADDER },
        prepareDatabase: (database) =>
          time('restore', () => run('pg_restore', ['--no-owner', `--dbname=${database.url}`, dump])).then(
            () => undefined,
          ),
      }),
    );
    try {
      const kafka = testKafka(after.env.KAFKA_BROKERS);
      const topics = [
        'nmirf.recommendations.recommendation.v1',
        'nmirf.actions.action.v1',
        'nmirf.notifications.reminder.v1',
      ].map((topic) => after.topic(topic));
      const observed = await observeTopics(kafka, topics);
      try {
        // 4. The worker's reconciler rebuilt every reminder job from PostgreSQL.
        const rebuilt = await time('reminders rebuilt', () =>
          waitFor('the reminder jobs to be rebuilt in the empty Redis', async () => {
            const delayed = await delayedReminders(after);
            return delayed === remindersBefore ? delayed : undefined;
          }),
        );
        expect(rebuilt).toBe(remindersBefore);

        // 5. The read models answer as before the dump.
        expect(await readModels(after, actionIds)).toEqual(expected);

        // 6. The new platform works: a new action, and an old one moved. Each event reaches the new
        //    Kafka once: what was still unpublished at the dump, and what happens after. Consumers
        //    continue each aggregate's sequence from the restored positions: nothing waits (parked).
        const recommendationId = expected.recommendations[0];
        const fourth = await createAssignedAction(after, recommendationId, new Date(Date.now() + 80 * DAY));
        const moved = new Date(Date.now() + 90 * DAY);
        const move = await http('PUT', `${after.url('actions')}/actions/${actionIds[0]}/due-date`, {
          dueDate: moved.toISOString(),
          reason: 'Restore drill',
        });
        expect(move.status).toBe(200);
        await waitFor(
          'the summary to count the new action and notifications to follow the move',
          async () => {
            const summary = await http('GET', `${after.url('reporting')}/summary`);
            const deadline = await http('GET', `${after.url('notifications')}/deadlines/${actionIds[0]}`);
            return summary.body.total === 4 && new Date(deadline.body.dueAt).getTime() === moved.getTime()
              ? true
              : undefined;
          },
        );
        expect(await parkedEvents(after)).toBe(0);
        const published = observed.messages.map((message) => decodeEnvelope(message.value, message.key));
        const ids = published.map((event) => event.eventId);
        expect(new Set(ids).size).toBe(ids.length); // none twice
        const observedTopics = new Set(topics);
        const fromDump = pendingAtDump
          .filter((row) => observedTopics.has(row.topic))
          .map((row) => row.event_id);
        const restored = published.filter(
          (event) => event.aggregateId !== fourth.id && event.aggregateId !== actionIds[0],
        );
        expect(restored.map((event) => event.eventId).sort()).toEqual(fromDump.sort());
        expect(published.some((event) => event.aggregateId === fourth.id)).toBe(true);

        // 7. The audit chains survived the round trip.
        const verify = await run('node', [
          join(repoRoot, 'infra/scripts/audit-verify.mjs'),
          '--database-url',
          after.database.url,
        ]);
        expect(verify.stdout).toMatch(/actions/);
        process.stdout.write(
          `restore drill: ${JSON.stringify(timings)} ms; ${remindersBefore} reminder jobs rebuilt; ` +
            `${pendingAtDump.length} events unpublished at the dump, ${ids.length} published after the restore\n`,
        );
      } finally {
        await observed.stop();
      }
    } finally {
      await after.stop();
    }
  });
});
