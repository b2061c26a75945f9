// When a Docker engine is reachable, the suite runs on throwaway containers instead of the local
// services. Without one (our CI machines) the local PostgreSQL, Redis and Kafka are used.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { log, root } from './lib.mjs';

function dockerReachable() {
  if (process.env.TESTCONTAINERS === 'off') return false;
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return result.status === 0 && result.stdout.trim().length > 0;
}

export async function startContainersIfDockerIsReachable(env) {
  if (!dockerReachable()) {
    log('No Docker engine: using the local PostgreSQL, Redis and Kafka');
    return undefined;
  }
  log('Docker engine found: starting PostgreSQL, Redis and Kafka with testcontainers');
  const { GenericContainer, Wait } = createRequire(join(root, 'package.json'))('testcontainers');
  const postgres = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const redis = await new GenericContainer('redis:7')
    .withCommand(['redis-server', '--maxmemory-policy', 'noeviction', '--save', ''])
    .withExposedPorts(6379)
    .start();
  // Kafka advertises the address clients must use, so it needs a fixed host port.
  const kafkaPort = Number(process.env.TESTCONTAINERS_KAFKA_PORT ?? 29092);
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  env.TEST_POSTGRES_URL = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`;
  env.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  env.KAFKA_BROKERS = `127.0.0.1:${kafkaPort}`;
  return { stop: () => Promise.all([postgres.stop(), redis.stop(), kafka.stop()]) };
}
