import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A sealed 32-byte signing key: version, IV, ciphertext, tag. */
const SEALED_BYTES = 1 + IV_BYTES + 32 + TAG_BYTES;

/**
 * Used when WEBHOOK_SECRET_KEY is not set outside production (development, tests): keys are still
 * sealed, so nothing depends on them being plain, but anyone with the source can open them.
 */
export const DEVELOPMENT_SECRET_KEY = createHash('sha256')
  .update('nmirf development webhook secret key: never in production')
  .digest();

/**
 * Seals webhook signing keys at rest with AES-256-GCM under WEBHOOK_SECRET_KEY: a copy of the
 * database (a backup, a replica, a leaked dump) holds no secret a receiver trusts. The subscription's
 * id is the additional data, so a sealed key moved to another row does not open. The first key seals;
 * every key opens, so an operator rotates WEBHOOK_SECRET_KEY by putting the new key first and
 * dropping the old one once every key has been sealed again (at start-up, see WebhookSubscriptions).
 */
export class SecretBox {
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32))
      throw new Error('WEBHOOK_SECRET_KEY must hold 32-byte keys');
  }

  seal(secret: Buffer, subscriptionId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    cipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
  }

  open(sealed: Buffer, subscriptionId: string): Buffer {
    if (!isSealed(sealed))
      throw new Error(`the signing key of webhook subscription ${subscriptionId} is not sealed`);
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        // Sealed under another of the keys, or not for this subscription.
      }
    }
    throw new Error(
      `the signing key of webhook subscription ${subscriptionId} does not open with any WEBHOOK_SECRET_KEY`,
    );
  }

  /** Whether the current key sealed it: false for a key sealed before a rotation of WEBHOOK_SECRET_KEY. */
  sealedWithCurrentKey(sealed: Buffer, subscriptionId: string): boolean {
    return isSealed(sealed) && new SecretBox([this.keys[0]]).opens(sealed, subscriptionId);
  }

  private opens(sealed: Buffer, subscriptionId: string): boolean {
    try {
      this.open(sealed, subscriptionId);
      return true;
    } catch {
      return false;
    }
  }
}

/** A signing key as this version stores it; a plain 32-byte key was written before keys were sealed. */
export function isSealed(value: Buffer): boolean {
  return value.length === SEALED_BYTES && value[0] === VERSION;
}

/** WEBHOOK_SECRET_KEY: comma-separated keys of 32 bytes, each in base64 or hex; the first seals. */
export function parseSecretKeys(text: string): Buffer[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (/^[0-9a-f]{64}$/i.test(part) ? Buffer.from(part, 'hex') : Buffer.from(part, 'base64')));
}
