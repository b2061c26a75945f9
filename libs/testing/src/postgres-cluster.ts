import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from './service-process';
import { freePort } from './stack';
import { waitFor } from './wait';

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

export interface PostgresClusterOptions {
  /** Names the data directory under tmp/. */
  name: string;
  /** Default: a free port. */
  port?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

// No fsync: the tests crash the server, never the machine, so what reached the OS survives. Commits
// stay synchronous: with synchronous_commit off, `restart -m immediate` would drop acknowledged
// commits still in WAL buffers, a loss the services are right not to expect.
const DEFAULT_SETTINGS: Record<string, string> = {
  fsync: 'off',
  full_page_writes: 'off',
  max_connections: '300',
  shared_buffers: '64MB',
  listen_addresses: '127.0.0.1',
};

/** The directory of initdb and pg_ctl: $PG_BIN, else the newest Debian-packaged PostgreSQL, else PATH. */
function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((entry) => existsSync(join(debian, entry, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(debian, versions[0], 'bin');
  }
  return '';
}

/**
 * A private PostgreSQL server for one test file, which it may stop and restart without disturbing
 * anything else: initdb into tmp/, pg_ctl on a free port, trust authentication for `postgres`.
 * PostgreSQL refuses to run as root, so as root its tools run as the `postgres` user, which owns the
 * data directory.
 */
export class PostgresCluster {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly settings: Record<string, string>,
  ) {}

  /** A URL for the `postgres` database; pass it to `Stack.start({ postgresUrl })`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get logFile(): string {
    return join(this.dataDir, 'server.log');
  }

  static async create(options: PostgresClusterOptions): Promise<PostgresCluster> {
    const port = options.port ?? (await freePort());
    const parent = join(repoRoot, 'tmp', 'postgres');
    const dataDir = join(parent, `${options.name}-${port}`);
    mkdirSync(parent, { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    const cluster = new PostgresCluster(dataDir, port, {
      ...DEFAULT_SETTINGS,
      ...options.settings,
      port: String(port),
      // Its own socket directory: nothing shared with the system cluster.
      unix_socket_directories: dataDir,
    });
    cluster.chownToPostgres();
    cluster.tool('initdb', [
      '--pgdata',
      dataDir,
      '--username',
      'postgres',
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--no-instructions',
    ]);
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    this.pgCtl(['start', '--wait', '--timeout', '60', '--log', this.logFile, '-o', this.serverOptions()]);
    await this.waitAccepting();
  }

  async stop(mode: ShutdownMode = 'fast'): Promise<void> {
    this.pgCtl(['stop', '--wait', '--timeout', '60', '--mode', mode]);
  }

  /** `pg_ctl restart`: every connection is cut, the server comes back on the same port. */
  async restart(mode: ShutdownMode = 'fast'): Promise<void> {
    this.pgCtl([
      'restart',
      '--wait',
      '--timeout',
      '60',
      '--mode',
      mode,
      '--log',
      this.logFile,
      '-o',
      this.serverOptions(),
    ]);
    await this.waitAccepting();
  }

  /** Stops the server (immediately) and deletes its data directory. */
  async destroy(): Promise<void> {
    try {
      this.pgCtl(['stop', '--wait', '--timeout', '30', '--mode', 'immediate']);
    } catch {
      // already stopped
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private serverOptions(): string {
    return Object.entries(this.settings)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
  }

  private async waitAccepting(): Promise<void> {
    await waitFor(
      `PostgreSQL on port ${this.port} to accept connections (log: ${this.logFile})`,
      async () => {
        const client = new Client({ connectionString: this.url });
        await client.connect();
        await client.end();
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  private pgCtl(args: string[]): void {
    this.tool('pg_ctl', ['--pgdata', this.dataDir, ...args]);
  }

  private tool(name: string, args: string[]): void {
    const binDir = postgresBinDir();
    const executable = binDir ? join(binDir, name) : name;
    const asRoot = process.getuid?.() === 0;
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', executable, ...args]]
      : [executable, args];
    try {
      execFileSync(command, commandArgs, { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (error) {
      const failure = error as { stdout?: Buffer; stderr?: Buffer; message: string };
      throw new Error(
        `${name} ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
      );
    }
  }

  private chownToPostgres(): void {
    if (process.getuid?.() !== 0) return;
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(this.dataDir, uid, gid);
  }
}
