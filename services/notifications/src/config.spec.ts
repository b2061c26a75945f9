import { parseConfig } from '@nmirf/platform';
import { alertSettings, notificationsConfigSchema, workerConfigSchema } from './config';

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
});
