import { platformEnvSchema, workerHttpPort } from '@nmirf/platform';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration, parseDurationList } from './reminders/durations';
import { DEVELOPMENT_SECRET_KEY, parseSecretKeys, SecretBox } from './webhooks/webhook-secret-box';
import type { WebhookSettings } from './webhooks/webhook-settings';
import type { HorizonSettings } from './reminders/horizon-settings';
import { ESCALATION_RUNGS, type AlertSettings, type EscalationRung } from './reminders/alert-settings';

function durationSetting<T>(parse: (text: string) => T, example: string) {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must look like ${example} (units s, m, h, d): ${(error as Error).message}`,
      });
      return z.NEVER;
    }
  });
}

const positiveDuration = (example: string) =>
  durationSetting(parseDuration, example).refine((seconds) => seconds > 0, 'must be longer than 0s');

const notificationsEnv = platformEnvSchema.extend({
  /** Reminders before each due date, e.g. 14 days, 3 days and on the day. */
  REMINDER_OFFSETS: durationSetting(parseDurationList, '14d,3d,0s').default('14d,3d,0s'),
  /** How long after the due date an open action takes the first step of the escalation ladder. */
  ESCALATE_AFTER: positiveDuration('1d').default('1d'),
  /** Time between two steps of the escalation ladder. */
  ESCALATION_INTERVAL: positiveDuration('2d').default('2d'),
  /**
   * Who is told at each step, in order, from focal_point, institution_validator and coordinator;
   * the coordinator's step comes after the others have had their turn.
   */
  ESCALATION_LADDER: z
    .string()
    .default('focal_point,institution_validator,coordinator')
    .transform((text, ctx) => {
      const rungs = text.split(',').map((rung) => rung.trim());
      const unknown = rungs.filter((rung) => !(ESCALATION_RUNGS as readonly string[]).includes(rung));
      if (unknown.length > 0 || new Set(rungs).size !== rungs.length) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must list each of ${ESCALATION_RUNGS.join(', ')} at most once, comma-separated`,
        });
        return z.NEVER;
      }
      return rungs as EscalationRung[];
    }),
  /**
   * How often the horizon pass runs: it moves the reminders due within REMINDER_HORIZON from
   * PostgreSQL into Redis and repairs what Redis lost. Keep it well below REMINDER_HORIZON.
   */
  RECONCILE_INTERVAL: positiveDuration('5m').default('5m'),
  /** Reminders and escalations due within this are in Redis; later ones wait in PostgreSQL. */
  REMINDER_HORIZON: positiveDuration('6h').default('6h'),
  /**
   * How long after its moment an unsent on-the-day reminder or escalation is still sent (after a
   * worker outage); older ones are no longer read by the horizon pass.
   */
  REMINDER_CATCH_UP: positiveDuration('3d').default('3d'),
  /**
   * Reminder and escalation jobs one worker runs at once, per queue. Each holds a database
   * connection while it runs (the pool has 10): a burst of reminders due in the same minute drains
   * faster with more.
   */
  REMINDER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
  /** The inbox that receives every overdue escalation. */
  COORDINATOR_INSTITUTION: z.string().trim().min(1).max(200).default('NMIRF Secretariat'),
  /** The SMTP server mails leave through, e.g. smtp://user:pass@mail.example:587; unset: no mail is sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender of every mail. */
  MAIL_FROM: z.string().trim().min(3).max(320).default('NMIRF <no-reply@nmirf.invalid>'),
  /** The web application the links in mails open. */
  WEB_APP_URL: z
    .string()
    .url('must be an absolute URL')
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:5173'),
  /** How often the worker's pass queues every pending mail (they wait in PostgreSQL), lost or stranded ones included. */
  MAIL_DISPATCH_INTERVAL: positiveDuration('2s').default('2s'),
  /** Attempts at a mail the SMTP server defers (4xx) or that cannot reach it; a 5xx refusal is final at once. */
  MAIL_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** The wait before the first retry of a mail; each next wait doubles. */
  MAIL_RETRY_DELAY: positiveDuration('5s').default('5s'),
  /** The local hour (in each reader's time zone) daily and weekly (Monday) digests leave at. */
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /**
   * Host names webhooks may be sent to although they resolve to loopback or private addresses,
   * comma-separated (e.g. an integration inside the government network). Empty: public hosts only.
   */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Networks webhooks may be sent to although private, comma-separated CIDRs, e.g. 10.20.0.0/16. */
  WEBHOOK_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((cidr) => cidr.trim())
        .filter(Boolean),
    )
    .refine(
      (cidrs) =>
        cidrs.every((cidr) => /^[0-9a-f.:]+\/\d{1,3}$/i.test(cidr) && isIP(cidr.split('/')[0]) !== 0),
      'must be comma-separated CIDRs such as 10.20.0.0/16',
    ),
  /** The wait before a failed webhook's first retry; each next wait doubles. */
  WEBHOOK_RETRY_DELAY: positiveDuration('30s').default('30s'),
  /** How long a webhook is retried; after that its subscription is disabled and the secretariat told. */
  WEBHOOK_RETRY_FOR: positiveDuration('24h').default('24h'),
  /** How long the secret before a rotation keeps signing webhooks beside the new one. */
  WEBHOOK_SECRET_GRACE: positiveDuration('24h').default('24h'),
  /** How long a webhook receiver has to answer. */
  WEBHOOK_TIMEOUT: positiveDuration('10s').default('10s'),
  /**
   * The keys that seal webhook signing secrets at rest (AES-256-GCM): 32 bytes each, in base64 or
   * hex, comma-separated; the first seals, every one opens, so a new key goes first and the old one
   * stays until the processes have restarted once. Required in production; elsewhere a fixed
   * development key is used.
   */
  WEBHOOK_SECRET_KEY: z
    .string()
    .optional()
    .transform((text) => (text?.trim() ? parseSecretKeys(text) : undefined))
    .refine(
      (keys) => keys === undefined || (keys.length > 0 && keys.every((key) => key.length === 32)),
      'must be comma-separated 32-byte keys in base64 or hex (e.g. openssl rand -base64 32)',
    ),
});

