import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, http, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { platformMigrations } from '../db/platform-migrations';
import { CorrelationMiddleware } from '../http/correlation.middleware';
import { applyHttpConventions } from '../http/create-http-app';
import { sleep } from '../time';

jest.setTimeout(60_000);

const schema = 'idemtest';
let dataSource: DataSource;

@Controller('things')
class ThingsController {
  @Post()
  async create(@Body() body: { name?: string; slow?: boolean }) {
    if (!body.name) throw new (await import('@nestjs/common')).BadRequestException('name is required');
    const id = randomUUID();
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO things (id, name) VALUES ($1, $2)`, [id, body.name]);
      if (body.slow) await sleep(300); // twins overlap inside the transaction
    });
    return { id, name: body.name };
  }
}

@Module({
  controllers: [ThingsController],
  providers: [{ provide: DataSource, useFactory: () => dataSource }],
})
class ThingsModule {}

describe('Idempotency-Key on creating POSTs (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('it_idempotency');
    const options = { url: database.url, schema, entities: [], migrations: platformMigrations };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(`CREATE TABLE things (id uuid PRIMARY KEY, name text NOT NULL)`);
    app = await NestFactory.create(ThingsModule, { logger: false });
    const correlation = new CorrelationMiddleware();
    app.use(correlation.use.bind(correlation));
    applyHttpConventions(app, { dataSource, keepHours: 48 });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/things`.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  const count = async (name: string) =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM things WHERE name = $1`, [name]))[0].n;
  const post = (body: unknown, key?: string) =>
    http('POST', url, body, key ? { 'idempotency-key': key } : {});

  it('replays the first answer to the same key and request, and applies it once', async () => {
    const key = randomUUID();
    const first = await post({ name: 'replayed' }, key);
    const again = await post({ name: 'replayed' }, key);
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(await count('replayed')).toBe(1);
    // Without a key, a retry is a new request.
    await post({ name: 'replayed' });
    expect(await count('replayed')).toBe(2);
  });

  it('refuses the same key with another request with 422, and changes nothing', async () => {
    const key = randomUUID();
    await post({ name: 'original' }, key);
    const other = await post({ name: 'something else' }, key);
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/different request/);
    expect(await count('something else')).toBe(0);
  });

  it('applies concurrent twins once', async () => {
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post({ name: 'twins', slow: true }, key)),
    );
    expect(await count('twins')).toBe(1);
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    // The others were told the first is still answering; once it has, they get its answer.
    for (const answer of answers.filter((answer) => answer.status !== 201)) expect(answer.status).toBe(409);
    expect(await post({ name: 'twins', slow: true }, key)).toEqual(created[0]);
  });

  it('lets a key be used again after its request was refused', async () => {
    const key = randomUUID();
    expect((await post({}, key)).status).toBe(400);
    expect((await post({ name: 'after refusal' }, key)).status).toBe(201);
    expect(await count('after refusal')).toBe(1);
  });

  it('refuses a malformed key', async () => {
    expect((await post({ name: 'bad key' }, 'short')).status).toBe(400);
    expect(await count('bad key')).toBe(0);
  });
});
