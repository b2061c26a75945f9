import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './wait';

export const repoRoot = resolve(__dirname, '../../..');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcessOptions {
  /** e.g. "notifications-worker" */
  name: string;
  /** Script relative to the repo root, e.g. services/actions/dist/main.js */
  script: string;
  env: Record<string, string>;
  logDir: string;
  /** Port of the HTTP API, if the process has one. */
  port?: number;
  /** A worker's own port for /metrics and /health/live. */
  metricsPort?: number;
}

/** One service process, started from its built output, as in production. */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited?: Promise<ProcessExit>;

  constructor(readonly options: ServiceProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Where Prometheus scrapes this process: the API's port, or a worker's metrics port. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.options.metricsPort ?? this.options.port}/metrics`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  get logFile(): string {
    return join(this.options.logDir, `${this.options.name}.log`);
  }

  start(): void {
    if (this.running) throw new Error(`${this.options.name} is already running`);
    mkdirSync(this.options.logDir, { recursive: true });
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [join(repoRoot, this.options.script)], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...this.options.env,
        ...(this.options.port ? { HTTP_PORT: String(this.options.port) } : {}),
        ...(this.options.metricsPort ? { METRICS_PORT: String(this.options.metricsPort) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
    this.child = child;
  }

  /** A hang guard: eleven processes starting at once on a loaded two-core machine have taken 75 s. */
  async waitReady(timeoutMs = 240_000): Promise<void> {
    if (!this.options.port) return;
    await waitFor(
      `${this.options.name} to be ready (log: ${this.logFile})`,
      async () => {
        if (!this.running) throw new Error(`${this.options.name} exited; see ${this.logFile}`);
        const response = await fetch(`${this.url}/health/ready`);
        return response.status === 200;
      },
      { timeoutMs, intervalMs: 250 },
    );
  }

  /**
   * SIGTERM waits for a graceful shutdown (SIGKILL after `timeoutMs`); SIGKILL simulates a crash.
   * Nest re-raises the signal once its shutdown hooks are done, so a clean stop ends by SIGTERM.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<ProcessExit> {
    if (!this.child || !this.running)
      return { code: this.child?.exitCode ?? null, signal: this.child?.signalCode ?? null };
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const exit = (await this.exited) as ProcessExit;
    clearTimeout(timer);
    this.log?.end();
    return exit;
  }
}

/** Runs a script to completion (e.g. migrations) and fails with its output if it does not exit 0. */
export function runToCompletion(script: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) =>
      code === 0
        ? resolveRun()
        : reject(new Error(`${script} ${args.join(' ')} exited ${code}:\n${output.slice(-3_000)}`)),
    );
  });
}
