import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { sleep } from '../time';
import { EventConsumerServer, type EventConsumerOptions } from './event-consumer.server';

/** Just what EventConsumerServer calls on a kafkajs consumer, recorded. */
class FakeConsumer extends EventEmitter {
  readonly events = {
    CRASH: 'consumer.crash',
    GROUP_JOIN: 'consumer.group_join',
    REBALANCING: 'consumer.rebalancing',
    STOP: 'consumer.stop',
    DISCONNECT: 'consumer.disconnect',
  };
  readonly calls: string[] = [];
  connect = async () => void this.calls.push('connect');
  subscribe = async () => void this.calls.push('subscribe');
  run = async () => void this.calls.push('run');
  disconnect = async () => void this.calls.push('disconnect');
  crash(restart: boolean) {
    this.emit(this.events.CRASH, {
      payload: { error: new Error('Failed to find group coordinator'), restart },
    });
  }
}

describe('EventConsumerServer after a consumer crash', () => {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer;
    },
    admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
  } as unknown as Kafka;
  const server = new EventConsumerServer({
    kafka,
    groupId: 'restart-spec',
    topics: [],
    maxAttempts: 3,
    retryBaseMs: 10,
  } as unknown as EventConsumerOptions);
  const until = async (done: () => boolean) => {
    for (let waited = 0; !done(); waited += 50) {
      if (waited > 5_000) throw new Error('timed out');
      await sleep(50);
    }
  };

  it('starts a new consumer when kafkajs gives up on one, and leaves kafkajs its own restarts', async () => {
    server.listen(() => undefined);
    await until(() => consumers[0]?.calls.includes('run'));

    consumers[0].crash(false);
    await until(() => consumers[1]?.calls.includes('run'));
    expect(consumers[0].calls).toContain('disconnect');
    expect(consumers[1].calls).toEqual(['connect', 'subscribe', 'run']);

    // kafkajs restarts this one itself: no second consumer of ours beside it.
    consumers[1].crash(true);
    await sleep(1_500);
    expect(consumers).toHaveLength(2);
  });

  it('starts nothing once closing', async () => {
    await server.close();
    expect(consumers[1].calls).toContain('disconnect');
    consumers[1].crash(false);
    await sleep(1_500);
    expect(consumers).toHaveLength(2);
  });
});
