import type { EntityManager } from 'typeorm';

/** One aggregate's stream of events as one consumer sees it. */
export interface AggregateStream {
  consumer: string;
  topic: string;
  aggregateId: string;
}

/** Where an event stands against what the consumer already applied for its aggregate. */
export type SequencePlace = 'next' | 'stale' | 'ahead';

/**
 * Per-aggregate ordering at the consumer, in the caller's transaction. The position row is locked
 * first, so two deliveries of one aggregate's events (after a rebalance, or from a parked event)
 * decide one after the other.
 */
export const aggregateOrder = {
  async place(manager: EntityManager, stream: AggregateStream, sequence: bigint): Promise<SequencePlace> {
    const [row] = await manager.query(
      `SELECT last_sequence FROM consumer_position
        WHERE consumer = $1 AND topic = $2 AND aggregate_id = $3 FOR UPDATE`,
      [stream.consumer, stream.topic, stream.aggregateId],
    );
    const last = row ? BigInt(row.last_sequence) : 0n;
    if (sequence <= last) return 'stale';
    if (sequence === last + 1n) return 'next';
    // Dead-lettered events keep their place, so what follows them is not held back for ever.
    const [filled] = await manager.query(
      `SELECT count(*)::int AS n FROM dead_lettered_sequence
        WHERE consumer = $1 AND topic = $2 AND aggregate_id = $3
          AND aggregate_sequence > $4 AND aggregate_sequence < $5`,
      [stream.consumer, stream.topic, stream.aggregateId, String(last), String(sequence)],
    );
    return BigInt(filled.n) === sequence - last - 1n ? 'next' : 'ahead';
  },

  async advance(manager: EntityManager, stream: AggregateStream, sequence: bigint): Promise<void> {
    await manager.query(
      `INSERT INTO consumer_position (consumer, topic, aggregate_id, last_sequence) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, aggregate_id)
       DO UPDATE SET last_sequence = GREATEST(consumer_position.last_sequence, EXCLUDED.last_sequence),
                     updated_at = now()`,
      [stream.consumer, stream.topic, stream.aggregateId, String(sequence)],
    );
  },

  async park(
    manager: EntityManager,
    stream: AggregateStream,
    event: {
      sequence: bigint;
      eventId: string;
      key: string | null;
      bytes: Buffer;
      partition: number;
      offset: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO parked_event (consumer, topic, aggregate_id, aggregate_sequence, event_id, message_key,
                                 payload, kafka_partition, kafka_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        stream.consumer,
        stream.topic,
        stream.aggregateId,
        String(event.sequence),
        event.eventId,
        event.key,
        event.bytes,
        event.partition,
        event.offset,
      ],
    );
  },

  async markDeadLettered(
    manager: EntityManager,
    stream: AggregateStream,
    sequence: bigint,
    eventId: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO dead_lettered_sequence (consumer, topic, aggregate_id, aggregate_sequence, event_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [stream.consumer, stream.topic, stream.aggregateId, String(sequence), eventId],
    );
  },

  /** Removes and returns the parked event with this sequence, if this transaction gets to it first. */
  async unpark(
    manager: EntityManager,
    stream: AggregateStream,
    sequence: bigint,
  ): Promise<ParkedEvent | undefined> {
    // TypeORM answers a DELETE with [rows, count].
    const [[row]] = await manager.query(
      `DELETE FROM parked_event
        WHERE consumer = $1 AND topic = $2 AND aggregate_id = $3 AND aggregate_sequence = $4
        RETURNING aggregate_sequence, message_key, payload, kafka_partition, kafka_offset`,
      [stream.consumer, stream.topic, stream.aggregateId, String(sequence)],
    );
    return row ? toParked(stream, row) : undefined;
  },

  /** The aggregate's parked event with the lowest sequence, and how many are parked. */
  async firstParked(
    manager: EntityManager,
    stream: AggregateStream,
  ): Promise<{ first?: ParkedEvent; count: number }> {
    const rows = await manager.query(
      `SELECT aggregate_sequence, message_key, payload, kafka_partition, kafka_offset,
              count(*) OVER ()::int AS parked
         FROM parked_event WHERE consumer = $1 AND topic = $2 AND aggregate_id = $3
        ORDER BY aggregate_sequence LIMIT 1`,
      [stream.consumer, stream.topic, stream.aggregateId],
    );
    return rows[0] ? { first: toParked(stream, rows[0]), count: rows[0].parked } : { count: 0 };
  },

  /** The lowest parked sequence of each aggregate whose events have waited longer than `olderThanMs`. */
  async overdue(manager: EntityManager, consumer: string, olderThanMs: number): Promise<ParkedEvent[]> {
    const rows = await manager.query(
      `SELECT DISTINCT ON (topic, aggregate_id) topic, aggregate_id, aggregate_sequence, message_key, payload,
              kafka_partition, kafka_offset
         FROM parked_event
        WHERE consumer = $1
          AND (topic, aggregate_id) IN (SELECT topic, aggregate_id FROM parked_event
                                         WHERE consumer = $1 AND parked_at < now() - make_interval(secs => $2))
        ORDER BY topic, aggregate_id, aggregate_sequence
        LIMIT 100`,
      [consumer, olderThanMs / 1_000],
    );
    return rows.map((row: ParkedRow & { topic: string; aggregate_id: string }) =>
      toParked({ consumer, topic: row.topic, aggregateId: row.aggregate_id }, row),
    );
  },
};

interface ParkedRow {
  aggregate_sequence: string;
  message_key: string | null;
  payload: Buffer;
  kafka_partition: number;
  kafka_offset: string;
}

export interface ParkedEvent {
  stream: AggregateStream;
  sequence: bigint;
  key: string | null;
  bytes: Buffer;
  partition: number;
  offset: string;
}

function toParked(stream: AggregateStream, row: ParkedRow): ParkedEvent {
  return {
    stream,
    sequence: BigInt(row.aggregate_sequence),
    key: row.message_key,
    bytes: row.payload,
    partition: row.kafka_partition,
    offset: String(row.kafka_offset),
  };
}
