import type { SecretBox } from './webhook-secret-box';
import type { Resolve, TargetAllowList } from './webhook-target';

/** How webhooks are sent; from the validated config. */
export interface WebhookSettings {
  /** Targets allowed although private or loopback (WEBHOOK_ALLOWED_HOSTS, WEBHOOK_ALLOWED_CIDRS). */
  allow: TargetAllowList;
  /** The first retry's delay; each next one doubles it. */
  retryDelayMs: number;
  /** How long a delivery is retried before it counts as a persistent failure. */
  retryForMs: number;
  /** How long the key before a rotation keeps signing. */
  secretGraceMs: number;
  /** How long a receiver has to answer. */
  timeoutMs: number;
  /** The inbox told when a subscription is disabled. */
  coordinatorInstitution: string;
  /** Seals and opens the signing keys stored in PostgreSQL (WEBHOOK_SECRET_KEY). */
  secrets: SecretBox;
  /** Name resolution; the system's unless a test stands in for DNS. */
  resolve?: Resolve;
}

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

/**
 * When the attempt after `attempts` failed ones runs, or null when the retry window is over:
 * WEBHOOK_RETRY_DELAY, then doubling, for up to WEBHOOK_RETRY_FOR from `retryingSince`. Counted from
 * `plannedAt`, the moment the failed attempt was planned for (not when a busy worker got to it), so
 * the schedule, and how many attempts fit in the window, never depend on the worker's speed; an
 * attempt whose moment has passed runs at once.
 */
export function nextAttemptAt(
  settings: Pick<WebhookSettings, 'retryDelayMs' | 'retryForMs'>,
  attempts: number,
  retryingSince: Date,
  plannedAt: Date,
): Date | null {
  const delay = settings.retryDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30));
  const at = new Date(Math.max(plannedAt.getTime(), retryingSince.getTime()) + delay);
  return at.getTime() - retryingSince.getTime() > settings.retryForMs ? null : at;
}
