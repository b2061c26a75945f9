import { Socket } from 'node:net';
import { mailInfrastructure } from './mail';

/** Where the test run finds its infrastructure; set by the test script, or by testcontainers. */
export const testInfrastructure = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  oidcIssuer: process.env.OIDC_ISSUER_URL ?? 'http://127.0.0.1:8180/realms/nmirf',
};

function reachable(host: string, port: number, ms = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function hostPort(url: string, defaultPort: number): [string, number] {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
  return [parsed.hostname, Number(parsed.port || defaultPort)];
}

/**
 * Fails (never skips) when something a test needs is not running, naming what is missing and how
 * to start it.
 */
export async function requireInfrastructure(
  ...needs: Array<'postgres' | 'redis' | 'kafka' | 'keycloak' | 'greenmail'>
): Promise<void> {
  const targets = {
    postgres: [hostPort(testInfrastructure.postgresUrl, 5432), 'PostgreSQL', 'TEST_POSTGRES_URL'],
    redis: [hostPort(testInfrastructure.redisUrl, 6379), 'Redis', 'REDIS_URL'],
    keycloak: [hostPort(testInfrastructure.oidcIssuer, 80), 'Keycloak', 'OIDC_ISSUER_URL'],
    kafka: [hostPort(testInfrastructure.kafkaBrokers.split(',')[0], 9092), 'Kafka', 'KAFKA_BROKERS'],
    greenmail: [hostPort(mailInfrastructure.smtpUrl, 25), 'GreenMail (SMTP)', 'TEST_SMTP_URL'],
  } as const;
  const missing: string[] = [];
  for (const need of needs) {
    const [[host, port], name, variable] = targets[need];
    if (!(await reachable(host, port))) missing.push(`${name} at ${host}:${port} (${variable})`);
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing test infrastructure: ${missing.join(', ')}. Run the suite with \`npm test\`, which starts them.`,
    );
  }
}
