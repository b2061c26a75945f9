import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsStrictDateTime, parseStrictIsoDate } from './dates';

class Due {
  @IsStrictDateTime()
  dueDate: Date;
}

class Published {
  @IsStrictDateTime({ dateOnly: true, min: '2000-01-01', maxYearsAhead: 1 })
  from: Date;
}

function check<T extends object>(type: new () => T, plain: object): { value: T; messages: string[] } {
  const value = plainToInstance(type, plain);
  const messages = validateSync(value).flatMap((error) => Object.values(error.constraints ?? {}));
  return { value, messages };
}

describe('parseStrictIsoDate', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:15.250Z', '2026-03-01T09:30:15.250Z'],
    ['2026-03-01T09:30:15.123456789Z', '2026-03-01T09:30:15.123Z'],
    ['2026-03-01T09:30:00+02:00', '2026-03-01T07:30:00.000Z'],
    ['2026-03-01T00:30:00-05:30', '2026-03-01T06:00:00.000Z'],
    ['0099-01-01', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseStrictIsoDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30',
    '2027-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:60:00Z',
    '2026-03-01T12:00:60Z',
    '2026-03-01T12:00:00+24:00',
    '2026-03-01T12:00:00',
    '2026-03-01 12:00:00Z',
    '2026-03-01t12:00:00z',
    '+275760-09-13',
    '-271821-04-20',
    '20260301',
    '2026-3-1',
    '1',
    '',
    'tomorrow',
    ' 2026-03-01',
  ])('refuses %j', (text) => {
    expect(parseStrictIsoDate(text)).toBeUndefined();
  });

  it('refuses a time when only a date is asked for', () => {
    expect(parseStrictIsoDate('2026-03-01T00:00:00Z', { dateOnly: true })).toBeUndefined();
    expect(parseStrictIsoDate('2026-03-01', { dateOnly: true })?.toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });
});

describe('@IsStrictDateTime', () => {
  it('turns a valid date into a Date', () => {
    const next = new Date(Date.now() + 86_400_000).toISOString();
    const { value, messages } = check(Due, { dueDate: next });
    expect(messages).toEqual([]);
    expect(value.dueDate).toEqual(new Date(next));
  });

  it.each([true, 0, -1, '1', '2026-02-30', null, {}, [], ['2026-03-01']])(
    'refuses %j by format',
    (dueDate) => {
      expect(check(Due, { dueDate }).messages).toEqual([
        'dueDate must be an ISO 8601 date (2026-03-01) or date-time with a UTC offset (2026-03-01T09:30:00Z)',
      ]);
    },
  );

  it.each(['+275760-09-13', '-271821-04-20'])('refuses the expanded year %s by format', (dueDate) => {
    expect(check(Due, { dueDate }).messages).toHaveLength(1);
  });

  it.each(['1944-12-31', '1900-01-01', '0001-01-01', '9999-12-31'])(
    'refuses %s as outside the window',
    (dueDate) => {
      expect(check(Due, { dueDate }).messages).toEqual([
        expect.stringMatching(/^dueDate must be between 1945-01-01 and \d{4}-\d{2}-\d{2}$/),
      ]);
    },
  );

  it('accepts the first day of the window and 49 years ahead', () => {
    expect(check(Due, { dueDate: '1945-01-01' }).messages).toEqual([]);
    const ahead = new Date();
    ahead.setUTCFullYear(ahead.getUTCFullYear() + 49);
    expect(check(Due, { dueDate: ahead.toISOString() }).messages).toEqual([]);
  });

  it('takes its own window and format', () => {
    expect(check(Published, { from: '2001-05-01' }).messages).toEqual([]);
    expect(check(Published, { from: '1999-12-31' }).messages).toEqual([
      expect.stringMatching(/^from must be between 2000-01-01 and /),
    ]);
    expect(check(Published, { from: '2001-05-01T00:00:00Z' }).messages).toEqual([
      'from must be an ISO 8601 date such as 2026-03-01',
    ]);
  });
});
