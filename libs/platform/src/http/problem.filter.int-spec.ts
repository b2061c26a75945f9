import { Controller, Get, Inject, INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestDatabase, requireInfrastructure, waitFor, type TestDatabase } from '@nmirf/testing';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { applyHttpConventions } from './create-http-app';

jest.setTimeout(30_000);

@Controller('probe')
class ProbeController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('tables')
  async tables(): Promise<{ tables: number }> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS tables FROM pg_class`);
    return row;
  }

  @Get('slow')
  async slow(): Promise<unknown> {
    return this.dataSource.query(`SELECT pg_sleep(20) AS slept`);
  }
}

/** Stands between the app and PostgreSQL, so a test can pull the plug without stopping the server. */
async function tcpProxy(
  target: URL,
): Promise<{ url: string; cut: () => void; restore: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const via = new URL(target);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  return {
    url: via.toString(),
    cut: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

describe('HTTP answers 503 with Retry-After while PostgreSQL is unavailable (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;
  let app: INestApplication | undefined;
  let proxy: Awaited<ReturnType<typeof tcpProxy>> | undefined;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('it_problem');
  });

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await app?.close();
    await dataSource?.destroy().catch(() => undefined);
    proxy?.cut();
    proxy = undefined;
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function startApi(databaseUrl: string): Promise<string> {
    dataSource = await new DataSource({
      type: 'postgres',
      url: databaseUrl,
      extra: { max: 2, connectionTimeoutMillis: 2_000 },
    }).initialize();
    const module = await Test.createTestingModule({
      controllers: [ProbeController],
      providers: [{ provide: DataSource, useValue: dataSource }],
    }).compile();
    app = module.createNestApplication({ logger: false });
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  async function get(url: string) {
    const response = await fetch(url, { headers: { 'x-correlation-id': 'outage-test' } });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.json(),
    };
  }

  const unavailable = {
    status: 503,
    retryAfter: '5',
    body: {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'PostgreSQL is unavailable; retry later',
    },
  };

  it('answers a query cut off by a database restart (its connection terminated) with 503', async () => {
    const base = await startApi(database.url);
    const answer = get(`${base}/probe/slow`);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      // What a restart or a failover does to every open connection.
      await waitFor('the slow query to run', async () => {
        const { rows } = await admin.query(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(20)%'`,
          [database.name],
        );
        return rows.length > 0;
      });
    } finally {
      await admin.end();
    }

    expect(await answer).toMatchObject(unavailable);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ dependency: 'PostgreSQL' }));
  });

  it('answers with 503 while PostgreSQL cannot be reached, and normally once it answers again', async () => {
    proxy = await tcpProxy(new URL(database.url));
    const base = await startApi(proxy.url);
    expect((await get(`${base}/probe/tables`)).status).toBe(200);

    proxy.cut();

    expect(await get(`${base}/probe/tables`)).toMatchObject(unavailable);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ dependency: 'PostgreSQL' }));

    await proxy.restore();
    expect(await get(`${base}/probe/tables`)).toMatchObject({ status: 200, retryAfter: null });
  });
});
