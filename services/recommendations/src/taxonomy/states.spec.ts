import { LANGS } from './labels';
import {
  findState,
  parseStateList,
  REGIONAL_GROUPS,
  resolveRegionalGroup,
  stateByIso,
  stateLabels,
  STATES,
} from './states';
import sample from './fixtures/uhri-sample-slovenia-values.json';

describe('STATES', () => {
  it('has the 193 Member States and the 2 observer States, with unique codes and names', () => {
    expect(STATES.filter((s) => s.status === 'member')).toHaveLength(193);
    expect(STATES.filter((s) => s.status === 'observer').map((s) => s.name)).toEqual([
      'Holy See',
      'State of Palestine',
    ]);
    for (const field of ['iso3', 'iso2', 'name'] as const) {
      expect(new Set(STATES.map((s) => s[field])).size).toBe(195);
    }
    for (const s of STATES) {
      expect(s.iso3).toMatch(/^[A-Z]{3}$/);
      expect(s.iso2).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('puts every Member State in exactly one regional group', () => {
    const members = STATES.filter((s) => s.status === 'member');
    expect(members.filter((s) => !s.group).map((s) => s.iso3)).toEqual([]);
    expect(findState('Kiribati')!.group).toBe('APG');
    const count = (code: string) => members.filter((s) => s.group === code).length;
    expect([count('AFRICAN'), count('APG'), count('EEG'), count('GRULAC'), count('WEOG')]).toEqual([
      54, 54, 23, 33, 29,
    ]);
    expect(findState('Israel')!.group).toBe('WEOG');
    expect(findState('United States of America')!.group).toBe('WEOG');
    expect(findState('Holy See')!.group).toBeUndefined();
    expect(findState('State of Palestine')!.group).toBe('APG');
  });

  it('names the groups in the six UN languages and resolves UHRI region values', () => {
    for (const group of REGIONAL_GROUPS) for (const lang of LANGS) expect(group.label[lang]).toBeTruthy();
    expect(resolveRegionalGroup('- Western European and other States')?.code).toBe('WEOG');
    expect(resolveRegionalGroup('GRULAC')?.code).toBe('GRULAC');
    expect(resolveRegionalGroup('Asia-Pacific States')?.code).toBe('APG');
  });

  it('localises names with Intl.DisplayNames, and the UN names where CLDR differs', () => {
    const france = stateLabels(findState('France')!);
    expect(france).toMatchObject({ en: 'France', fr: 'France', es: 'Francia' });
    expect(france.ar).toMatch(/[\u0600-\u06FF]/);
    expect(france.zh).toMatch(/[\u4E00-\u9FFF]/);
    expect(france.ru).toMatch(/[\u0400-\u04FF]/);
    expect(stateLabels(findState('Palestine')!).fr).toBe('État de Palestine');
    expect(stateLabels(findState('Holy See')!).es).toBe('Santa Sede');
    expect(stateLabels(findState('DPRK')!).en).toBe("Democratic People's Republic of Korea");
    for (const s of STATES) for (const lang of LANGS) expect(stateLabels(s)[lang]).not.toBe(s.iso2);
  });
});

describe('findState', () => {
  it.each([
    ['United Kingdom of Great Britain and Northern Ireland', 'GBR'],
    ['UK', 'GBR'],
    ['united  kingdom', 'GBR'],
    ['Turkey', 'TUR'],
    ['Türkiye', 'TUR'],
    ['TURKIYE', 'TUR'],
    ['Czech Republic', 'CZE'],
    ['The former Yugoslav Republic of Macedonia', 'MKD'],
    ['Swaziland', 'SWZ'],
    ['Cape Verde', 'CPV'],
    ['Holy See', 'VAT'],
    ['Palestine', 'PSE'],
    ['United States', 'USA'],
    ['Bolivia', 'BOL'],
    ['Bolivia (Plurinational State of)', 'BOL'],
    ['Iran', 'IRN'],
    ['Islamic Republic of Iran', 'IRN'],
    ['Venezuela', 'VEN'],
    ['Russia', 'RUS'],
    ['Netherlands', 'NLD'],
    ['Netherlands (Kingdom of the)', 'NLD'],
    ["Côte d'Ivoire", 'CIV'],
    ['Côte d’Ivoire', 'CIV'],
    ["Cote d'Ivoire", 'CIV'],
    ['- Slovenia', 'SVN'],
    ['Guinea Bissau', 'GNB'],
    ['St. Lucia', 'LCA'],
    ['the Gambia', 'GMB'],
    ['Viet Nam', 'VNM'],
    ['Vietnam', 'VNM'],
  ])('%j', (name, iso3) => {
    expect(findState(name)?.iso3).toBe(iso3);
  });

  it('is undefined for unknown names, and codes go through stateByIso', () => {
    expect(findState('Atlantis')).toBeUndefined();
    expect(findState('SVN')).toBeUndefined();
    expect(stateByIso('svn')?.name).toBe('Slovenia');
    expect(stateByIso('SI')?.name).toBe('Slovenia');
  });
});

describe('parseStateList', () => {
  it.each([
    ['- Portugal, Slovakia', ['Portugal', 'Slovakia']],
    ['Spain, Tunisia, Portugal', ['Spain', 'Tunisia', 'Portugal']],
    ['- France\n- Lithuania', ['France', 'Lithuania']],
    ['(France) (Lithuania)', ['France', 'Lithuania']],
    [
      'Bolivia (Plurinational State of), Iran (Islamic Republic of)',
      ['Bolivia (Plurinational State of)', 'Iran (Islamic Republic of)'],
    ],
    [
      '- Senegal, Sierra Leone, Venezuela (Bolivarian Republic of),Peru, Uruguay',
      ['Senegal', 'Sierra Leone', 'Venezuela (Bolivarian Republic of)', 'Peru', 'Uruguay'],
    ],
    ['(Iran (Islamic Republic of))', ['Iran (Islamic Republic of)']],
    ['Iran, Islamic Republic of; Korea, Republic of', ['Iran (Islamic Republic of)', 'Republic of Korea']],
    [
      'Turkey, Czech Republic, The former Yugoslav Republic of Macedonia',
      ['Türkiye', 'Czechia', 'North Macedonia'],
    ],
    ['Niger, Nigeria', ['Niger', 'Nigeria']],
    [
      'Guinea-Bissau, Guinea, Equatorial Guinea, Papua New Guinea',
      ['Guinea-Bissau', 'Guinea', 'Equatorial Guinea', 'Papua New Guinea'],
    ],
    ['Sudan; South Sudan', ['Sudan', 'South Sudan']],
    ['Dominica, Dominican Republic', ['Dominica', 'Dominican Republic']],
    [
      'United Kingdom of Great Britain and Northern Ireland, Ireland',
      ['United Kingdom of Great Britain and Northern Ireland', 'Ireland'],
    ],
    ['Trinidad and Tobago, Bosnia and Herzegovina', ['Trinidad and Tobago', 'Bosnia and Herzegovina']],
    ['Spain and Portugal', ['Spain', 'Portugal']],
    ['France, France', ['France']],
    ['', []],
  ])('%j', (value, states) => {
    expect(parseStateList(value)).toEqual({ states, unknown: [] });
  });

  it('keeps unknown tokens verbatim instead of dropping them', () => {
    expect(parseStateList('- ICRMW\n- Iran (Islamic Republic of)')).toEqual({
      states: ['Iran (Islamic Republic of)'],
      unknown: ['ICRMW'],
    });
    expect(parseStateList('Atlantis, Spain, El Dorado')).toEqual({
      states: ['Spain'],
      unknown: ['Atlantis', 'El Dorado'],
    });
    expect(parseStateList('European Union Spain')).toEqual({
      states: ['Spain'],
      unknown: ['European Union'],
    });
  });

  it('resolves every recommending-States value of the sample UHRI workbook', () => {
    const unknown = new Set<string>();
    let states = 0;
    for (const value of sample.recommendingStates) {
      const parsed = parseStateList(value);
      parsed.unknown.forEach((u) => unknown.add(u));
      states += parsed.states.length;
      expect(parsed.states.length).toBeGreaterThan(0);
    }
    expect(states).toBeGreaterThan(sample.recommendingStates.length);
    // The one non-State token: "(ICRMW)" from the recommendation text leaked into the States column.
    expect([...unknown]).toEqual(['ICRMW']);
  });
});
