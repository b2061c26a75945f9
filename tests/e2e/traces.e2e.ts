// One request, one trace: POST /actions in the actions service, through its outbox and Kafka, to the
// notifications consumer and its database writes; the reminder job that fires later is a new trace
// linked to it. The services export by OTLP/HTTP (JSON) to a collector this test runs.
import { freePort, http, Stack, waitFor } from '@nmirf/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRecommendation, MINISTRY } from './helpers';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  links: Array<{ traceId: string; spanId: string }>;
}

const SPAN_KIND = { server: 2, producer: 4, consumer: 5 };

/** Just enough of an OTLP/HTTP collector: keeps every span posted to /v1/traces. */
function collector(spans: ExportedSpan[]): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces') return void response.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource.attributes.find(
          (attribute: { key: string }) => attribute.key === 'service.name',
        )?.value.stringValue;
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? []) spans.push({ service, links: [], parentSpanId: '', ...span });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

describe('traces across the services', () => {
  let stack: Stack;
  let server: Server;
  const spans: ExportedSpan[] = [];

  beforeAll(async () => {
    server = collector(spans);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    stack = await Stack.start({
      name: 'traces',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        // A reminder on the due day only, so the test sees it fire.
        REMINDER_OFFSETS: '0s',
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    server?.close();
  });

  it('follows POST /actions to the notifications consumer, and links the reminder job to it', async () => {
    const recommendationId = await createRecommendation(stack);
    const traceId = randomBytes(16).toString('hex');
    const caller = randomBytes(8).toString('hex');
    const created = await waitFor('the action to be created', async () => {
      const response = await http(
        'POST',
        `${stack.url('actions')}/actions`,
        {
          recommendationId,
          title: 'Train prison staff on the Istanbul Protocol',
          institution: MINISTRY,
          dueDate: new Date(Date.now() + 6_000).toISOString(),
        },
        { traceparent: `00-${traceId}-${caller}-01` },
      );
      if (response.status === 422) return undefined;
      expect(response.status).toBe(201);
      return response.body as { id: string };
    });

    const trace = () => spans.filter((span) => span.traceId === traceId);
    const byId = () => new Map(trace().map((span) => [span.spanId, span]));
    const consumed = await waitFor('the notifications consumer span in the request’s trace', async () =>
      trace().find(
        (span) =>
          span.service === 'notifications' &&
          span.kind === SPAN_KIND.consumer &&
          /^Action\w+ process$/.test(span.name),
      ),
    );
    // Its chain of parents reaches the request: consumer ← publish (actions' relay) ← … ← POST /actions.
    // Each service exports its spans in its own batches, so the consumer's may arrive before its parents.
    const chainFrom = (start: ExportedSpan) => {
      const ids = byId();
      const found: ExportedSpan[] = [];
      for (let span: ExportedSpan | undefined = start; span; span = ids.get(span.parentSpanId))
        found.push(span);
      return found;
    };
    const chain = await waitFor('the spans from the consumer back to the request', async () => {
      const found = chainFrom(consumed);
      const last = found[found.length - 1];
      return last.service === 'actions' && last.kind === SPAN_KIND.server ? found : undefined;
    });
    const root = chain[chain.length - 1];
    expect(root).toMatchObject({ service: 'actions', kind: SPAN_KIND.server, parentSpanId: caller });
    expect(chain).toContainEqual(
      expect.objectContaining({
        service: 'actions',
        kind: SPAN_KIND.producer,
        name: expect.stringMatching(/ publish$/),
      }),
    );
    // The handler's database work is inside the consumer span.
    await waitFor('the consumer’s pg spans', async () =>
      trace().some((span) => span.service === 'notifications' && span.parentSpanId === consumed.spanId)
        ? true
        : undefined,
    );
    // Reporting consumes the same events: its spans join the trace too.
    expect([...new Set(trace().map((span) => span.service))]).toEqual(
      expect.arrayContaining(['actions', 'notifications']),
    );

    // Seconds later the reminder fires in the worker: a trace of its own, linked to the request's.
    const job = await waitFor(
      'the reminder job span linked to the request',
      async () =>
        spans.find(
          (span) =>
            span.service === 'notifications' &&
            span.traceId !== traceId &&
            span.links.some((link) => link.traceId === traceId),
        ),
      { timeoutMs: 60_000 },
    );
    expect(job.kind).toBe(SPAN_KIND.consumer);

    // Log lines carry the trace id: the request's in actions, the job's in the worker.
    const logged = (process: 'actions' | 'notifications-worker', id: string) =>
      readFileSync(stack.process(process).logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes(`"traceId":"${id}"`));
    expect(logged('actions', traceId).length).toBeGreaterThan(0);
    expect(logged('notifications-worker', job.traceId).length).toBeGreaterThan(0);
    process.stdout.write(
      `trace ${traceId}: ${trace().length} spans (${chain.length} from the consumer up to the request), reminder job linked (${created.id})\n`,
    );
  });
});
