/** The SMTP server tests send to (GreenMail, infra/greenmail) and its REST API that shows what it received. */
export const mailInfrastructure = {
  smtpUrl: process.env.TEST_SMTP_URL ?? 'smtp://127.0.0.1:3025',
  greenmailApi: (process.env.GREENMAIL_API_URL ?? 'http://127.0.0.1:8025').replace(/\/$/, ''),
};

/** A mail as its reader's client would show it: headers, and the decoded plain-text and HTML parts. */
export interface ReceivedMail {
  messageId: string;
  subject: string;
  headers: Record<string, string>;
  text?: string;
  html?: string;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  // Folded lines continue the header above.
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    default:
      return body;
  }
}

/** Splits a MIME message into its text/plain and text/html parts (one level of multipart is enough here). */
export function parseMime(raw: string): Omit<ReceivedMail, 'subject' | 'messageId'> {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const result: Omit<ReceivedMail, 'subject' | 'messageId'> = { headers };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((part) => !part.startsWith('--'))
    : [raw];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const partHeaders = parseHeaders(part.slice(0, at).replace(/^\r?\n/, ''));
    const content = decodeBody(
      part
        .slice(at)
        .replace(/^\r?\n\r?\n/, '')
        .replace(/\r?\n$/, ''),
      partHeaders['content-transfer-encoding'],
    ).replace(/\r\n/g, '\n');
    const type = (partHeaders['content-type'] ?? '').toLowerCase();
    if (type.startsWith('text/plain')) result.text = content;
    if (type.startsWith('text/html')) result.html = content;
  }
  return result;
}

/** Every mail GreenMail holds for one address, oldest first. */
export async function receivedMails(address: string): Promise<ReceivedMail[]> {
  const response = await fetch(
    `${mailInfrastructure.greenmailApi}/api/user/${encodeURIComponent(address)}/messages/INBOX`,
  );
  // GreenMail knows no mailbox for an address nothing was sent to yet.
  if (response.status === 404 || response.status === 400) return [];
  if (!response.ok) throw new Error(`GreenMail answered ${response.status} for ${address}`);
  const messages = (await response.json()) as Array<{
    'Message-ID': string;
    subject: string;
    mimeMessage: string;
  }>;
  return messages.map((message) => ({
    messageId: message['Message-ID'],
    subject: message.subject,
    ...parseMime(message.mimeMessage),
  }));
}
