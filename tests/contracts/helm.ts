import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// Real Helm 3.21 through infra/helm/helm.sh (helm-java, offline once Maven has resolved it).

export const repoRoot = join(__dirname, '..', '..');
export const chartDir = join(repoRoot, 'deploy/helm/nmirf');
const helmSh = join(repoRoot, 'infra/helm/helm.sh');

export interface Outcome {
  ok: boolean;
  output: string;
}

/** One JVM for every render: helm.sh batch takes tab-separated commands and answers JSON. */
export function helmBatch(commands: string[][]): Outcome[] {
  const result = spawnSync('bash', [helmSh, 'batch'], {
    input: commands.map((args) => args.join('\t')).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 280_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`infra/helm/helm.sh batch exited ${result.status}:\n${result.stderr.slice(-4000)}`);
  const outcomes = JSON.parse(result.stdout) as Outcome[];
  if (outcomes.length !== commands.length)
    throw new Error(`helm.sh answered ${outcomes.length} results for ${commands.length} commands`);
  return outcomes;
}

/** The manifests of a successful `template`, or an error with Helm's output. */
export function documentsOf<T = Record<string, unknown>>(outcome: Outcome, label: string): T[] {
  if (!outcome.ok) throw new Error(`helm template (${label}) failed:\n${outcome.output}`);
  return parseAllDocuments(outcome.output)
    .map((document) => document.toJS() as T | null)
    .filter((manifest): manifest is T => manifest !== null);
}

/** The settings the chart cannot guess, for renders that are about something else. */
export const requiredInputs = [
  '--set',
  'connections.existingSecret=nmirf-connections',
  '--set',
  'kafka.brokers=kafka-0.kafka:9092,kafka-1.kafka:9092',
  '--set',
  'oidc.issuerUrl=https://id.example.org/realms/nmirf',
];
