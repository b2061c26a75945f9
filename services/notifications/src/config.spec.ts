import { parseConfig } from '@nmirf/platform';
import { randomBytes } from 'node:crypto';
import { alertSettings, notificationsConfigSchema, webhookSettings, workerConfigSchema } from './config';
import { SecretBox } from './webhooks/webhook-secret-box';

const env = {
  SERVICE_NAME: 'notifications',
  OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
  HTTP_PORT: '3003',
  DATABASE_URL: 'postgres://postgres@localhost:5432/nmirf',
  REDIS_URL: 'redis://localhost:6379',
  KAFKA_BROKERS: 'localhost:9092',
};

describe('notifications config', () => {
  it('defaults to reminders 14 and 3 days ahead and on the day, escalation a day late', () => {
    const config = parseConfig(notificationsConfigSchema, env);
    expect(alertSettings(config)).toEqual({
      offsetsSeconds: [1_209_600, 259_200, 0],
      escalateAfterSeconds: 86_400,
      escalationSteps: 3,
      escalationIntervalSeconds: 172_800,
      escalationLadder: ['focal_point', 'institution_validator', 'coordinator'],
      coordinatorInstitution: 'NMIRF Secretariat',
    });
    expect(config.RECONCILE_INTERVAL).toBe(300);
    expect(config.QUEUE_PREFIX).toBe('nmirf');
  });

  it('names a bad variable on one line', () => {
    expect(() => parseConfig(notificationsConfigSchema, { ...env, REMINDER_OFFSETS: '14d,3x' })).toThrow(
      /^Invalid configuration: REMINDER_OFFSETS must look like 14d,3d,0s \(units s, m, h, d\): "3x" is not a duration/,
    );
    expect(() => parseConfig(notificationsConfigSchema, { ...env, ESCALATE_AFTER: '0s' })).toThrow(
      'Invalid configuration: ESCALATE_AFTER must be longer than 0s',
    );
    expect(() =>
      parseConfig(notificationsConfigSchema, { ...env, ESCALATION_LADDER: 'focal_point,minister' }),
    ).toThrow(/^Invalid configuration: ESCALATION_LADDER must list each of focal_point/);
    expect(() =>
      parseConfig(notificationsConfigSchema, { ...env, ESCALATION_LADDER: 'coordinator,coordinator' }),
    ).toThrow(/ESCALATION_LADDER must list each/);
    expect(() => parseConfig(notificationsConfigSchema, { ...env, QUEUE_PREFIX: 'a:b' })).toThrow(
      /QUEUE_PREFIX may contain only/,
    );
  });

  it('needs HTTP_PORT for the API only', () => {
    const { HTTP_PORT: _, ...withoutPort } = env;
    expect(() => parseConfig(notificationsConfigSchema, withoutPort)).toThrow('HTTP_PORT is required');
    expect(parseConfig(workerConfigSchema, withoutPort).HTTP_PORT).toBe(0);
  });

  it('requires WEBHOOK_SECRET_KEY in production, as 32-byte keys, the first sealing', () => {
    const production = { ...env, NODE_ENV: 'production' };
    for (const schema of [notificationsConfigSchema, workerConfigSchema])
      expect(() => parseConfig(schema, production)).toThrow('WEBHOOK_SECRET_KEY is required');
    expect(() =>
      parseConfig(notificationsConfigSchema, { ...production, WEBHOOK_SECRET_KEY: 'c2hvcnQ=' }),
    ).toThrow('WEBHOOK_SECRET_KEY must be comma-separated 32-byte keys');
    const current = randomBytes(32);
    const previous = randomBytes(32);
    const config = parseConfig(notificationsConfigSchema, {
      ...production,
      WEBHOOK_SECRET_KEY: `${current.toString('base64')}, ${previous.toString('hex')}`,
    });
    expect(config.WEBHOOK_SECRET_KEY).toEqual([current, previous]);
    // Sealed under the first, opened with either: a key sealed before the rotation still opens.
    const older = new SecretBox([previous]).seal(Buffer.from('k'.repeat(32)), 'sub-1');
    const box = webhookSettings(config).secrets;
    expect(box.open(older, 'sub-1').toString()).toBe('k'.repeat(32));
    expect(box.sealedWithCurrentKey(older, 'sub-1')).toBe(false);
    expect(box.sealedWithCurrentKey(box.seal(Buffer.alloc(32), 'sub-1'), 'sub-1')).toBe(true);
    // Outside production a development key seals, so nothing is ever stored in clear.
    expect(parseConfig(notificationsConfigSchema, env).WEBHOOK_SECRET_KEY).toBeUndefined();
  });
});
