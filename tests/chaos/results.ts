import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One fault's outcome: a row of the chaos table. */
export interface ChaosResult {
  family: string;
  fault: string;
  /** Actions created by the burst the fault hit. */
  load: number;
  lost: number;
  duplicated: number;
  /** Present everywhere, but with a state that differs from the actions API (stale due date, status…). */
  wrong: number;
  /** From the fault's end (restart) to the probe being processed; null if it never recovered. */
  recoveryMs: number | null;
  /** The first problems found, for the table's last column. */
  notes: string[];
}

export const chaosDir = resolve(__dirname, '../../tmp/chaos');

/** Set by the chaos project's global setup; every test file of one run appends to the same file. */
function resultsFile(): string {
  const runId = process.env.CHAOS_RUN_ID ?? 'adhoc';
  return join(chaosDir, `results-${runId}.jsonl`);
}

export function recordResult(result: ChaosResult): void {
  mkdirSync(chaosDir, { recursive: true });
  appendFileSync(resultsFile(), `${JSON.stringify(result)}\n`);
  process.stdout.write(`\n[chaos] ${formatLine(result)}\n`);
}

export function readResults(): ChaosResult[] {
  const file = resultsFile();
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ChaosResult);
}

export const formatMs = (ms: number | null): string =>
  ms === null ? 'never' : `${(ms / 1_000).toFixed(1)} s`;

function formatLine(result: ChaosResult): string {
  return (
    `${result.fault}: load ${result.load}, lost ${result.lost}, duplicated ${result.duplicated}, ` +
    `wrong ${result.wrong}, recovery ${formatMs(result.recoveryMs)}` +
    (result.notes.length > 0 ? `\n  ${result.notes.join('\n  ')}` : '')
  );
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table of a run, as Markdown. */
export function resultsTable(results: ChaosResult[]): string {
  const lines = [
    '| fault | load (actions) | lost | duplicated | wrong state | recovery | first problem |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...results.map((result) =>
      [
        '',
        escapeCell(result.fault),
        result.load,
        result.lost,
        result.duplicated,
        result.wrong,
        formatMs(result.recoveryMs),
        escapeCell(result.notes[0] ?? ''),
        '',
      ].join(' | '),
    ),
  ];
  return `${lines.map((line) => line.trim()).join('\n')}\n`;
}

/** Prints the run's table and writes it to tmp/chaos/results.md. */
export function publishResults(): void {
  const results = readResults();
  if (results.length === 0) return;
  const table = resultsTable(results);
  const header =
    `# Chaos run ${process.env.CHAOS_RUN_ID ?? ''}\n\n` +
    `Recovery: from the end of the fault (restart) until a probe went through the pipeline again.\n\n`;
  writeFileSync(join(chaosDir, 'results.md'), `${header}${table}`);
  process.stdout.write(`\nChaos results (also in tmp/chaos/results.md):\n\n${table}\n`);
}
