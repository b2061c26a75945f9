import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { IsStateCode, toStateName } from './state-fields';
import { resolveState } from './states';

class Filter {
  @IsOptional()
  @IsStateCode()
  state?: string;

  @IsOptional()
  @IsStateCode({ each: true })
  states?: string[];
}

const check = (plain: object) => {
  const value = plainToInstance(Filter, plain);
  return { value, messages: validateSync(value).flatMap((error) => Object.values(error.constraints ?? {})) };
};

describe('States by name or ISO 3166 alpha-3 code', () => {
  it('resolves names, older names and codes, in any case', () => {
    expect(resolveState('SVN')?.name).toBe('Slovenia');
    expect(resolveState('svn')?.name).toBe('Slovenia');
    expect(resolveState(' Slovenia ')?.iso3).toBe('SVN');
    expect(resolveState('Bolivia (Plurinational State of)')?.iso3).toBe('BOL');
    expect(resolveState('XYZ')).toBeUndefined();
    expect(resolveState('SI')).toBeUndefined(); // alpha-2 codes are ambiguous with names: not taken
    expect(toStateName('FRA')).toBe('France');
    expect(toStateName('Atlantis')).toBe('Atlantis');
  });

  it('turns a State field into the code, and refuses an unknown State', () => {
    expect(check({ state: 'slovenia', states: ['FRA', 'Croatia'] })).toEqual({
      value: expect.objectContaining({ state: 'SVN', states: ['FRA', 'HRV'] }),
      messages: [],
    });
    expect(check({ state: 'XYZ' }).messages).toEqual([
      'state must be a UN Member or observer State: its name or ISO 3166 alpha-3 code, such as SVN',
    ]);
    expect(check({ states: ['SVN', 42] }).messages).toHaveLength(1);
  });
});
