import { KafkaBroker, sleep, type Stack } from '@nmirf/testing';
import { chaos, chaosTestTimeoutMs, expectRecovered, runFault, startChaosStack } from './harness';

jest.setTimeout(chaosTestTimeoutMs);

// A private broker (not the shared one, nor the one tests/e2e/broker-outage uses), so stopping it
// disturbs no other test.
const broker = new KafkaBroker({
  name: 'chaos-outage',
  port: Number(process.env.CHAOS_KAFKA_PORT ?? 19192),
  controllerPort: Number(process.env.CHAOS_KAFKA_CONTROLLER_PORT ?? 19193),
});

describe(`Kafka down for ${chaos.kafkaOutageMs / 1_000} s under load`, () => {
  let stack: Stack;

  beforeAll(async () => {
    broker.reset();
    broker.start();
    stack = await startChaosStack('kafka', { kafkaBrokers: broker.brokers });
  });

  afterAll(async () => {
    await stack?.stop();
    broker.reset();
  });

  it('delivers everything written during the outage once the broker is back, once', async () => {
    const outcome = await runFault(stack, {
      family: 'kafka outage',
      fault: `Kafka stopped ${chaos.kafkaOutageMs / 1_000} s`,
      // The burst spans the outage: the APIs keep taking work while events wait in their outboxes.
      burst: { spanMs: chaos.kafkaOutageMs + 5_000 },
      inject: async (burst) => {
        await burst.reached(0.2);
        broker.stop();
        await sleep(chaos.kafkaOutageMs);
        const restartedAt = Date.now();
        broker.start();
        return restartedAt;
      },
    });
    expectRecovered(outcome);
  });
});