function requireSecretKeyInProduction(
  config: { NODE_ENV: string; WEBHOOK_SECRET_KEY?: Buffer[] },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV === 'production' && !config.WEBHOOK_SECRET_KEY)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['WEBHOOK_SECRET_KEY'],
      message: 'is required in production (e.g. openssl rand -base64 32)',
    });
}

export const notificationsConfigSchema = notificationsEnv.superRefine(requireSecretKeyInProduction);
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export const workerConfigSchema = notificationsEnv
  .extend(workerHttpPort)
  .superRefine(requireSecretKeyInProduction);

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function webhookSettings(config: NotificationsConfig): WebhookSettings {
  return {
    allow: { hosts: config.WEBHOOK_ALLOWED_HOSTS, cidrs: config.WEBHOOK_ALLOWED_CIDRS },
    retryDelayMs: config.WEBHOOK_RETRY_DELAY * 1_000,
    retryForMs: config.WEBHOOK_RETRY_FOR * 1_000,
    secretGraceMs: config.WEBHOOK_SECRET_GRACE * 1_000,
    timeoutMs: config.WEBHOOK_TIMEOUT * 1_000,
    coordinatorInstitution: config.COORDINATOR_INSTITUTION,
    secrets: new SecretBox(config.WEBHOOK_SECRET_KEY ?? [DEVELOPMENT_SECRET_KEY]),
  };
}

export function alertSettings(config: NotificationsConfig): AlertSettings {
  return {
    offsetsSeconds: config.REMINDER_OFFSETS,
    escalateAfterSeconds: config.ESCALATE_AFTER,
    escalationSteps: config.ESCALATION_LADDER.length,
    escalationIntervalSeconds: config.ESCALATION_INTERVAL,
    escalationLadder: config.ESCALATION_LADDER,
    coordinatorInstitution: config.COORDINATOR_INSTITUTION,
  };
}

export function horizonSettings(config: NotificationsConfig): HorizonSettings {
  return {
    horizonSeconds: config.REMINDER_HORIZON,
    catchUpSeconds: config.REMINDER_CATCH_UP,
    passEverySeconds: config.RECONCILE_INTERVAL,
  };
}
