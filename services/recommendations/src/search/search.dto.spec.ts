import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SearchQuery } from './search.dto';

const read = (query: Record<string, unknown>) => {
  const value = plainToInstance(SearchQuery, query);
  return { value, errors: validateSync(value).map((error) => error.property) };
};

describe('State filters by ISO alpha-3 code, UN name or alias', () => {
  // Recommending States are stored under their UN name, as UHRI exports spell them.
  it.each([
    ['NLD', 'Netherlands (Kingdom of the)'],
    ['nld', 'Netherlands (Kingdom of the)'],
    ['Kingdom of the Netherlands', 'Netherlands (Kingdom of the)'],
    ['Netherlands', 'Netherlands (Kingdom of the)'],
    ['Netherlands (Kingdom of the)', 'Netherlands (Kingdom of the)'],
    ['BOL', 'Bolivia (Plurinational State of)'],
  ])('recommendingState=%s finds %s', (given, stored) => {
    expect(read({ recommendingState: given })).toEqual({
      value: expect.objectContaining({ recommendingState: [stored] }),
      errors: [],
    });
  });

  it('keeps a recommending State it does not know as given, and several as several', () => {
    expect(read({ recommendingState: ['Atlantis', 'FRA'] }).value.recommendingState).toEqual([
      'Atlantis',
      'France',
    ]);
  });

  it.each([
    ['NLD', 'NLD'],
    ['Kingdom of the Netherlands', 'NLD'],
    ['Netherlands (Kingdom of the)', 'NLD'],
    ['svn', 'SVN'],
    ['Slovenia', 'SVN'],
  ])('state=%s is the State under review %s', (given, code) => {
    expect(read({ state: given })).toEqual({
      value: expect.objectContaining({ state: [code] }),
      errors: [],
    });
  });

  it('refuses a State under review it does not know', () => {
    expect(read({ state: 'Atlantis' }).errors).toEqual(['state']);
  });
});
