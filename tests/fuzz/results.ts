// Counts of answers by status class, per service and per operation: printed at the end of a run and
// written to tmp/fuzz-results.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'no answer';

export const statusClass = (status: number): StatusClass =>
  status >= 200 && status < 600 ? (`${Math.floor(status / 100)}xx` as StatusClass) : 'no answer';

interface Counts {
  requests: number;
  classes: Partial<Record<StatusClass, number>>;
  statuses: Record<string, number>;
}

const emptyCounts = (): Counts => ({ requests: 0, classes: {}, statuses: {} });

function count(counts: Counts, status: number): void {
  counts.requests += 1;
  const kind = statusClass(status);
  counts.classes[kind] = (counts.classes[kind] ?? 0) + 1;
  counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
}

export class FuzzResults {
  private readonly services: Record<
    string,
    Counts & { operations: Record<string, Counts>; defects: Record<string, Counts>; seconds?: number }
  > = {};
  private readonly started = Date.now();

  constructor(
    readonly seed: number,
    readonly runsPerOperation: number,
  ) {}

  record(service: string, operation: string, defect: string, status: number): void {
    const entry = (this.services[service] ??= { ...emptyCounts(), operations: {}, defects: {} });
    count(entry, status);
    count((entry.operations[operation] ??= emptyCounts()), status);
    // By what was wrong, wherever it was: `not a UUID`, `malformed`…
    const what = defect.slice(defect.indexOf(': ') + 2);
    count((entry.defects[what] ??= emptyCounts()), status);
  }

  finishService(service: string, seconds: number): void {
    if (this.services[service]) this.services[service].seconds = seconds;
  }

  /** One line per service: requests, operations and answers by status class. */
  summary(): string {
    const classes: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'no answer'];
    const lines = Object.entries(this.services).map(([service, entry]) => {
      const byClass = classes.map((kind) => `${kind} ${entry.classes[kind] ?? 0}`).join(', ');
      return `  ${service}: ${entry.requests} requests to ${Object.keys(entry.operations).length} operations in ${
        entry.seconds?.toFixed(0) ?? '?'
      } s: ${byClass}`;
    });
    return `Fuzz results (seed ${this.seed}, ${this.runsPerOperation} bad inputs per operation):\n${lines.join('\n')}\n`;
  }

  /** Writes tmp/fuzz-results.json and returns its path. */
  write(findings: string[]): string {
    const directory = resolve(__dirname, '../../tmp');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'fuzz-results.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          seed: this.seed,
          runsPerOperation: this.runsPerOperation,
          seconds: Math.round((Date.now() - this.started) / 1000),
          services: this.services,
          findings,
        },
        null,
        2,
      )}\n`,
    );
    return file;
  }
}
