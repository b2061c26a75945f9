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
  /** Name resolution; the system's unless a test stands in for DNS. */
  resolve?: Resolve;
}

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

/**
 * When the attempt after `attempts` failed ones runs, or null when the retry window is over:
 * WEBHOOK_RETRY_DELAY, then doubling, for up to WEBHOOK_RETRY_FOR from `retryingSince`.
 */
export function nextAttemptAt(
  settings: Pick<WebhookSettings, 'retryDelayMs' | 'retryForMs'>,
  attempts: number,
  retryingSince: Date,
  now: Date,
): Date | null {
  const delay = settings.retryDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30));
  const at = new Date(now.getTime() + delay);
  return at.getTime() - retryingSince.getTime() > settings.retryForMs ? null : at;
}
