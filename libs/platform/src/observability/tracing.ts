import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Traces with OpenTelemetry: off unless an OTLP endpoint is configured (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). HTTP, NestJS, Express, pg and
 * ioredis are instrumented by the SDK; Kafka and BullMQ by the platform, because the outbox publishes
 * long after the request: the request's context is kept on the outbox row and sent as the message's
 * `traceparent` header, and a job keeps the context that scheduled it and runs as a linked span.
 */
const tracer = trace.getTracer('nmirf-platform');
let stopSdk: (() => Promise<void>) | undefined;

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    env.OTEL_SDK_DISABLED !== 'true' &&
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  );
}

/**
 * Starts the SDK; must run before express, pg and ioredis are loaded, so `@nmirf/platform` calls it
 * first thing when configured. Tests pass their own exporter (e.g. in memory).
 */
export function startTracing(options: { serviceName?: string; exporter?: SpanExporter } = {}): void {
  if (stopSdk) return;
  // Traces only: metrics are Prometheus's (/metrics), logs are the JSON lines on stdout.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } =
    require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? process.env.SERVICE_NAME ?? 'nmirf',
    traceExporter: options.exporter ?? new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would drown the traces people look for.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  stopSdk = () => sdk.shutdown();
}

/** Flushes the spans still buffered; called on shutdown. */
export async function stopTracing(): Promise<void> {
  await stopSdk?.().catch(() => undefined);
  stopSdk = undefined;
}

/** The active context as a W3C `traceparent`, or undefined when there is none (or tracing is off). */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` names (the root context when absent or malformed). */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** The IDs for a log line, when a span is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** The parent: by default the active context. */
  parent?: Context;
  /** Work this span follows from without being part of it, e.g. a job scheduled days earlier. */
  linkTo?: string;
}

/** Runs `work` in a span that ends (with the error, if any) when the work does. */
export function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const links: Link[] = [];
  const linked = options.linkTo ? trace.getSpanContext(contextOf(options.linkTo)) : undefined;
  if (linked) links.push({ context: linked });
  return tracer.startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes, links },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };

/**
 * A PRODUCER span, child of the context that wrote the message, for a message sent later (the
 * outbox relay). Returns the `traceparent` the message carries and a function that ends the span.
 */
export function producerSpan(
  name: string,
  traceparent: string | undefined,
  attributes: Attributes,
): { traceparent: string | undefined; end: (error?: Error) => void } {
  const parent = contextOf(traceparent);
  if (!traceparent || !trace.getSpanContext(parent)) return { traceparent, end: () => undefined };
  const span = tracer.startSpan(name, { kind: SpanKind.PRODUCER, attributes }, parent);
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return {
    traceparent: carrier.traceparent ?? traceparent,
    end: (error) => {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end();
    },
  };
}
