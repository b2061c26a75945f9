import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { requireInfrastructure, testInfrastructure } from '@nmirf/testing';
import type { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { rateLimit } from './rate-limit';

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return { ok: true };
  }
  @Get('health/live')
  live() {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

describe('rate limits shared through Redis', () => {
  let redis: IORedis;
  const apps: INestApplication[] = [];
  const urls: string[] = [];
  const prefix = `it-rate-${randomUUID()}`;

  beforeAll(async () => {
    await requireInfrastructure('redis');
    redis = new IORedis(testInfrastructure.redisUrl);
    // Two replicas of one API: the limit holds across them.
    for (let i = 0; i < 2; i += 1) {
      const app = await NestFactory.create(PingModule, { logger: false });
      app.use(rateLimit(redis, { perToken: 5, perAddress: 8, windowSeconds: 60, prefix }));
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      urls.push(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    }
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis?.quit();
  });

  const get = (index: number, path: string, token?: string) =>
    fetch(`${urls[index % 2]}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 429 with Retry-After past the per-token limit, counted across replicas', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await get(i, '/ping', 'token-a')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await get(0, '/ping', 'token-a');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { statusCode: number }).statusCode).toBe(429);
  });

  it('also limits one client address whatever tokens it sends, and never counts health probes', async () => {
    // Nine requests so far from this address (seven above, one to read Retry-After, and this one).
    expect((await get(1, '/ping', 'token-b')).status).toBe(429);
    expect((await get(0, '/health/live')).status).toBe(200);
  });
});
