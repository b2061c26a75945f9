// Values that break a schema, or a rule the platform applies to every input: each comes with what
// is wrong with it, which the report counts by.
import fc from 'fast-check';
import { BODY_LIMIT, DATE_WINDOW, isIdField, isNameField, patternOf, wantsFutureDate } from './conventions';
import { NumberLiteral } from './json-text';
import type { Schema } from './openapi';

export interface Bad<T = unknown> {
  /** What is wrong: `not a UUID`, `above maximum`… */
  what: string;
  value: T;
}

const bad = <T>(what: string, value: fc.Arbitrary<T>): fc.Arbitrary<Bad<T>> =>
  value.map((item) => ({ what, value: item }));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STRICT_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DIGITS = /^[+-]?\d+$/;

/** Text that is not a UUID: near misses, random text, numbers, injections and very long text. */
export const notUuid: fc.Arbitrary<string> = fc.oneof(
  fc
    .uuid({ version: 4 })
    .chain((uuid) =>
      fc.constantFrom(
        uuid.slice(1),
        `${uuid}0`,
        `${uuid.slice(0, 9)}g${uuid.slice(10)}`,
        `{${uuid}}`,
        `urn:uuid:${uuid}`,
        uuid.replace(/-/g, '_'),
        ` ${uuid}`,
        `${uuid}\n`,
      ),
    ),
  fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).filter((text) => !UUID.test(text.trim())),
  fc.constantFrom('1', '-1', '0', '9007199254740993', '1e20', 'NaN', 'null', 'undefined', 'true', '[]', '{}'),
  fc.constantFrom("' OR 1=1 --", '../../etc/passwd', '..', '.', '%00', '${jndi:ldap://x}', '<script>'),
  fc.integer({ min: 300, max: 4000 }).map((length) => 'a'.repeat(length)),
);

/** Text not of the shape `pattern` asks: a valid value cut short, lengthened, upper-cased, or other text. */
export function notMatching(pattern: RegExp): fc.Arbitrary<Bad<string>> {
  return bad(
    'does not match its pattern',
    fc
      .oneof(
        fc
          .stringMatching(pattern)
          .chain((valid) =>
            fc.constantFrom(
              valid.slice(1),
              `${valid}0`,
              valid.toUpperCase(),
              `${valid.slice(0, -1)}g`,
              ` ${valid}`,
            ),
          ),
        fc.string({ minLength: 1, maxLength: 80 }),
      )
      .filter((text) => text !== '' && !pattern.test(text)),
  );
}

/** Dates no strict ISO 8601 reading takes, or outside the accepted window. */
export function badDates(schema: Schema): fc.Arbitrary<Bad<string>> {
  const year = new Date().getUTCFullYear();
  const dateOnly = schema.format === 'date';
  const malformed = [
    '+275760-09-13',
    '-000001-01-01',
    'true',
    '0',
    '-1',
    '1',
    '2026-3-1',
    '20260301',
    '2026/03/01',
    '01/03/2026',
    '2026-W10-1',
    '2026-060',
    'tomorrow',
    'Mon, 01 Mar 2026 09:30:00 GMT',
    ' 2026-03-01',
    '2026-03-01 ',
    '',
    'NaN',
    '2026-03-01T09:30:00', // no offset: read in the server's time zone
    '2026-03-01T09:30:00+0200',
    ...(dateOnly ? ['2026-03-01T00:00:00Z'] : []),
  ];
  const impossible = [
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    ...(dateOnly
      ? []
      : [
          '2026-03-01T24:00:00Z',
          '2026-03-01T09:60:00Z',
          '2026-03-01T09:30:60Z',
          '2026-03-01T09:30:00+24:00',
          '2026-03-01T09:30:00+02:60',
        ]),
  ];
  const outside = [
    '1944-12-31',
    '1900-01-01',
    '0001-01-01',
    '9999-12-31',
    `${year + DATE_WINDOW.maxYearsAhead + 1}-01-01`,
  ];
  const arbitraries = [
    bad('malformed date', fc.constantFrom(...malformed)),
    bad('impossible date', fc.constantFrom(...impossible)),
    bad('date outside the window', fc.constantFrom(...outside)),
    bad(
      'not a date',
      fc.string({ minLength: 1, maxLength: 30 }).filter((text) => !STRICT_DATE.test(text)),
    ),
  ];
  if (wantsFutureDate(schema)) {
    arbitraries.push(
      bad(
        'date in the past',
        fc
          .integer({ min: 3, max: 3650 })
          .map((days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, dateOnly ? 10 : 24)),
      ),
    );
  }
  return fc.oneof(...arbitraries);
}

