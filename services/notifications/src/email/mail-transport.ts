import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  language: string;
  /** Stable for a delivery: a resend after a crash carries the same one, so it can be traced. */
  messageId: string;
}

/** The port the delivery use case sends through. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
}

export const MAIL_TRANSPORT_OPTIONS = Symbol('MAIL_TRANSPORT_OPTIONS');
export interface MailTransportOptions {
  smtpUrl: string;
  from: string;
}

/** Why a send failed, and whether trying again can help: a 5xx reply is the server's final word. */
export function sendFailure(error: unknown): { permanent: boolean; reason: string } {
  const { responseCode, response, code, message } = error as {
    responseCode?: number;
    response?: string;
    code?: string;
    message?: string;
  };
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
  const reason = (response ?? [code, message].filter(Boolean).join(': ')) || 'unknown error';
  return { permanent, reason: reason.slice(0, 500) };
}

/** SMTP through nodemailer, over a small pool of connections. */
@Injectable()
export class SmtpMailTransport extends MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;

  constructor(private readonly options: MailTransportOptions) {
    super();
    this.transporter = createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 3,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
    });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/** `<delivery-id@domain of the sender>`: the same id, the same Message-ID. */
export function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'nmirf.invalid';
  return `<${deliveryId}@${domain}>`;
}
