import { Transform, plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { INT4_MAX, IsBoundedInt, parseInteger, parseIntegerList, SMALLINT_MAX } from './numbers';
import { PageQuery } from './page-query';

class Filters {
  @IsOptional()
  @Transform(parseIntegerList)
  @IsBoundedInt({ min: 1, max: SMALLINT_MAX, each: true })
  session?: number[];

  @IsOptional()
  @IsBoundedInt({ min: 0, max: INT4_MAX })
  count?: number;
}

function check<T extends object>(type: new () => T, plain: object): { value: T; messages: string[] } {
  const value = plainToInstance(type, plain);
  return { value, messages: validateSync(value).flatMap((error) => Object.values(error.constraints ?? {})) };
}

describe('bounded integers', () => {
  it('reads only integers written as digits', () => {
    expect(parseInteger('34')).toBe(34);
    expect(parseInteger('-1')).toBe(-1);
    expect(parseInteger(7)).toBe(7);
    for (const text of ['1e20', '0x10', '', ' ', '3.5', '1_000', 'Infinity', 'NaN'])
      expect(parseInteger(text)).toBe(text);
  });

  it('pages: limit 1 to 500, offset 0 to 1,000,000, defaults when absent', () => {
    expect(check(PageQuery, {}).value).toMatchObject({ limit: 50, offset: 0 });
    expect(check(PageQuery, { limit: '500', offset: '1000000' })).toEqual({
      value: expect.objectContaining({ limit: 500, offset: 1_000_000 }),
      messages: [],
    });
    for (const offset of ['1e20', '1000001', '-1', '9007199254740993', '0x10', '', '1.5', ['1', '2']]) {
      expect(check(PageQuery, { offset }).messages).toEqual([
        'offset must be a whole number from 0 to 1000000',
      ]);
    }
    expect(check(PageQuery, { limit: '0' }).messages).toEqual(['limit must be a whole number from 1 to 500']);
  });

  it('refuses numbers beyond the column and unsafe integers', () => {
    expect(check(Filters, { count: 2_147_483_648 }).messages).toHaveLength(1);
    expect(check(Filters, { count: 1e20 }).messages).toHaveLength(1);
    expect(check(Filters, { count: Number.MAX_SAFE_INTEGER + 2 }).messages).toHaveLength(1);
    expect(check(Filters, { count: 2_147_483_647 }).messages).toEqual([]);
  });

  it('checks each value of a list, from repeated or comma-separated parameters', () => {
    expect(check(Filters, { session: ['34', '20'] })).toEqual({
      value: expect.objectContaining({ session: [34, 20] }),
      messages: [],
    });
    expect(check(Filters, { session: '34,20' }).value.session).toEqual([34, 20]);
    for (const session of ['1e20', '9007199254740993', '32768', '0', '34,x']) {
      expect(check(Filters, { session }).messages).toEqual([
        'each value in session must be a whole number from 1 to 32767',
      ]);
    }
  });
});