/** Strings not among `values`: case and spacing variants, and other words. */
export function notInEnum(values: unknown[], trims = false): fc.Arbitrary<string> {
  const words = values.map(String);
  const variants = words.flatMap((word) => [
    word.toUpperCase(),
    `${word}.`,
    `${word}s`,
    word.slice(0, -1),
    ...(trims ? [] : [` ${word}`, `${word} `]),
  ]);
  return fc
    .oneof(
      fc.constantFrom(...variants, 'null', 'undefined', '*', '0'),
      fc.stringMatching(/^[a-zA-Z_-]{1,24}$/),
    )
    .filter((text) => !words.includes(trims ? text.trim() : text) && (!trims || text.trim() !== ''));
}

/** A valid text with one character inserted at a random place. */
const inserting = (text: string, characters: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.nat({ max: Math.max(text.length, 0) }), characters)
    .map(([at, character]) => `${text.slice(0, at)}${character}${text.slice(at)}`);

// C0 controls, DEL and C1 controls (U+0000–U+001F, U+007F–U+009F), and the line and paragraph separators.
const CONTROLS = [
  ...Array.from({ length: 32 }, (_, code) => code),
  ...Array.from({ length: 33 }, (_, i) => 0x7f + i),
]
  .map((code) => String.fromCharCode(code))
  .concat('\u2028', '\u2029');
