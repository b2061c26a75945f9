// The chaos harness: a burst of follow-up work over REST, the faults, a probe that times recovery,
// and a verifier that holds notifications and reporting to what the actions API says.
import {
  awaitImport,
  sleep,
  Stack,
  waitFor,
  withAuthorization,
  type JsonResponse,
  type ServiceName,
  type StackOptions,
} from '@nmirf/testing';
import { Queue, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { formatMs, recordResult } from './results';

export { publishResults, recordResult, type ChaosResult } from './results';

const numberSetting = (name: string, fallback: number): number => {
  const text = process.env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, got "${text}"`);
  return value;
};

/** Sizes and times; `npm test` runs the defaults, `npm run chaos` larger bursts. */
export const chaos = {
  /** Actions per burst; each fault gets its own burst. */
  actions: numberSetting('CHAOS_ACTIONS', 30),
  /** Requests in flight at once: sized for a 2-core machine that also runs the stack. */
  concurrency: numberSetting('CHAOS_CONCURRENCY', 4),
  kafkaOutageMs: numberSetting('CHAOS_KAFKA_OUTAGE_MS', 30_000),
  /** How long a killed process stays down before its restart. */
  downMs: numberSetting('CHAOS_DOWN_MS', 1_000),
  /**
   * Longer than any recovery should take: past it, the pipeline is taken to hang. A killed process
   * has taken three minutes to start again on a two-core machine at load 28.
   */
  hangMs: numberSetting('CHAOS_HANG_MS', 300_000),
};

/** Generous per-test timeout: the burst, the fault, the recovery and the verification. */
export const chaosTestTimeoutMs = 900_000 + chaos.actions * 1_500;

export const INSTITUTIONS = ['Ministry of Justice', 'Ministry of the Interior', 'Human Rights Ombudsman'];
/** Probe actions live in their own inbox, apart from the burst's. */
export const PROBE_INSTITUTION = 'Chaos Probe Unit';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

/** The reminder plan every chaos stack runs with; the verifier derives the expected jobs from it. */
const reminderSettings = { offsetsSeconds: [14 * 86_400, 3 * 86_400, 0], escalateAfterSeconds: 86_400 };

export const chaosEnv: Record<string, string> = {
  REMINDER_OFFSETS: '14d,3d,0s',
  ESCALATE_AFTER: '1d',
  // The reconcilers are the designed repair for jobs Redis lost (or an after-commit schedule a crash
  // cut off); a short period brings that repair inside the test's wait.
  RECONCILE_INTERVAL: '30s',
  // Every job of the burst's deadlines (4 to 44 days ahead) in Redis, so the verifier can count them
  // all; horizon scheduling has its own tests.
  REMINDER_HORIZON: '60d',
  // One escalation per action, as the checker's plan of the deadlines queue expects.
  ESCALATION_LADDER: 'focal_point',
  REPORTS_RECONCILE_MS: '20000',
};

export async function startChaosStack(name: string, options: Partial<StackOptions> = {}): Promise<Stack> {
  const stack = await Stack.start({
    ...options,
    name: `chaos-${name}`,
    env: { ...chaosEnv, ...options.env },
  });
  try {
    await addInstitutions(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Actions are assigned to directory ids: the burst's and the probe's institutions join the directory. */
async function addInstitutions(stack: Stack): Promise<void> {
  for (const id of [...INSTITUTIONS, PROBE_INSTITUTION]) {
    const body = { id, kind: 'other', names: { en: id } };
    const response = await call(stack, 'actions', 'POST', '/institutions', { body });
    // 409: already in the directory (the demo institutions are seeded).
    if (response.status !== 201 && response.status !== 409)
      throw new Error(`adding institution ${id}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

// ------------------------------------------------------------------------------------------ http --

// An action created with its institution starts assigned (the workflow's statuses).
type Status = 'assigned' | 'in_progress' | 'blocked' | 'completed' | 'cancelled';
/** Reporting's read model keeps five buckets: work not yet begun counts as not started. */
const reportedStatus = (status: string) =>
  ['proposed', 'assigned', 'acknowledged', 'declined'].includes(status) ? 'not_started' : status;
const isOpen = (status: Status) => status !== 'completed' && status !== 'cancelled';

interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Spreads calls over a service's instances; a retry moves on to the next one. */
  instance?: number;
  /** Statuses worth retrying besides 5xx and network errors (e.g. 422 before a recommendation arrives). */
  retryOn?: number[];
  timeoutMs?: number;
}

/** One request with a timeout; a network error or timeout is returned as status 0. */
async function request(url: string, method: string, options: CallOptions): Promise<JsonResponse> {
  try {
    const response = await fetch(url, {
      method,
      // As the stack's default caller, like every test request.
      headers: await withAuthorization({
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      }),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

/**
 * Calls a service until it answers with something other than a network error, a timeout, a 429, a
 * 5xx or one of `retryOn`, as a client with an outage-tolerant retry policy would; gives up after
 * `chaos.hangMs`. Returns the final answer and whether an earlier attempt may have taken effect.
 */
async function call(
  stack: Stack,
  service: ServiceName,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<JsonResponse & { retried: boolean }> {
  const instances = stack.instances(service).length;
  const deadline = Date.now() + chaos.hangMs;
  let ambiguous = false;
  for (let attempt = 0; ; attempt += 1) {
    const url = `${stack.url(service, ((options.instance ?? 0) + attempt) % instances)}${path}`;
    const response = await request(url, method, options);
    // 429 and 503 come with Retry-After: the request is to be made again.
    const retry =
      response.status === 0 ||
      response.status === 429 ||
      response.status >= 500 ||
      (options.retryOn ?? []).includes(response.status);
    if (!retry || Date.now() > deadline) return { ...response, retried: ambiguous };
    // A request that reached the server may have committed before the connection broke.
    if (response.status !== 422 && response.status !== 429) ambiguous = true;
    await sleep(Math.min(200 * 2 ** Math.min(attempt, 4), 2_000));
  }
}

// ----------------------------------------------------------------------------------------- burst --

interface PlannedAction {
  index: number;
  title: string;
  institution: string;
  /** The due date at creation, then each rescheduling. */
  dueDates: Date[];
  /** Progress reports, in order. */
  statuses: Status[];
}

/** An action of a burst (or a probe), with what the client was told. */
export interface TrackedAction {
  plan: PlannedAction;
  id?: string;
  /** The last due date the actions API acknowledged. */
  dueAt?: Date;
  status: Status;
  /** Due-date changes the API acknowledged, each a different date. */
  dueDateChanges: number;
}

type CreatedAction = TrackedAction & { id: string; dueAt: Date };

const isCreated = (action: TrackedAction): action is CreatedAction => Boolean(action.id && action.dueAt);

export interface Burst {
  tag: string;
  actions: TrackedAction[];
  /** Probe actions created to time recovery; verified like the burst's. */
  probes: TrackedAction[];
  /** Reports requested during the burst; each must end up compiled. */
  reports: string[];
  /** Requests that never succeeded: the API did not come back within `chaos.hangMs`. */
  failures: string[];
  /** Actions created so far. */
  created(): number;
  /** Resolves once `fraction` of the actions are created (or the burst is over). */
  reached(fraction: number): Promise<void>;
  finished: Promise<void>;
}

export interface BurstOptions {
  label: string;
  actions?: number;
  concurrency?: number;
  /** Spreads the burst over at least this long (e.g. across a whole Kafka outage). */
  spanMs?: number;
}

/** Deterministic variety: due dates days to weeks ahead (some within 14 or 3 days), a few due in seconds. */
function planActions(tag: string, count: number, start: number): PlannedAction[] {
  return Array.from({ length: count }, (_, index) => {
    const institution = INSTITUTIONS[index % INSTITUTIONS.length];
    const title = `${tag} #${index}`;
    if (index % 10 === 7) {
      // Due within the test: the on-the-day reminder fires while the fault plays out.
      return {
        index,
        title,
        institution,
        dueDates: [new Date(start + 25 * SECOND + (index % 5) * 3 * SECOND)],
        statuses: index % 2 === 0 ? [] : ['in_progress'],
      };
    }
    const first = new Date(start + (4 + ((index * 7) % 40)) * DAY + (index % 24) * 3_600 * SECOND);
    const dueDates = [first];
    const moves = index % 5 === 2 ? 2 : index % 5 <= 1 ? 1 : 0;
    for (let move = 0; move < moves; move += 1) {
      // Earlier and later, some inside 3 or 14 days: reminders of the old date must go.
      const days = move === 0 ? 2.5 + ((index * 3) % 30) : 20 + ((index * 5) % 30);
      dueDates.push(new Date(start + days * DAY + index * 60 * SECOND));
    }
    const paths: Status[][] = [
      [],
      ['in_progress'],
      ['in_progress', 'blocked'],
      ['completed'],
      index % 4 === 0 ? ['in_progress', 'completed', 'in_progress'] : ['in_progress', 'completed'],
      ['cancelled'],
    ];
    return { index, title, institution, dueDates, statuses: paths[index % paths.length] };
  });
}

async function createRecommendation(stack: Stack, tag: string, group: number, failures: string[]) {
  const documentSymbol = `A/HRC/CHAOS/${tag}`;
  const paragraph = `${group + 1}.1`;
  const response = await call(stack, 'recommendations', 'POST', '/recommendations', {
    body: {
      body: 'UPR',
      documentSymbol,
      paragraph,
      text: `Chaos burst ${tag}: ratify the Optional Protocol (${group})`,
      recommendingStates: ['France'],
      position: 'supported',
    },
    headers: { 'idempotency-key': randomUUID() },
    instance: group,
  });
  if (response.status === 201) return response.body.id as string;
  if (response.status === 409 && response.retried) {
    // The first attempt committed before its connection broke.
    const found = await call(
      stack,
      'recommendations',
      'GET',
      `/recommendations?documentSymbol=${encodeURIComponent(documentSymbol)}&facets=false&limit=100`,
    );
    const existing = (found.body?.items ?? []).find(
      (item: { paragraph: string }) => item.paragraph === paragraph,
    );
    if (existing) return existing.id as string;
  }
  failures.push(`create recommendation ${paragraph}: ${response.status} ${JSON.stringify(response.body)}`);
  return undefined;
}

async function createAction(
  stack: Stack,
  action: TrackedAction,
  recommendationId: string,
  failures: string[],
): Promise<boolean> {
  const dueAt = action.plan.dueDates[0];
  const response = await call(stack, 'actions', 'POST', '/actions', {
    body: {
      recommendationId,
      title: action.plan.title,
      institution: action.plan.institution,
      dueDate: dueAt.toISOString(),
    },
    // A retry after a broken connection must not create the action twice.
    headers: { 'idempotency-key': randomUUID() },
    instance: action.plan.index,
    retryOn: [422],
  });
  let id: string | undefined = response.status === 201 ? response.body.id : undefined;
  if (!id && response.status === 409 && response.retried) {
    // The key was applied but its answer never recorded (the server or its database went away in
    // between): as the API says, look the result up instead of retrying.
    id = await findAction(stack, recommendationId, action.plan.title);
  }
  if (!id) {
    failures.push(`create ${action.plan.title}: ${response.status} ${JSON.stringify(response.body)}`);
    return false;
  }
  action.id = id;
  action.dueAt = dueAt;
  return true;
}

/** The action with this title among the recommendation's, once it is committed. */
async function findAction(
  stack: Stack,
  recommendationId: string,
  title: string,
): Promise<string | undefined> {
  try {
    return await waitFor(
      `action "${title}" in the actions API`,
      async () => {
        const listed = await call(
          stack,
          'actions',
          'GET',
          `/actions?recommendationId=${recommendationId}&limit=500`,
        );
        return (listed.body?.items ?? []).find((item: { title: string }) => item.title === title)?.id;
      },
      { timeoutMs: chaos.hangMs, intervalMs: 500 },
    );
  } catch {
    return undefined;
  }
}

/** Runs one action's life: created and assigned, rescheduled, progress reported. */
async function playAction(
  stack: Stack,
  action: TrackedAction,
  recommendationId: string,
  failures: string[],
): Promise<void> {
  if (!(await createAction(stack, action, recommendationId, failures))) return;
  const { plan } = action;
  for (const dueAt of plan.dueDates.slice(1)) {
    const response = await call(stack, 'actions', 'PUT', `/actions/${action.id}/due-date`, {
      body: { dueDate: dueAt.toISOString(), reason: 'chaos reschedule' },
      instance: plan.index,
    });
    if (response.status !== 200) {
      failures.push(`reschedule ${plan.title}: ${response.status} ${JSON.stringify(response.body)}`);
      return;
    }
    action.dueAt = dueAt;
    action.dueDateChanges += 1;
  }
  for (const status of plan.statuses) {
    const response = await call(stack, 'actions', 'POST', `/actions/${action.id}/progress`, {
      body: { status, note: `chaos: ${status}` },
      headers: { 'idempotency-key': randomUUID() },
      instance: plan.index,
    });
    let applied = response.status === 201;
    if (!applied && response.status === 409 && response.retried) {
      // completed → completed is refused: the lost first attempt may have applied it already.
      const current = await call(stack, 'actions', 'GET', `/actions/${action.id}`);
      applied = current.status === 200 && current.body.status === status;
    }
    if (!applied) {
      failures.push(
        `progress ${plan.title} → ${status}: ${response.status} ${JSON.stringify(response.body)}`,
      );
      return;
    }
    action.status = status;
  }
}

/**
 * Starts a burst of follow-up work in the background: actions created over REST with due dates and
 * institutions, about half of them rescheduled once or twice, most with progress reported, a new
 * recommendation every ten actions and a report requested every fifteen.
 */
export function startBurst(stack: Stack, options: BurstOptions): Burst {
  const count = options.actions ?? chaos.actions;
  const concurrency = Math.max(1, options.concurrency ?? chaos.concurrency);
  const tag = `${options.label}-${randomBytes(3).toString('hex')}`;
  const start = Date.now();
  const actions: TrackedAction[] = planActions(tag, count, start).map((plan) => ({
    plan,
    status: 'assigned',
    dueDateChanges: 0,
  }));
  const reports: string[] = [];
  const failures: string[] = [];
  const recommendations = new Map<number, Promise<string | undefined>>();
  let next = 0;
  let done = 0;
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (done >= waiter.target) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const worker = async () => {
    // A request that never succeeded means the stack did not come back: stop adding load.
    while (next < count && failures.length === 0) {
      const index = next++;
      if (options.spanMs) await sleep(Math.max(0, start + (index * options.spanMs) / count - Date.now()));
      const group = Math.floor(index / 10);
      if (!recommendations.has(group))
        recommendations.set(group, createRecommendation(stack, tag, group, failures));
      const recommendationId = await recommendations.get(group);
      if (recommendationId) await playAction(stack, actions[index], recommendationId, failures);
      if (index % 15 === 14) {
        const report = await call(stack, 'reporting', 'POST', '/reports', {
          body: { kind: 'action-progress', format: 'csv' },
          instance: index,
        });
        if (report.status === 202) reports.push(report.body.id);
        else failures.push(`request report: ${report.status} ${JSON.stringify(report.body)}`);
      }
      done += 1;
      settle();
    }
  };
  const finished = Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    done = count;
    settle();
  });
  return {
    tag,
    actions,
    probes: [],
    reports,
    failures,
    created: () => actions.filter(isCreated).length,
    reached: (fraction) =>
      new Promise<void>((resolve) => {
        waiters.push({ target: Math.ceil(count * fraction), resolve });
        settle();
      }),
    finished,
  };
}

// ---------------------------------------------------------------------------------------- probes --

/**
 * What "processing new work again" means after a fault: `pipeline` an action reaching notifications
 * and reporting; `recommendations` a new recommendation reaching the actions service first;
 * `reminders` an action due now getting its reminder from the worker; `reports` a report compiled;
 * `imports` an upload imported by the recommendations worker.
 */
export type ProbeKind = 'pipeline' | 'recommendations' | 'reminders' | 'reports' | 'imports';

export function probeFor(process: string): ProbeKind {
  if (process === 'recommendations') return 'recommendations';
  if (process === 'notifications-worker') return 'reminders';
  if (process === 'reporting-worker') return 'reports';
  if (process === 'recommendations-worker') return 'imports';
  return 'pipeline';
}

async function inboxItems(stack: Stack, institution: string): Promise<InboxItem[]> {
  const items = new Map<string, InboxItem>();
  for (let offset = 0; ; offset += 500) {
    const response = await call(
      stack,
      'notifications',
      'GET',
      `/institutions/${encodeURIComponent(institution)}/inbox?limit=500&offset=${offset}`,
    );
    if (response.status !== 200) throw new Error(`inbox of ${institution}: ${response.status}`);
    // Keyed by id: a page boundary that moves while new items arrive must not count one twice.
    for (const item of response.body.items as InboxItem[]) items.set(item.id, item);
    if (offset + 500 >= response.body.total) return [...items.values()];
  }
}

interface InboxItem {
  id: string;
  kind: string;
  actionId: string;
  params: { dueAt?: string; offsetSeconds?: number };
}

async function createProbeAction(stack: Stack, burst: Burst, dueAt: Date, recommendationId?: string) {
  const recommendation =
    recommendationId ??
    (await createRecommendation(stack, burst.tag, 1_000 + burst.probes.length, burst.failures));
  if (!recommendation) throw new Error('probe: no recommendation');
  const probe: TrackedAction = {
    plan: {
      index: burst.probes.length,
      title: `${burst.tag} probe ${burst.probes.length}`,
      institution: PROBE_INSTITUTION,
      dueDates: [dueAt],
      statuses: [],
    },
    status: 'assigned',
    dueDateChanges: 0,
  };
  if (!(await createAction(stack, probe, recommendation, burst.failures)))
    throw new Error('probe: action not created');
  burst.probes.push(probe);
  return probe;
}

/**
 * Sends one probe through the pipeline and returns the time from `since` (the fault's end) until it
 * was processed, or null if that did not happen within `chaos.hangMs`.
 */
export async function measureRecovery(
  stack: Stack,
  burst: Burst,
  kind: ProbeKind,
  since: number,
): Promise<number | null> {
  const deadline = since + chaos.hangMs;
  const poll = { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 250 };
  try {
    if (kind === 'reports') {
      const requested = await call(stack, 'reporting', 'POST', '/reports', {
        body: { kind: 'action-progress', format: 'csv' },
      });
      if (requested.status !== 202) throw new Error(`report request: ${requested.status}`);
      burst.reports.push(requested.body.id);
      await waitFor(
        'the probe report to be compiled',
        async () =>
          (await call(stack, 'reporting', 'GET', `/reports/${requested.body.id}`)).body?.status === 'ready',
        poll,
      );
      return Date.now() - since;
    }
    if (kind === 'imports') {
      // The service's own template: three rows, applied (or found unchanged) by the worker.
      const base = stack.url('recommendations');
      const template = await fetch(`${base}/imports/template?format=csv`);
      const form = new FormData();
      form.append('file', new Blob([await template.arrayBuffer()]), 'template.csv');
      const response = await fetch(`${base}/imports`, {
        method: 'POST',
        body: form,
        headers: await withAuthorization(),
      });
      if (response.status !== 202) throw new Error(`probe import not queued: ${response.status}`);
      const { id } = (await response.json()) as { id: string };
      const done = await awaitImport<{ status: string }>(base, id, poll);
      if (done.status !== 'applied') throw new Error(`probe import ended ${done.status}`);
      return Date.now() - since;
    }
    if (kind === 'reminders') {
      const probe = await createProbeAction(stack, burst, new Date());
      await waitFor(
        'the probe’s on-the-day reminder',
        async () =>
          (await inboxItems(stack, PROBE_INSTITUTION)).some(
            (item) => item.kind === 'deadline_reminder' && item.actionId === probe.id,
          ),
        poll,
      );
      return Date.now() - since;
    }
    let recommendationId: string | undefined;
    if (kind === 'recommendations') {
      recommendationId = await createRecommendation(stack, burst.tag, 2_000 + burst.probes.length, []);
      if (!recommendationId) throw new Error('probe recommendation not created');
    }
    // createAction retries 422 until the actions service has heard of the recommendation.
    const probe = await createProbeAction(stack, burst, new Date(Date.now() + 30 * DAY), recommendationId);
    await waitFor(
      'the probe to reach notifications and reporting',
      async () => {
        const assigned = (await inboxItems(stack, PROBE_INSTITUTION)).some(
          (item) => item.kind === 'action_assigned' && item.actionId === probe.id,
        );
        if (!assigned) return false;
        const inActions = await call(
          stack,
          'actions',
          'GET',
          `/actions?institution=${encodeURIComponent(PROBE_INSTITUTION)}&limit=1`,
        );
        const inReporting = await call(
          stack,
          'reporting',
          'GET',
          `/summary?institution=${encodeURIComponent(PROBE_INSTITUTION)}`,
        );
        return inReporting.body?.total >= inActions.body?.total;
      },
      poll,
    );
    return Date.now() - since;
  } catch (error) {
    process.stdout.write(`[chaos] probe ${kind} did not get through: ${(error as Error).message}\n`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------- faults --

/** kill -9, a pause, then a restart; returns when the process was started again. */
export async function crashAndRestart(stack: Stack, name: Parameters<Stack['process']>[0], index = 0) {
  const victim = stack.process(name, index);
  await victim.stop('SIGKILL');
  await sleep(chaos.downMs);
  victim.start();
  const restartedAt = Date.now();
  await victim.waitReady(chaos.hangMs);
  return restartedAt;
}

/**
 * FLUSHALL on the stack's Redis: every key, not just this stack's queue prefix, since a narrower
 * delete would not be the loss the reconcilers exist for. Give the stack a private Redis
 * (`RedisServer`): other suites run beside the chaos suite.
 */
export async function flushRedis(stack: Stack): Promise<void> {
  const redis = new IORedis(stack.env.REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}

/** Pending reminder/escalation jobs of the stack's `deadlines` queue, by job id. */
async function pendingDeadlineJobs(
  stack: Stack,
): Promise<{ pending: Map<string, Job>; active: Set<string> }> {
  const connection = new IORedis(stack.env.REDIS_URL, { maxRetriesPerRequest: 3 });
  const queue = new Queue('deadlines', { connection, prefix: stack.env.QUEUE_PREFIX });
  try {
    const pending = new Map<string, Job>();
    for (const job of await queue.getJobs([
      'delayed',
      'waiting',
      'prioritized',
      'paused',
      'waiting-children',
    ])) {
      if (job?.id) pending.set(job.id, job);
    }
    const active = new Set((await queue.getJobs(['active'])).map((job) => job?.id ?? ''));
    return { pending, active };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

interface PlannedJob {
  id: string;
  offsetSeconds: number;
  runAt: number;
}

/** The jobs an open deadline must have (the product's rule, restated): future reminders, on-the-day, escalation. */
function expectedJobs(actionId: string, dueAt: Date, now: number, sentOffsets: Set<number>): PlannedJob[] {
  const due = dueAt.getTime();
  const reminders = reminderSettings.offsetsSeconds
    .filter((offset) => offset === 0 || due - offset * SECOND > now)
    .map((offset) => ({
      id: `reminder-${actionId}-${offset}`,
      offsetSeconds: offset,
      runAt: due - offset * SECOND,
    }));
  const escalation = {
    id: `escalation-${actionId}`,
    offsetSeconds: -reminderSettings.escalateAfterSeconds,
    runAt: due + reminderSettings.escalateAfterSeconds * SECOND,
  };
  return [...reminders, escalation].filter((job) => !sentOffsets.has(job.offsetSeconds));
}

/** Waits until every open deadline of `actions` has its reminder jobs in Redis again. */
export async function waitForRemindersReplanned(stack: Stack, actions: TrackedAction[], since: number) {
  try {
    await waitFor(
      `reminder jobs of the open deadlines to be planned again`,
      async () => {
        // Read at each poll: the burst goes on closing actions and moving due dates meanwhile.
        const open = actions.filter(isCreated).filter((action) => isOpen(action.status));
        const { pending, active } = await pendingDeadlineJobs(stack);
        return open.every((action) =>
          expectedJobs(action.id, action.dueAt, Date.now(), new Set())
            .filter((job) => job.offsetSeconds !== 0 || job.runAt > Date.now() + 5 * SECOND)
            .every((job) => pending.has(job.id) || active.has(job.id)),
        );
      },
      { timeoutMs: Math.max(1_000, since + chaos.hangMs - Date.now()), intervalMs: 1_000 },
    );
    return Date.now() - since;
  } catch {
    return null;
  }
}

// -------------------------------------------------------------------------------------- verifier --

export interface Verdict {
  lost: number;
  duplicated: number;
  wrong: number;
  problems: string[];
}

class Findings implements Verdict {
  lost = 0;
  duplicated = 0;
  wrong = 0;
  problems: string[] = [];

  add(kind: 'lost' | 'duplicated' | 'wrong', problem: string, count = 1): void {
    this[kind] += count;
    this.problems.push(`${kind}: ${problem}`);
  }
}

interface Truth {
  id: string;
  title: string;
  institution: string;
  status: Status;
  dueAt: Date;
  dueDateChanges: number;
}

async function listActions(stack: Stack): Promise<Map<string, any>> {
  const all = new Map<string, any>();
  for (let offset = 0; ; offset += 500) {
    const response = await call(stack, 'actions', 'GET', `/actions?limit=500&offset=${offset}`);
    if (response.status !== 200) throw new Error(`actions list: ${response.status}`);
    for (const item of response.body.items) all.set(item.id, item);
    if (offset + 500 >= response.body.total) return all;
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** RFC 4180, as the reporting worker writes it. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  const [header, ...records] = rows;
  return records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
}

async function compiledReport(stack: Stack): Promise<Array<Record<string, string>> | undefined> {
  const requested = await call(stack, 'reporting', 'POST', '/reports', {
    body: { kind: 'action-progress', format: 'csv' },
  });
  if (requested.status !== 202) return undefined;
  try {
    await waitFor(
      'the verification report',
      async () =>
        (await call(stack, 'reporting', 'GET', `/reports/${requested.body.id}`)).body?.status === 'ready',
      { timeoutMs: chaos.hangMs, intervalMs: 500 },
    );
  } catch {
    return undefined;
  }
  const file = await fetch(`${stack.url('reporting')}/reports/${requested.body.id}/file`, {
    headers: await withAuthorization(),
  });
  return file.status === 200 ? parseCsv(await file.text()) : undefined;
}

/** Reminders (not escalations) notifications has sent for an action, as of now. */
async function remindersSentNow(stack: Stack, actionId: string): Promise<number | undefined> {
  const response = await call(stack, 'notifications', 'GET', `/deadlines/${actionId}`);
  if (response.status !== 200) return undefined;
  return (response.body.remindersSent as Array<{ kind: string }>).filter((sent) => sent.kind === 'reminder')
    .length;
}

/** Grace around a due date during which its on-the-day reminder may or may not have gone out yet. */
const REMINDER_GRACE_MS = 20 * SECOND;

/**
 * One comparison of everything downstream with the actions API, for the actions of one burst (and
 * its probes). `full` false stops after the cheap checks while those still find work missing.
 */
async function snapshot(stack: Stack, burst: Burst, full: boolean): Promise<Findings> {
  const findings = new Findings();
  const tracked = [...burst.actions, ...burst.probes].filter(isCreated);

  // 1. The actions API against what the client was told.
  const listed = await listActions(stack);
  const truths: Truth[] = [];
  for (const action of tracked) {
    const api = listed.get(action.id);
    if (!api) {
      findings.add('lost', `actions API: ${action.plan.title} (${action.id}) acknowledged but missing`);
      continue;
    }
    const truth: Truth = {
      id: action.id,
      title: api.title,
      institution: api.institution,
      status: api.status,
      dueAt: new Date(api.dueAt),
      dueDateChanges: action.dueDateChanges,
    };
    if (truth.status !== action.status || truth.dueAt.getTime() !== action.dueAt.getTime())
      findings.add(
        'wrong',
        `actions API: ${action.id} is ${truth.status} due ${truth.dueAt.toISOString()}, the client set ${action.status} due ${action.dueAt.toISOString()}`,
      );
    truths.push(truth);
  }
  const titles = new Map<string, number>();
  for (const item of listed.values())
    if (item.title.startsWith(`${burst.tag} `)) titles.set(item.title, (titles.get(item.title) ?? 0) + 1);
  for (const [title, count] of titles)
    if (count > 1) findings.add('duplicated', `actions API: "${title}" created ${count} times`, count - 1);

  // 2. Inbox notifications: one per assignment, one per due-date change, one reminder per due date.
  const institutions = [...new Set(truths.map((truth) => truth.institution))];
  const inbox = new Map<string, InboxItem[]>();
  for (const institution of institutions)
    for (const item of await inboxItems(stack, institution))
      inbox.set(item.actionId, [...(inbox.get(item.actionId) ?? []), item]);
  const now = Date.now();
  const remindersPerAction = new Map<string, number>();
  for (const truth of truths) {
    const items = inbox.get(truth.id) ?? [];
    const assigned = items.filter((item) => item.kind === 'action_assigned').length;
    if (assigned === 0) findings.add('lost', `notifications: no assignment notification for ${truth.id}`);
    if (assigned > 1)
      findings.add(
        'duplicated',
        `notifications: ${assigned} assignment notifications for ${truth.id}`,
        assigned - 1,
      );
    const moved = items.filter((item) => item.kind === 'action_due_date_changed').length;
    if (moved < truth.dueDateChanges)
      findings.add(
        'lost',
        `notifications: ${moved} of ${truth.dueDateChanges} due-date changes notified for ${truth.id}`,
        truth.dueDateChanges - moved,
      );
    if (moved > truth.dueDateChanges)
      findings.add(
        'duplicated',
        `notifications: ${moved} due-date change notifications for ${truth.dueDateChanges} changes of ${truth.id}`,
        moved - truth.dueDateChanges,
      );
    const reminders = items.filter((item) => item.kind === 'deadline_reminder');
    remindersPerAction.set(truth.id, reminders.length);
    const byDue = new Map<string, number>();
    for (const reminder of reminders) {
      const key = `${reminder.params.offsetSeconds}@${reminder.params.dueAt}`;
      byDue.set(key, (byDue.get(key) ?? 0) + 1);
      if (reminder.params.dueAt !== truth.dueAt.toISOString())
        findings.add(
          'wrong',
          `notifications: reminder for ${truth.id} about stale due date ${reminder.params.dueAt}`,
        );
    }
    for (const [key, count] of byDue)
      if (count > 1)
        findings.add(
          'duplicated',
          `notifications: reminder ${key} of ${truth.id} sent ${count} times`,
          count - 1,
        );
    const dueNow = `0@${truth.dueAt.toISOString()}`;
    if (isOpen(truth.status) && now > truth.dueAt.getTime() + REMINDER_GRACE_MS && !byDue.has(dueNow))
      findings.add(
        'lost',
        `notifications: no on-the-day reminder for ${truth.id}, due ${truth.dueAt.toISOString()}`,
      );
  }
  if (!full && findings.lost > 0) return findings;

  // 3. Deadlines as notifications keeps them: due date, open or closed, reminders sent.
  const sent = new Map<string, Set<number>>();
  await inParallel(truths, 8, async (truth) => {
    const response = await call(stack, 'notifications', 'GET', `/deadlines/${truth.id}`);
    if (response.status === 404) return findings.add('lost', `notifications: no deadline for ${truth.id}`);
    if (response.status !== 200)
      return findings.add('wrong', `notifications: deadline of ${truth.id} answers ${response.status}`);
    const deadline = response.body;
    if (new Date(deadline.dueAt).getTime() !== truth.dueAt.getTime())
      findings.add(
        'wrong',
        `notifications: deadline of ${truth.id} is ${deadline.dueAt}, the actions API says ${truth.dueAt.toISOString()}`,
      );
    if (deadline.open !== isOpen(truth.status))
      findings.add(
        'wrong',
        `notifications: deadline of ${truth.id} open=${deadline.open} but the action is ${truth.status}`,
      );
    if (deadline.institution !== truth.institution)
      findings.add('wrong', `notifications: deadline of ${truth.id} belongs to ${deadline.institution}`);
    sent.set(
      truth.id,
      new Set(
        (deadline.remindersSent as Array<{ offsetSeconds: number; dueAt: string }>)
          .filter((reminder) => new Date(reminder.dueAt).getTime() === truth.dueAt.getTime())
          .map((reminder) => reminder.offsetSeconds),
      ),
    );
  });

  // 4. Reminder jobs in Redis: each open deadline's jobs, for its final due date, on the right day.
  const { pending, active } = await pendingDeadlineJobs(stack);
  const jobsNow = Date.now();
  const byAction = new Map<string, Job[]>();
  for (const job of pending.values())
    byAction.set(job.data.actionId, [...(byAction.get(job.data.actionId) ?? []), job]);
  for (const truth of truths) {
    const dueSoon = Math.abs(truth.dueAt.getTime() - jobsNow) < REMINDER_GRACE_MS;
    const expected = isOpen(truth.status)
      ? expectedJobs(truth.id, truth.dueAt, jobsNow, sent.get(truth.id) ?? new Set())
      : [];
    for (const job of expected) {
      if (dueSoon && job.offsetSeconds === 0) continue; // may be running right now
      const found = pending.get(job.id);
      if (!found) {
        if (!active.has(job.id))
          findings.add('lost', `jobs: ${job.id} missing (due ${truth.dueAt.toISOString()})`);
        continue;
      }
      if (found.data.dueAt !== truth.dueAt.toISOString())
        findings.add(
          'wrong',
          `jobs: ${job.id} planned for due date ${found.data.dueAt}, not ${truth.dueAt.toISOString()}`,
        );
      const runAt = found.timestamp + (found.delay ?? found.opts.delay ?? 0);
      if (Math.abs(runAt - job.runAt) > 60 * SECOND)
        findings.add(
          'wrong',
          `jobs: ${job.id} runs ${new Date(runAt).toISOString()}, should run ${new Date(job.runAt).toISOString()}`,
        );
    }
    const expectedIds = new Set(expected.map((job) => job.id));
    for (const job of byAction.get(truth.id) ?? []) {
      if (expectedIds.has(job.id ?? '') || (dueSoon && job.data.offsetSeconds === 0)) continue;
      // For a closed or moved deadline the job would do nothing when it runs, but Redis no longer
      // matches PostgreSQL: a cancellation or move was lost on its way to the queue.
      findings.add(
        'wrong',
        `jobs: ${job.id} (due ${job.data.dueAt}) still pending, but the action is ${truth.status} due ${truth.dueAt.toISOString()}`,
      );
    }
  }

  // 5. Reporting's read model, through a compiled report: status, due date, reminders counted once.
  const rows = await compiledReport(stack);
  if (!rows)
    findings.add(
      'lost',
      `reporting: the verification report was not compiled within ${chaos.hangMs / 1_000} s`,
    );
  else {
    const byId = new Map(rows.map((row) => [row.action_id, row]));
    for (const truth of truths) {
      const row = byId.get(truth.id);
      if (!row) {
        findings.add('lost', `reporting: ${truth.id} missing from the read model`);
        continue;
      }
      if (row.status !== reportedStatus(truth.status))
        findings.add(
          'wrong',
          `reporting: ${truth.id} is ${row.status}, the actions API says ${truth.status}`,
        );
      if (row.due_at !== truth.dueAt.toISOString())
        findings.add(
          'wrong',
          `reporting: ${truth.id} due ${row.due_at}, the actions API says ${truth.dueAt.toISOString()}`,
        );
      if (row.institution !== truth.institution)
        findings.add(
          'wrong',
          `reporting: ${truth.id} belongs to ${row.institution}, not ${truth.institution}`,
        );
      const counted = Number(row.reminders_sent);
      let delivered = remindersPerAction.get(truth.id) ?? 0;
      // The report was compiled after the inbox was read: a reminder may have gone out in between.
      if (counted !== delivered) delivered = (await remindersSentNow(stack, truth.id)) ?? delivered;
      if (counted > delivered)
        findings.add(
          'duplicated',
          `reporting: ${counted} reminders counted for ${truth.id}, ${delivered} sent`,
          counted - delivered,
        );
      if (counted < delivered)
        findings.add(
          'lost',
          `reporting: ${counted} reminders counted for ${truth.id}, ${delivered} sent`,
          delivered - counted,
        );
    }
  }

  // 6. Every report requested during the burst was compiled.
  for (const id of burst.reports) {
    const report = await call(stack, 'reporting', 'GET', `/reports/${id}`);
    if (report.body?.status === 'failed') findings.add('wrong', `reporting: report ${id} failed`);
    else if (report.body?.status !== 'ready')
      findings.add('lost', `reporting: report ${id} is still ${report.body?.status ?? report.status}`);
  }
  return findings;
}

/**
 * Polls until notifications and reporting agree with the actions API about every action of the
 * burst, then checks once more after a pause (a late redelivery would show as a duplicate). Gives up
 * when the findings stop changing for `stableMs` or after `timeoutMs`, and returns what is still
 * wrong. `stableMs` outlasts the slowest designed repair: a job a killed worker held is only taken
 * up again once BullMQ's stalled check has seen it twice (2 × 30 s), and reconcilers run every 30 s.
 */
export async function verifyBurst(
  stack: Stack,
  burst: Burst,
  { timeoutMs = 240_000 + chaos.actions * 200, stableMs = 100_000 } = {},
): Promise<Verdict> {
  const started = Date.now();
  let signature = '';
  let changedAt = started;
  for (;;) {
    let findings = await snapshot(stack, burst, false).catch((error: Error) => {
      const failed = new Findings();
      failed.add('lost', `verification could not read a service: ${error.message}`);
      return failed;
    });
    if (findings.problems.length === 0) {
      // Once more after a pause: a late redelivery would show as a duplicate now.
      await sleep(3_000);
      const again = await snapshot(stack, burst, true);
      if (again.problems.length === 0) return again;
      findings = again;
    }
    const current = findings.problems.join('\n');
    if (current !== signature) {
      signature = current;
      changedAt = Date.now();
    }
    if (Date.now() - changedAt > stableMs || Date.now() - started > timeoutMs) {
      return snapshot(stack, burst, true).catch(() => findings);
    }
    await sleep(2_000);
  }
}

/** A verdict as one object, so a failing test shows every count and the first problems at once. */
export function summary(verdict: Verdict, burst: Burst) {
  return {
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    wrong: verdict.wrong,
    requestsThatNeverSucceeded: burst.failures.slice(0, 10),
    problems: verdict.problems.slice(0, 30),
  };
}

export const CLEAN = { lost: 0, duplicated: 0, wrong: 0, requestsThatNeverSucceeded: [], problems: [] };

// -------------------------------------------------------------------------------------- scenario --

export interface FaultScenario {
  family: string;
  fault: string;
  /** Injects the fault once the burst is under way; resolves with the moment the fault ended. */
  inject: (burst: Burst) => Promise<number>;
  /** How recovery is timed (default: a `pipeline` probe). */
  recovery?: ProbeKind | ((burst: Burst, since: number) => Promise<number | null>);
  burst?: Partial<BurstOptions>;
}

export interface FaultOutcome {
  burst: Burst;
  verdict: Verdict;
  recoveryMs: number | null;
}

/** A burst, the fault in the middle of it, the recovery timed from the fault's end, the verdict recorded. */
export async function runFault(stack: Stack, scenario: FaultScenario): Promise<FaultOutcome> {
  const startedAt = Date.now();
  const burst = startBurst(stack, { label: scenario.family, ...scenario.burst });
  let recoveryMs: number | null = null;
  try {
    const since = await scenario.inject(burst);
    const recovery = scenario.recovery ?? 'pipeline';
    // Timed while the rest of the burst still runs.
    const recovering =
      typeof recovery === 'function'
        ? recovery(burst, since)
        : measureRecovery(stack, burst, recovery, since);
    await burst.finished;
    recoveryMs = await recovering;
  } catch (error) {
    await burst.finished.catch(() => undefined);
    throw error;
  }
  const verifyingAt = Date.now();
  const verdict = await verifyBurst(stack, burst);
  process.stdout.write(
    `[chaos] ${scenario.fault}: burst and fault ${formatMs(verifyingAt - startedAt)}, ` +
      `verification ${formatMs(Date.now() - verifyingAt)}\n`,
  );
  recordResult({
    family: scenario.family,
    fault: scenario.fault,
    load: burst.created(),
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    wrong: verdict.wrong,
    recoveryMs,
    notes: [
      ...burst.failures.map((failure) => `request never succeeded: ${failure}`),
      ...verdict.problems,
    ].slice(0, 5),
  });
  return { burst, verdict, recoveryMs };
}

/** The assertions every fault shares: nothing lost, duplicated or wrong, and no hang. */
export function expectRecovered(outcome: FaultOutcome): void {
  expect(summary(outcome.verdict, outcome.burst)).toEqual(CLEAN);
  // Not a timing threshold: null means the probe never got through within CHAOS_HANG_MS.
  expect({ recovered: outcome.recoveryMs !== null }).toEqual({ recovered: true });
}
