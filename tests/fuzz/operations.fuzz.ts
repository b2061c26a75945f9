// Property-based fuzzing of every operation in the services' OpenAPI documents: bad inputs generated
// from each operation's schema (fast-check, fixed seed) must each get a 4xx, never a 5xx nor a 2xx;
// no row may change; every service must still be ready afterwards. README "Fuzzing" has the settings.
import {
  bearer,
  DEMO_USERS,
  demoToken,
  http,
  SERVICES,
  Stack,
  type DemoUser,
  type ServiceName,
} from '@nmirf/testing';
import fc from 'fast-check';
import { badRequests, validRequest, type FuzzCase, type FuzzContext, type WireRequest } from './bad-requests';
import { DEFERRED_REFUSALS } from './conventions';
import { createFixtures, importTemplate, validUploads } from './fixtures';
import { operationsOf, type Operation } from './openapi';
import { FuzzResults, statusClass } from './results';
import { Sender, type Answer } from './sender';
import { TableChecksums } from './table-checksums';
import { brokenUploads } from './upload-files';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** Requests in flight per service; the four services are fuzzed side by side. */
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
/** Only operations whose `service METHOD /path` matches, to replay one. */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
/** Findings shown per operation; all are counted and written to the results file. */
const SHOWN = 5;
/** Answers that say the request was refused before the operation ran. */
const REFUSED = new Set([400, 401, 403, 413, 415, 431]);

// A hang guard, not a timing: each service's test waits for the whole of its fuzzing, which on a
// loaded two-core machine has taken 21 minutes for 1,000 inputs per operation.
jest.setTimeout(Math.max(2_700_000, RUNS * 2_700));

/** Each operation's own seed: adding an operation leaves the others' cases as they were. */
function operationSeed(name: string): number {
  let hash = 0x811c9dc5;
  for (const character of name) hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193);
  return (SEED ^ hash) >>> 0;
}

const clip = (text: string, length = 200) =>
  text.length > length ? `${text.slice(0, length)}… (${text.length})` : text;

function describeRequest(request: WireRequest): string {
  const body = request.body ? ` body ${JSON.stringify(clip(request.body.toString('latin1')))}` : '';
  const headers = Object.entries(request.headers)
    // The caller's real token says nothing about the case.
    .filter(
      ([name, value]) => name !== 'authorization' || !/^Bearer ey[\w-]{20,}\.[\w-]+\.[\w-]{20,}$/.test(value),
    )
    .map(([name, value]) => `${name}: ${clip(value, 80)}`)
    .join('; ');
  return `${request.method} ${clip(request.target)}${headers ? ` [${headers}]` : ''}${body}`;
}

function finding(
  service: string,
  operation: Operation,
  index: number,
  fuzzCase: FuzzCase,
  answer: Answer,
): string {
  const what =
    answer.status === 0
      ? `no answer (${answer.error})`
      : answer.status >= 500
        ? `${answer.status}`
        : `${answer.status}: a bad input was accepted`;
  return (
    `${service} ${operation.name} case #${index} (${fuzzCase.defect}) → ${what}\n` +
    `    request: ${describeRequest(fuzzCase.build())}\n    answer: ${clip(answer.body, 300)}`
  );
}

