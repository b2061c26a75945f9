import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { httpDuration, httpRequests, metricsRegistry } from './metrics';

/** Counts every answer by route template (never the raw path: ids would explode the series). */
export function httpMetrics(request: Request, response: Response, next: NextFunction): void {
  if (request.path === '/metrics') return next();
  const stop = httpDuration.startTimer();
  response.on('finish', () => {
    const template = (request.route as { path?: string } | undefined)?.path;
    const labels = {
      method: request.method,
      route: template ? `${request.baseUrl}${template}` : 'unmatched',
      status: String(response.statusCode),
    };
    stop(labels);
    httpRequests.inc(labels);
  });
  next();
}

function authorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * GET /metrics in Prometheus text format. Open inside the cluster by default (the chart's network
 * policy decides who reaches the port); with METRICS_TOKEN set, only `Authorization: Bearer <token>`.
 */
export function serveMetrics(token: string | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!authorized(request.headers.authorization, token)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
      return;
    }
    const body = await metricsRegistry.metrics();
    response.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

/** A worker's own small HTTP port: /metrics, and /health/live for its probes. */
export async function startMetricsServer(port: number, token: string | undefined): Promise<Server> {
  const metrics = serveMetrics(token);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics') return void metrics(request, response);
    if (path === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.HTTP_HOST ?? '0.0.0.0', () => resolve());
  });
  return server;
}
