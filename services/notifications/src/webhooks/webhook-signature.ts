import { createHmac, randomBytes } from 'node:crypto';

/** The Standard Webhooks secret format: `whsec_` and the key in base64. */
const SECRET_PREFIX = 'whsec_';

/** A new signing key: 32 random bytes, as the specification recommends (24 to 64). */
export function newSigningKey(): Buffer {
  return randomBytes(32);
}

/** The key as shown to the subscriber, once, when it is made. */
export function formatSecret(key: Buffer): string {
  return `${SECRET_PREFIX}${key.toString('base64')}`;
}

export function parseSecret(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

/**
 * The `webhook-signature` header: one `v1,<base64 HMAC-SHA256>` of `${id}.${timestamp}.${body}`
 * per key, space-separated, so a receiver still holding the previous key during a rotation verifies.
 */
export function signatureHeader(
  keys: readonly Buffer[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return keys
    .map(
      (key) => `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`,
    )
    .join(' ');
}
