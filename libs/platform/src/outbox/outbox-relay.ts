import { Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { sleep } from '../time';
import { eventsPublished } from '../observability/metrics';
import { producerSpan } from '../observability/tracing';

export interface OutboxRelayOptions {
  databaseUrl: string;
  schema: string;
  notifyChannel: string;
  pollMs: number;
  batchSize?: number;
  /** How often a standby tries to take over (a notification wakes it sooner). */
  standbyRetryMs?: number;
  /** Published rows are kept this long for audit, then deleted. */
  retentionHours?: number;
  /** Idempotency keys are kept this long (at least 24 h), then deleted. */
  idempotencyKeyHours?: number;
}

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: Buffer;
  event_id: string;
  event_type: string;
  correlation_id: string;
  traceparent: string | null;
}

/** Kafka refused or timed out a batch: the session and its leadership are still good. */
class PublishError extends Error {}

/**
 * Publishes outbox rows to Kafka in commit order, keyed by aggregate id. One relay per service is
 * active at a time, elected by a PostgreSQL session advisory lock. The leader publishes on the very
 * session that holds the lock, and checks it still holds it before each batch: if the database
 * restarts, the session is gone, the relay steps down, reconnects, competes again and listens again.
 * A row is marked published only after Kafka acknowledged it: a crash in between publishes it again,
 * and consumers drop the duplicate by event id and aggregate sequence. While Kafka is down, rows wait.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private session?: Client;
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
    await this.dropSession();
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
          await this.waitForWork(this.options.standbyRetryMs ?? 2_000);
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
          leader: this.leader,
          retryInMs: delay,
        });
        // Anything but a Kafka refusal may have cost the session, and with it the lock.
        if (!(error instanceof PublishError)) await this.dropSession();
        await this.waitForWork(delay);
      }
    }
  }

  private async connectProducer(): Promise<void> {
    await this.producer.connect();
    this.producerConnected = true;
  }

  private async elect(): Promise<void> {
    const session = this.session ?? (await this.openSession());
    const { rows } = await session.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
      `outbox:${this.options.schema}`,
    ]);
    if (rows[0].locked !== true || session !== this.session) return;
    this.leader = true;
    this.logger.log({ msg: 'outbox relay is active', schema: this.options.schema });
  }

  /** One connection for the lock, LISTEN and publishing: losing it loses all three at once. */
  private async openSession(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: 30_000,
      options: `-c search_path=${this.options.schema},public`,
    });
    const lost = (reason: string) => {
      if (this.session !== client) return;
      if (this.leader) this.logger.warn({ msg: 'outbox relay lost its session; stepping down', reason });
      this.session = undefined;
      this.leader = false;
      this.wake?.();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', () => this.wake?.());
    await client.connect();
    this.session = client;
    await client.query(`LISTEN "${this.options.notifyChannel}"`);
    return client;
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.leader = false;
    await session?.end().catch(() => undefined);
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
    const session = this.session;
    if (!session || !this.leader) return 0;
    await session.query('BEGIN');
    try {
      // Session locks end with the session; this one is held only if ours still is.
      const { rows: held } = await session.query(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                          AND pid = pg_backend_pid()) AS held`,
      );
      if (held[0].held !== true) {
        await session.query('ROLLBACK');
        this.leader = false;
        this.logger.warn({ msg: 'outbox relay no longer holds the lock; stepping down' });
        return 0;
      }
      const { rows } = await session.query<OutboxRow>(
        `SELECT seq, event_id, event_type, topic, message_key, payload, correlation_id, traceparent FROM outbox
          WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) {
        await session.query('COMMIT');
        return 0;
      }
      await this.send(session, rows);
      // Stamped after Kafka acknowledged: now() would be the transaction's start.
      await session.query(
        `UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE seq = ANY($1)`,
        [rows.map((row) => row.seq)],
      );
      await session.query('COMMIT');
      eventsPublished.inc(rows.length);
      return rows.length;
    } catch (error) {
      if (!(error instanceof PublishError)) await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async send(session: Client, rows: OutboxRow[]): Promise<void> {
    const spans = rows.map((row) =>
      producerSpan(`${row.topic} publish`, row.traceparent ?? undefined, {
        'messaging.system': 'kafka',
        'messaging.destination.name': row.topic,
        'messaging.message.id': row.event_id,
        'nmirf.event_type': row.event_type,
      }),
    );
    const byTopic = new Map<string, Array<{ row: OutboxRow; traceparent?: string }>>();
    rows.forEach((row, index) =>
      byTopic.set(row.topic, [
        ...(byTopic.get(row.topic) ?? []),
        { row, traceparent: spans[index].traceparent },
      ]),
    );
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, entries]) => ({
          topic,
          messages: entries.map(({ row, traceparent }) => ({
            key: row.message_key,
            value: row.payload,
            headers: {
              'event-id': row.event_id,
              'event-type': row.event_type,
              'correlation-id': row.correlation_id,
              ...(traceparent ? { traceparent } : {}),
            },
          })),
        })),
      });
      for (const span of spans) span.end();
    } catch (error) {
      for (const span of spans) span.end(error as Error);
      // After the rollback, on the same session: another connection would wait for the rows' locks.
      await session.query('ROLLBACK');
      await session
        .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1)`, [
          rows.map((row) => row.seq),
          (error as Error).message.slice(0, 500),
        ])
        .catch(() => undefined);
      throw new PublishError((error as Error).message);
    }
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3_600_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`,
      [this.options.retentionHours ?? 24 * 7],
    );
    await this.dataSource.query(
      `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`,
      [Math.max(24, this.options.idempotencyKeyHours ?? 48)],
    );
  }
}