describe('fuzzing every operation of the OpenAPI documents', () => {
  let stack: Stack;
  let checksums: TableChecksums;
  let context: Omit<FuzzContext, 'token'>;
  const operations = new Map<ServiceName, Operation[]>();
  /** Who calls each operation: the coordinator, or the first demo user it lets in. */
  const callers = new Map<string, DemoUser>();
  const results = new FuzzResults(SEED, RUNS);
  const findings: string[] = [];
  let runs: Map<ServiceName, Promise<string[]>>;

  beforeAll(async () => {
    // Warnings and errors only: a log line per refused request would cost more than the request.
    stack = await Stack.start({ name: 'fuzz', env: { LOG_LEVEL: 'warn' } });
    for (const service of SERVICES) {
      const document = await http('GET', `${stack.url(service)}/docs/openapi.json`, undefined, bearer());
      if (document.status !== 200)
        throw new Error(`${service}: GET /docs/openapi.json answered ${document.status}`);
      operations.set(
        service,
        operationsOf(document.body).filter((operation) => !ONLY || ONLY.test(`${service} ${operation.name}`)),
      );
    }
    const template = await importTemplate(stack);
    const ids = await createFixtures(stack, template);
    context = {
      ids,
      uploads: validUploads(template),
      brokenUploads: await brokenUploads(template.bytes.toString('utf8')),
    };
    checksums = await TableChecksums.connect(stack.database.url);
  });

  afterAll(async () => {
    await Promise.allSettled(runs?.values() ?? []);
    const file = results.write(findings);
    process.stdout.write(`\n${results.summary()}Written to ${file}\n`);
    await checksums?.close();
    await stack?.stop();
  });

  it('finds the operations of every service in its OpenAPI document', () => {
    const counts = SERVICES.map((service) => `${service} ${operations.get(service)?.length ?? 0}`);
    const total = [...operations.values()].reduce((sum, list) => sum + list.length, 0);
    process.stdout.write(
      `fuzzing ${total} operations (${counts.join(', ')}), ${RUNS} bad inputs each, seed ${SEED}\n`,
    );
    if (!ONLY) for (const service of SERVICES) expect(operations.get(service)?.length).toBeGreaterThan(2);
    expect(total).toBeGreaterThan(0);
  });

  it('accepts the valid request that each bad one is made from, from a caller it lets in', async () => {
    // Each bad request is this one with one thing broken: were this one refused, a refusal would
    // prove nothing. Unknown ids make the by-id operations answer 404 rather than change fixtures.
    const users: DemoUser[] = ['coordinator', ...DEMO_USERS.filter((user) => user !== 'coordinator')];
    const refused: string[] = [];
    for (const service of SERVICES) {
      const sender = new Sender(stack.url(service), 1);
      for (const operation of operations.get(service) ?? []) {
        let last = '';
        for (const user of users) {
          const [request] = fc.sample(validRequest(operation, { ...context, token: await demoToken(user) }), {
            numRuns: 1,
            seed: operationSeed(operation.name),
          });
          const answer = await sender.send(request);
          last = `${answer.status} ${clip(answer.body, 300)}\n    ${describeRequest(request)}`;
          if (answer.status === 401 || answer.status === 403) continue;
          callers.set(operation.name, user);
          if (answer.status === 0 || answer.status >= 500 || REFUSED.has(answer.status))
            refused.push(`${service} ${operation.name} as ${user}: ${last}`);
          break;
        }
        if (!callers.has(operation.name))
          refused.push(`${service} ${operation.name}, no demo user let in: ${last}`);
      }
      sender.close();
    }
    expect(refused).toEqual([]);
  });

  /** Fuzzes every operation of one service; returns what went wrong. */
  async function fuzzService(service: ServiceName): Promise<string[]> {
    const started = Date.now();
    const sender = new Sender(stack.url(service), CONCURRENCY);
    const problems: string[] = [];
    // The service's own schema: its rows are what its operations could write.
    let current = await checksums.take(service);
    try {
      for (const operation of operations.get(service) ?? []) {
        const caller = callers.get(operation.name) ?? 'coordinator';
        const cases = fc.sample(badRequests(operation, { ...context, token: await demoToken(caller) }), {
          numRuns: RUNS,
          seed: operationSeed(operation.name),
        });
        // Every input the operation declares is among those broken.
        const inputs = operation.body?.schema.properties ?? {};
        const declared = [
          ...operation.parameters.map((parameter) => `${parameter.in}.${parameter.name}`),
          ...Object.keys(inputs).map(
            (name) => `${operation.body?.mediaType === 'application/json' ? 'body' : 'upload'}.${name}`,
          ),
        ];
        const untouched = declared.filter(
          (input) => !cases.some((fuzzCase) => fuzzCase.defect.startsWith(`${input}:`)),
        );
        if (cases.length < RUNS || untouched.length > 0) {
          problems.push(
            `${operation.name}: ${cases.length} cases, never broken: ${untouched.join(', ') || '-'}`,
          );
          continue;
        }
        const answers = await sender.sendAll(
          cases.map((fuzzCase) => fuzzCase.build),
          CONCURRENCY,
        );
        // Work accepted for a worker is refused when the worker has read it: wait for its end.
        const deferred = DEFERRED_REFUSALS[operation.name];
        if (deferred) {
          for (const answer of answers) {
            if (answer.status !== 202) continue;
            const id = /"id":"([0-9a-f-]{36})"/.exec(answer.body)?.[1];
            if (id) answer.status = await deferred(stack.url(service), id);
          }
        }
        const wrong: string[] = [];
        answers.forEach((answer, index) => {
          results.record(service, operation.name, cases[index].defect, answer.status);
          if (statusClass(answer.status) !== '4xx')
            wrong.push(finding(service, operation, index, cases[index], answer));
        });
        if (wrong.length > 0) {
          findings.push(...wrong);
          const shown = wrong.slice(0, SHOWN).join('\n  ');
          problems.push(
            `${operation.name} as ${caller}: ${wrong.length} of ${cases.length} bad inputs not refused with a 4xx\n  ${shown}`,
          );
        }
        const after = await checksums.take(service);
        const changed = TableChecksums.changed(current, after);
        if (changed.length > 0) {
          const message = `${operation.name}: rows changed by refused requests: ${changed.join('; ')}`;
          findings.push(`${service} ${message}`);
          problems.push(message);
        }
        current = after;
      }
      for (const probe of ['/health/live', '/health/ready']) {
        const health = await http('GET', `${stack.url(service)}${probe}`, undefined, bearer());
        if (health.status !== 200 || health.body?.status !== 'ok')
          problems.push(`GET ${probe} after fuzzing: ${health.status} ${JSON.stringify(health.body)}`);
      }
    } finally {
      sender.close();
      results.finishService(service, (Date.now() - started) / 1000);
    }
    if (problems.length > 0)
      problems.push(`Replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_ONLY='^${service} ' npm run fuzz`);
    return problems;
  }

  it.each(SERVICES)(
    '%s refuses every bad input with a 4xx, changes no row and stays ready',
    async (service) => {
      // The four services are fuzzed side by side (each its own process and schema); the first of
      // these tests starts them all once the fixtures' events have settled.
      if (!runs) {
        await checksums.settle();
        runs = new Map(SERVICES.map((name) => [name, fuzzService(name)]));
      }
      expect(await runs.get(service)).toEqual([]);
    },
  );
});
