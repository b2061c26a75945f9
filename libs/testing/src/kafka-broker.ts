import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './service-process';

export interface KafkaBrokerOptions {
  /** Names the data directory under tmp/. */
  name: string;
  port: number;
  controllerPort: number;
  /** Also a SASL_PLAINTEXT listener here, with this SCRAM user. */
  sasl?: { port: number; username: string; password: string };
}

/**
 * A private single-node broker (infra/kafka/kafka.sh on its own ports and data directory), for a test
 * that stops Kafka without disturbing the shared broker other tests use.
 */
export class KafkaBroker {
  constructor(readonly options: KafkaBrokerOptions) {}

  get brokers(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  get dataDir(): string {
    return join(repoRoot, 'tmp', `kafka-${this.options.name}`);
  }

  /** Returns once the broker answers requests. */
  start(): void {
    this.run('start');
  }

  stop(): void {
    this.run('stop');
  }

  /** Stops the broker and deletes its data: the next start is a fresh cluster. */
  reset(): void {
    this.run('reset');
  }

  private run(command: 'start' | 'stop' | 'reset'): void {
    execFileSync('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), command], {
      env: {
        ...process.env,
        KAFKA_PORT: String(this.options.port),
        KAFKA_CONTROLLER_PORT: String(this.options.controllerPort),
        KAFKA_DATA_DIR: this.dataDir,
        ...(this.options.sasl
          ? {
              KAFKA_SASL_PORT: String(this.options.sasl.port),
              KAFKA_SCRAM_USER: this.options.sasl.username,
              KAFKA_SCRAM_PASSWORD: this.options.sasl.password,
            }
          : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
}
