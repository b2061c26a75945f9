import type { NotificationsConfig } from '../config';

/** What the mail pieces need of the configuration. */
export interface MailSettings {
  from: string;
  webAppUrl: string;
  attempts: number;
  retryDelayMs: number;
  dispatchEveryMs: number;
  digestHour: number;
}

export const MAIL_SETTINGS = Symbol('MAIL_SETTINGS');

export function mailSettings(config: NotificationsConfig): MailSettings {
  return {
    from: config.MAIL_FROM,
    webAppUrl: config.WEB_APP_URL,
    attempts: config.MAIL_ATTEMPTS,
    retryDelayMs: config.MAIL_RETRY_DELAY * 1_000,
    dispatchEveryMs: config.MAIL_DISPATCH_INTERVAL * 1_000,
    digestHour: config.DIGEST_HOUR,
  };
}
