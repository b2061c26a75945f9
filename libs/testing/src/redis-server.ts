import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { repoRoot } from './service-process';
import { freePort } from './stack';
import { waitFor } from './wait';

/**
 * A private Redis for one test file, which it may flush without touching the shared one that other
 * suites use at the same time: `redis-server` ($REDIS_SERVER, else PATH) on a free port, nothing
 * kept on disk.
 */
export class RedisServer {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(name: string): Promise<RedisServer> {
    const port = await freePort();
    const dir = join(repoRoot, 'tmp', 'redis', `${name}-${port}`);
    mkdirSync(dir, { recursive: true });
    const binary = process.env.REDIS_SERVER ?? 'redis-server';
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const server = new RedisServer(port, child, dir);
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (error) =>
        reject(new Error(`${binary} could not start (${error.message}): install redis-server`)),
      );
      child.once('exit', (code) => reject(new Error(`${binary} exited with ${code} on port ${port}`)));
    });
    await Promise.race([
      exited,
      waitFor(`a private Redis on port ${port}`, async () => {
        const client = new IORedis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          return undefined;
        } finally {
          client.disconnect();
        }
      }),
    ]);
    exited.catch(() => undefined); // after a stop, the exit is expected
    return server;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exit = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exit;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
