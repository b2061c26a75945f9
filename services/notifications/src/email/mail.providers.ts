import { Logger, type Provider } from '@nestjs/common';
import type { WorkerConfig } from '../config';
import { GatherDigests } from '../digests/gather-digest';
import { DeliverMail } from './deliver-mail';
import { mailSettings, MAIL_SETTINGS } from './mail-settings';
import { MailTransport, SmtpMailTransport } from './mail-transport';
import { MAIL_WORKER_OPTIONS, MailWorker, type MailWorkerOptions } from './mail-worker';

/** The worker's mail pieces; none without SMTP_URL (deliveries then wait in PostgreSQL). */
export function mailWorkerProviders(config: WorkerConfig): Provider[] {
  if (!config.SMTP_URL) {
    new Logger('MailWorker').warn({
      msg: 'SMTP_URL is not set: no mail is sent; deliveries wait in PostgreSQL',
    });
    return [];
  }
  const settings = mailSettings(config);
  const options: MailWorkerOptions = { redisUrl: config.REDIS_URL, queuePrefix: config.QUEUE_PREFIX };
  return [
    { provide: MAIL_SETTINGS, useValue: settings },
    { provide: MAIL_WORKER_OPTIONS, useValue: options },
    {
      provide: MailTransport,
      useValue: new SmtpMailTransport({ smtpUrl: config.SMTP_URL, from: settings.from }),
    },
    DeliverMail,
    GatherDigests,
    MailWorker,
  ];
}
