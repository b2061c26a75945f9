import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { repairsIn } from './metrics';
import { startMetricsServer } from './metrics-http';

describe("a worker's metrics port", () => {
  let server: Server;
  let base: string;

  afterEach(() => new Promise((resolve) => server.close(resolve)));

  async function start(token?: string) {
    server = await startMetricsServer(0, token);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves the Prometheus text format and answers the liveness probe', async () => {
    await start();
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toContain('# TYPE nmirf_http_requests_total counter');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('with METRICS_TOKEN, answers only that bearer token', async () => {
    await start('a-long-enough-scrape-token');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = { authorization: 'Bearer a-long-enough-scrape-tokeN' };
    expect((await fetch(`${base}/metrics`, { headers: wrong })).status).toBe(401);
    const right = { authorization: 'Bearer a-long-enough-scrape-token' };
    expect((await fetch(`${base}/metrics`, { headers: right })).status).toBe(200);
    expect((await fetch(`${base}/health/live`)).status).toBe(200); // probes carry no token
  });
});

describe('repairsIn', () => {
  it("reads a reconciler's result: a count, or what it added, replaced and removed", () => {
    expect(repairsIn(3)).toBe(3);
    expect(repairsIn({ openDeadlines: 40, added: 2, replaced: 1, removed: 4, failed: 9 })).toBe(7);
    expect(repairsIn(undefined)).toBe(0);
    expect(repairsIn({ openDeadlines: 5 })).toBe(0);
  });
});