const WHITESPACE = [' ', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200a', '\u1680'];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];

/** Strings that no field stores: a NUL, or a UTF-16 surrogate without its partner. */
export function unsafeText(valid: string): fc.Arbitrary<Bad<string>> {
  return fc.oneof(
    bad('NUL character', inserting(valid, fc.constant('\u0000'))),
    bad('lone surrogate', inserting(valid, fc.constantFrom(...LONE_SURROGATES))),
  );
}

/** For names and titles: blank, or with a control character. */
export function badName(valid: string): fc.Arbitrary<Bad<string>> {
  return fc.oneof(
    bad(
      'blank name',
      fc
        .array(fc.constantFrom(...WHITESPACE), { minLength: 0, maxLength: 8 })
        .map((spaces) => spaces.join('')),
    ),
    bad('control character in a name', inserting(valid, fc.constantFrom(...CONTROLS))),
  );
}

/** Values of another JSON type than `schema` says. `null` only where the field is required. */
export function wrongJsonType(schema: Schema, required: boolean): fc.Arbitrary<Bad> {
  const others: fc.Arbitrary<unknown>[] = [fc.constant({}), fc.constant({ value: 'x' })];
  if (required) others.push(fc.constant(null));
  if (schema.type !== 'array') others.push(fc.constantFrom([], ['x'], [1]));
  if (schema.type !== 'boolean') others.push(fc.boolean());
  if (schema.type === 'number' || schema.type === 'integer') {
    // Digits in a string are read as the number ("34"): other text is the wrong type.
    others.push(
      fc
        .constantFrom('NaN', 'Infinity', 'abc', '', ' 1', '1.0.0', '0x10', '1e2')
        .filter((text) => !DIGITS.test(text)),
    );
  } else {
    others.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
    if (schema.type !== 'string') others.push(fc.constantFrom('text', ''));
  }
  return bad('wrong JSON type', fc.oneof(...others));
}

/** Numbers beyond the field's bounds, or beyond any column: 1e20, unsafe integers, Infinity. */
export function badNumber(schema: Schema): fc.Arbitrary<Bad> {
  const beyond: unknown[] = [1e20, -1e20, new NumberLiteral('9007199254740993'), new NumberLiteral('1e400')];
  if (schema.minimum !== undefined) beyond.push(schema.minimum - 1, schema.minimum - 1000);
  if (schema.maximum !== undefined) beyond.push(schema.maximum + 1, schema.maximum * 1000 + 1);
  return bad('number out of range', fc.constantFrom(...beyond));
}

/** Query text for a number parameter that is not a number, or one out of its range. */
export function badQueryNumber(schema: Schema): fc.Arbitrary<Bad<string>> {
  const outOfRange = ['1e20', '-1e20', '9007199254740993', '99999999999999999999999'];
  if (schema.minimum !== undefined) outOfRange.push(String(schema.minimum - 1));
  if (schema.maximum !== undefined) outOfRange.push(String(schema.maximum + 1));
  return fc.oneof(
    bad('number out of range', fc.constantFrom(...outOfRange)),
    bad(
      'not a number',
      fc.constantFrom(
        'NaN',
        'Infinity',
        '-Infinity',
        'abc',
        'one',
        '',
        ' 5',
        '5 ',
        '0x10',
        '1,5',
        '5abc',
        'null',
      ),
    ),
  );
}

/** Query text for a boolean parameter that is not a boolean. */
export const badQueryBoolean: fc.Arbitrary<Bad<string>> = bad(
  'not a boolean',
  fc.constantFrom('yes', 'no', 'maybe', '2', '-1', 'null', '', 'on', 'off', 'truee', 'fals'),
);

/** A string longer than `maxLength`, by a little or by a lot. */
export function tooLong(schema: Schema): fc.Arbitrary<Bad<string>> | undefined {
  if (schema.maxLength === undefined) return undefined;
  const max = schema.maxLength;
  return bad(
    'longer than maxLength',
    fc.integer({ min: max + 1, max: max * 20 + 1 }).map((length) => 'x'.repeat(length)),
  );
}

/** A string past the JSON body limit: 413 before anything parses it. */
export const overBodyLimit: fc.Arbitrary<Bad<string>> = bad(
  'string past the body limit',
  fc.constant('y'.repeat(BODY_LIMIT + 1)),
);

/** Bad values for a JSON body field, `valid` being one of its valid values. */
export function badJsonField(
  schema: Schema,
  name: string,
  required: boolean,
  valid: unknown,
): fc.Arbitrary<Bad>[] {
  const arbitraries: fc.Arbitrary<Bad>[] = [wrongJsonType(schema, required)];
  if (schema.type === 'array') {
    const items = schema.items ?? { type: 'string' };
    const itemValid = Array.isArray(valid) && valid.length > 0 ? valid[0] : 'x';
    for (const itemBad of badJsonField(items, name, true, itemValid)) {
      arbitraries.push(
        itemBad.map(({ what, value }) => ({
          what: `item: ${what}`,
          value: Array.isArray(valid) ? [...valid, value] : [value],
        })),
      );
    }
    return arbitraries;
  }
  if (schema.type === 'number' || schema.type === 'integer') return [...arbitraries, badNumber(schema)];
  if (schema.type === 'boolean') return arbitraries;
  const text = typeof valid === 'string' ? valid : 'x';
  if (schema.enum) arbitraries.push(bad('not in the enum', notInEnum(schema.enum)));
  if (schema.format === 'uuid' || isIdField(name)) arbitraries.push(bad('not a UUID', notUuid));
  if (schema.format === 'date' || schema.format === 'date-time') arbitraries.push(badDates(schema));
  const pattern = patternOf(name, schema);
  if (pattern) arbitraries.push(notMatching(pattern));
  arbitraries.push(unsafeText(text));
  if (isNameField(name)) arbitraries.push(badName(text));
  const long = tooLong(schema);
  if (long) arbitraries.push(long);
  return arbitraries;
}
