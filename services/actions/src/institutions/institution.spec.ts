import { draftProblems, isInstitutionId, isUserId, sameId, type InstitutionDraft } from './institution';
import { cycleThrough, parentsFirst } from './institution-tree';
import { ifMatch } from '@nmirf/platform';

const draft = (fields: Partial<InstitutionDraft> = {}): InstitutionDraft => ({
  id: 'Ministry of Justice',
  kind: 'ministry',
  parentId: null,
  names: { en: 'Ministry of Justice', fr: 'Ministère de la Justice', ar: 'وزارة العدل' },
  acronym: null,
  focalPointIds: ['9f3c1d2e-0000-4000-8000-000000000001'],
  validatorIds: [],
  active: true,
  ...fields,
});

const fieldsOf = (fields: Partial<InstitutionDraft>) => draftProblems(draft(fields)).map((p) => p.field);

describe('institution ids', () => {
  it.each([
    'Ministry of Justice',
    'ministry-of-justice',
    'Ministry of Labour, Family, Social Affairs and Equal Opportunities',
    'Ministère de l’Intérieur',
    'Министерство юстиции',
    '司法部',
    'MoJ_2',
    'Office (Roma)',
  ])('accepts %j, as a token claim may carry it', (id) => {
    expect(isInstitutionId(id)).toBe(true);
  });

  it.each([
    ['blank', ''],
    ['a leading space', ' Ministry'],
    ['a trailing space', 'Ministry '],
    ['two spaces', 'Ministry  of Justice'],
    ['a slash', 'Justice/Interior'],
    ['a line break', 'Ministry\nof Justice'],
    ['a tab', 'Ministry\tof Justice'],
    ['NUL', 'Ministry\u0000'],
    ['punctuation first', '-justice'],
    ['a percent sign', '100% Justice'],
    ['201 characters', 'a'.repeat(201)],
  ])('refuses one with %s', (_, id) => {
    expect(isInstitutionId(id)).toBe(false);
  });

  it('compares ids as the token claim is compared: ignoring case, not accents', () => {
    expect(sameId('Ministry of Justice', 'MINISTRY OF JUSTICE')).toBe(true);
    expect(sameId('Ministere', 'Ministère')).toBe(false);
  });

  it('takes token subjects as user ids, but not list separators or spaces', () => {
    expect(isUserId('9f3c1d2e-5b7a-4c1e-9d2f-3a4b5c6d7e8f')).toBe(true);
    expect(isUserId('auth0|5f7c8ec7c33c6c004bbafe82')).toBe(true);
    for (const bad of ['', 'a;b', 'a,b', 'two words', 'é', 'x'.repeat(256)])
      expect(isUserId(bad)).toBe(false);
  });
});

describe('institution drafts', () => {
  it('accepts a complete entry', () => {
    expect(draftProblems(draft())).toEqual([]);
  });

  it('requires an English name, not blank and on one line; other languages are optional', () => {
    expect(fieldsOf({ names: { en: '  ' } })).toEqual(['names.en']);
    expect(fieldsOf({ names: { en: 'Ministry\nof Justice' } })).toEqual(['names.en']);
    expect(fieldsOf({ names: { en: 'Ministry of Justice', ru: '\u001b[31m' } })).toEqual(['names.ru']);
    expect(fieldsOf({ names: { en: 'x'.repeat(301) } })).toEqual(['names.en']);
    expect(draftProblems(draft({ names: { en: 'Ministry of Justice' } }))).toEqual([]);
  });

  it('names every bad field at once', () => {
    expect(
      fieldsOf({
        id: 'bad/id',
        kind: 'department' as InstitutionDraft['kind'],
        parentId: 'also/bad',
        acronym: 'x'.repeat(31),
        focalPointIds: ['has space'],
        validatorIds: Array.from({ length: 101 }, (_, i) => `user-${i}`),
      }),
    ).toEqual(['id', 'kind', 'parentId', 'acronym', 'focalPointIds', 'validatorIds']);
  });

  it('refuses an institution as its own parent, in any case', () => {
    expect(draftProblems(draft({ parentId: 'MINISTRY OF JUSTICE' }))).toEqual([
      { field: 'parentId', messages: ['parentId must not be the institution itself'] },
    ]);
  });
});

describe('the institutions tree', () => {
  const parents = new Map<string, string | null>([
    ['government', null],
    ['ministry of justice', 'Government'],
    ['prison administration', 'Ministry of Justice'],
  ]);

  it('finds the loop a new parent would close, whatever the case of the ids', () => {
    expect(cycleThrough('Government', 'Prison Administration', parents)).toEqual([
      'Government',
      'Prison Administration',
      'Ministry of Justice',
      'Government',
    ]);
    expect(cycleThrough('Prison Administration', 'Government', parents)).toBeUndefined();
    expect(cycleThrough('Ombudsman', null, parents)).toBeUndefined();
  });

  it('orders drafts parents first, and refuses a loop', () => {
    const ordered = parentsFirst([
      { id: 'C', parentId: 'b' },
      { id: 'B', parentId: 'A' },
      { id: 'A', parentId: 'Elsewhere' },
    ]);
    expect(ordered.map((item) => item.id)).toEqual(['A', 'B', 'C']);
    expect(() =>
      parentsFirst([
        { id: 'A', parentId: 'B' },
        { id: 'B', parentId: 'A' },
      ]),
    ).toThrow('loop');
  });
});

describe('If-Match', () => {
  it('accepts any version with *, the listed strong tags, and nothing else', () => {
    expect(ifMatch(undefined)).toBeUndefined();
    expect(ifMatch('*')!(7)).toBe(true);
    expect(ifMatch('"3", "7"')!(7)).toBe(true);
    expect(ifMatch('"3"')!(7)).toBe(false);
    expect(ifMatch('W/"7"')!(7)).toBe(false);
    expect(ifMatch('7')!(7)).toBe(false);
  });
});
