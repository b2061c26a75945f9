import { Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { sleep } from '../time';

export interface OutboxRelayOptions {
  databaseUrl: string;
  schema: string;
  notifyChannel: string;
  pollMs: number;
  batchSize?: number;
  /** Published rows are kept this long for audit, then deleted. */
  retentionHours?: number;
}

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: Buffer;
  event_id: string;
  event_type: string;
  correlation_id: string;
}

/**
 * Publishes outbox rows to Kafka in commit order, keyed by aggregate id. One relay per service is
 * active at a time (a PostgreSQL advisory lock elects it), which keeps per-aggregate order across
 * pods. A row is marked published only after Kafka acknowledged it: a crash in between publishes it
 * again, and consumers drop the duplicate by event id. While Kafka is down, rows wait in the table.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener?: Client;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private leader = false;
  private lastCleanup = 0;
  private failures = 0;
  private producerConnected = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after a last attempt to publish what is pending, bounded by `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.leader) {
      await Promise.race([this.drain().catch(() => undefined), sleep(graceMs)]);
    }
    await this.listener?.end().catch(() => undefined);
  }

  /** Publish attempts that failed in a row; 0 after a success. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Unpublished rows: 0 once everything written has reached Kafka. */
  async backlog(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    return row.n;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.producerConnected) await this.connectProducer();
        if (!this.leader) await this.elect();
        if (!this.leader) {
          await this.waitForWork(5_000);
          continue;
        }
        const published = await this.drain();
        this.failures = 0;
        await this.cleanup();
        if (published === 0) await this.waitForWork(this.options.pollMs);
      } catch (error) {
        this.failures += 1;
        const delay = Math.min(200 * 2 ** this.failures, 5_000);
        this.logger.warn({
          msg: 'outbox relay failed; retrying',
          error: (error as Error).message,
          retryInMs: delay,
        });
        if (this.listener && !this.isListenerAlive()) await this.resetListener();
        await this.waitForWork(delay);
      }
    }
  }

  private async connectProducer(): Promise<void> {
    await this.producer.connect();
    this.producerConnected = true;
  }

  private async elect(): Promise<void> {
    if (!this.listener) {
      const client = new Client({ connectionString: this.options.databaseUrl });
      client.on('error', () => undefined);
      client.on('notification', () => this.wake?.());
      await client.connect();
      this.listener = client;
      await client.query(`LISTEN "${this.options.notifyChannel}"`);
    }
    const [row] = (
      await this.listener.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
        `outbox:${this.options.schema}`,
      ])
    ).rows;
    this.leader = row.locked === true;
    if (this.leader) this.logger.log({ msg: 'outbox relay is active', schema: this.options.schema });
  }

  private isListenerAlive(): boolean {
    const client = this.listener as unknown as { _ending?: boolean; _connected?: boolean };
    return Boolean(client?._connected) && !client?._ending;
  }

  private async resetListener(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    this.leader = false;
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Publishes batches until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent === 0) return total;
    }
  }

  private async publishBatch(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: OutboxRow[] = await runner.query(
        `SELECT seq, event_id, event_type, topic, message_key, payload, correlation_id FROM outbox
          WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      try {
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, topicRows]) => ({
            topic,
            messages: topicRows.map((row) => ({
              key: row.message_key,
              value: row.payload,
              headers: {
                'event-id': row.event_id,
                'event-type': row.event_type,
                'correlation-id': row.correlation_id,
              },
            })),
          })),
        });
      } catch (error) {
        await runner.rollbackTransaction();
        await this.recordFailure(rows, error as Error);
        throw error;
      }
      await runner.query(
        `UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1)`,
        [rows.map((row) => row.seq)],
      );
      await runner.commitTransaction();
      return rows.length;
    } finally {
      await runner.release();
    }
  }

  private async recordFailure(rows: OutboxRow[], error: Error): Promise<void> {
    await this.dataSource
      .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1)`, [
        rows.map((row) => row.seq),
        error.message.slice(0, 500),
      ])
      .catch(() => undefined);
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3_600_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`,
      [this.options.retentionHours ?? 24 * 7],
    );
  }
}
