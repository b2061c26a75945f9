import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatSecret, newSigningKey, parseSecret, signatureHeader } from './webhook-signature';

/** A receiver's check, written from the specification rather than from the signer. */
function verifies(secret: string, headers: Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(content).digest();
  return headers['webhook-signature'].split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('Standard Webhooks signatures', () => {
  it('reproduces the specification’s published test vector', () => {
    const key = parseSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signatureHeader([key], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs with both keys during a rotation, so a receiver holding either one verifies', () => {
    const [previous, current] = [newSigningKey(), newSigningKey()];
    const body = '{"type":"ActionAssigned"}';
    const header = signatureHeader([current, previous], 'd1', 1_700_000_000, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'd1', 'webhook-timestamp': '1700000000', 'webhook-signature': header };
    expect(verifies(formatSecret(current), headers, body)).toBe(true);
    expect(verifies(formatSecret(previous), headers, body)).toBe(true);
    expect(verifies(formatSecret(newSigningKey()), headers, body)).toBe(false);
    expect(verifies(formatSecret(current), headers, `${body} `)).toBe(false);
    expect(verifies(formatSecret(current), { ...headers, 'webhook-timestamp': '1700000001' }, body)).toBe(
      false,
    );
  });

  it('shows a key as whsec_ and base64, and reads it back', () => {
    const key = newSigningKey();
    expect(key).toHaveLength(32);
    expect(formatSecret(key)).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(parseSecret(formatSecret(key)).equals(key)).toBe(true);
  });
});
