import { JsonLogger } from './json-logger';
import { redactPersonalData } from './redact';

describe('redactPersonalData', () => {
  it.each([
    [
      'invalid input syntax for type uuid: "amina.diallo@justice.gov.sn"',
      'invalid input syntax for type uuid: [redacted]',
    ],
    [
      'invalid input value for enum action_status: "Amina Diallo"',
      'invalid input value for enum action_status: [redacted]',
    ],
    [
      'value too long for type character varying(255): "a very long name"',
      'value too long for type character varying(255): [redacted]',
    ],
    [
      'duplicate key value violates unique constraint "users_email" Key (email)=(a@b.org) already exists',
      'duplicate key value violates unique constraint "users_email" Key (email)=([redacted]) already exists',
    ],
    [
      'invalid byte sequence for encoding "UTF8": 0x00',
      'invalid byte sequence for encoding "UTF8": [redacted]',
    ],
    ['mail to focal.point+un@interior.gov.example failed', 'mail to [redacted email] failed'],
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it('keeps messages without personal data as they are', () => {
    const text = 'relation "actions" does not exist; column "status" of relation "actions"';
    expect(redactPersonalData(text)).toBe(text);
  });

  it('is applied by the JSON logger to messages, error messages and stacks', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('test', 'info', (line) => lines.push(line));
    const error = new Error('invalid input syntax for type uuid: "x@y.org"');
    logger.error(error);
    logger.warn({ msg: 'failed', error: 'Key (email)=(x@y.org) already exists' });
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first.msg).toBe('invalid input syntax for type uuid: [redacted]');
    expect(first.err.stack).not.toContain('x@y.org');
    expect(second.error).toBe('Key (email)=([redacted]) already exists');
  });
});
