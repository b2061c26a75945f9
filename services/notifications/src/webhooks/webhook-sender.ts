import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signatureHeader } from './webhook-signature';
import { parseTargetUrl, resolveTarget, type Resolve, type TargetAllowList } from './webhook-target';

export interface WebhookRequest {
  url: string;
  /** The `webhook-id`: the delivery's id, the same on every attempt. */
  id: string;
  body: string;
  keys: readonly Buffer[];
  now: Date;
}

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, for the subscriber: a status, a refused target, a timeout… */
  error: string | null;
}

const USER_AGENT = 'nmirf-webhooks/1';

/**
 * POSTs one signed webhook. The target is resolved and checked again here, and the connection made
 * to an address just checked (the request's own DNS lookup is replaced), so a name that now points
 * inside the network is refused. Redirects are not followed: a 3xx is a failed attempt.
 */
export async function sendWebhook(
  webhook: WebhookRequest,
  options: { allow: TargetAllowList; timeoutMs: number; resolve?: Resolve },
): Promise<SendOutcome> {
  let addresses: Array<{ address: string; family: number }>;
  let url: URL;
  try {
    url = parseTargetUrl(webhook.url);
    addresses = await resolveTarget(url, options.allow, options.resolve);
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message };
  }
  const timestamp = Math.floor(webhook.now.getTime() / 1_000);
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    const [first] = addresses;
    if ((lookupOptions as { all?: boolean }).all)
      (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    else callback(null, first.address, first.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    const request = send(
      url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(webhook.body),
          'user-agent': USER_AGENT,
          'webhook-id': webhook.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(webhook.keys, webhook.id, timestamp, webhook.body),
        },
      },
      (response: IncomingMessage) => {
        // The answer's body is not used; read at most a little of it so the socket is freed.
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ ok, statusCode: status, error: ok ? null : `the receiver answered ${status}` });
        });
        response.on('error', (error) =>
          resolve({ ok: false, statusCode: status(response), error: error.message }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => resolve({ ok: false, statusCode: null, error: error.message }));
    request.end(webhook.body);
  });
}

const status = (response: IncomingMessage) => response.statusCode ?? null;
