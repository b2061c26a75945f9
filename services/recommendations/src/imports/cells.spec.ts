import { bulletList, headerKey, parseDateCell, singleValue } from './cells';

describe('UN export cells', () => {
  it('splits newline lists and drops the "- " bullets', () => {
    expect(bulletList('- Equality & non-discrimination\n- Racial discrimination\n')).toEqual([
      'Equality & non-discrimination',
      'Racial discrimination',
    ]);
    expect(bulletList('')).toEqual([]);
    expect(singleValue('- UPR')).toBe('UPR');
    expect(singleValue('A/HRC/28/15')).toBe('A/HRC/28/15');
  });

  it('keeps a hyphen that is part of the value', () => {
    expect(bulletList('- Economic, social & cultural rights - general measures')).toEqual([
      'Economic, social & cultural rights - general measures',
    ]);
  });

  it('reads Excel serial dates and ISO or day/month/year dates', () => {
    expect(parseDateCell('41985')).toBe('2014-12-12');
    expect(parseDateCell('43849.5')).toBe('2020-01-19');
    expect(parseDateCell('2019-12-19')).toBe('2019-12-19');
    expect(parseDateCell('19/12/2019')).toBe('2019-12-19');
    expect(parseDateCell('')).toBeNull();
    expect(parseDateCell('31/02/2019')).toBeUndefined();
    expect(parseDateCell('next week')).toBeUndefined();
  });

  it('matches headers whatever their case, spacing or punctuation', () => {
    expect(headerKey('Reccomending Body')).toBe(headerKey(' reccomending_body'));
    expect(headerKey('OHCHR Annotation Id')).toBe('ohchrannotationid');
  });
});
