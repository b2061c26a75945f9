import type { SheetRow } from '../formats';
import { TEMPLATE_COLUMNS, TemplateMapper } from './template-mapper';
import { WrongLayoutError } from './vocabulary';

type Column = (typeof TEMPLATE_COLUMNS)[number];

/** The regional sample row of the downloadable template (IACHR, Peru). */
const REGIONAL: Record<Column, string> = {
  mechanism: 'regional',
  body: 'IACHR',
  document_symbol: 'OEA/Ser.L/V/II. Doc. 123',
  paragraph: '12',
  text: 'Adopt the legislative measures needed to guarantee the right of indigenous peoples to prior consultation.',
  type: 'recommendation',
  state_under_review: 'Peru',
  recommending_states: '',
  position: '',
  position_source: '',
  themes: 'Indigenous peoples; Legal & institutional reform',
  groups_of_persons: 'Indigenous peoples',
  sdgs: '16.7; 10.2',
  published_on: '2024-03-01',
  language: 'en',
  upr_session: '',
};

/** The pledge sample row (Human Rights 75, Slovenia). */
const PLEDGE: Record<Column, string> = {
  ...REGIONAL,
  mechanism: 'voluntary_pledge',
  body: 'HR75',
  document_symbol: 'Human Rights 75 pledges',
  paragraph: '1',
  text: 'Ratify the Optional Protocol to the Convention against Torture by 2025.',
  type: 'pledge',
  state_under_review: 'Slovenia',
  themes: 'Ratification of & accession to international instruments',
  groups_of_persons: '',
  sdgs: '16',
  published_on: '2023-12-12',
};

const sheetRow = (
  values: Record<Column, string>,
  headers: readonly string[] = TEMPLATE_COLUMNS,
): SheetRow => ({
  rowNumber: 2,
  cells: headers.map((header) => values[header as Column] ?? ''),
  oversized: [],
});

const mapper = () => TemplateMapper.fromHeader([...TEMPLATE_COLUMNS]);

function mapRecord(values: Record<Column, string>) {
  const mapped = mapper().map(sheetRow(values));
  if (!mapped.record) throw new Error(`expected a record, got problems: ${mapped.problems.join(' | ')}`);
  return mapped.record;
}

describe('TemplateMapper headers', () => {
  it("recognises the template's header row, in any case or spacing", () => {
    expect(TemplateMapper.isHeader([...TEMPLATE_COLUMNS])).toBe(true);
    expect(
      TemplateMapper.isHeader(TEMPLATE_COLUMNS.map((column) => column.toUpperCase().replace(/_/g, ' '))),
    ).toBe(true);
  });

  it('does not take a UHRI export for the template', () => {
    expect(
      TemplateMapper.isHeader([
        'Text',
        'Countries Concerned',
        'Reccomending Body',
        'Document Symbol',
        'Themes',
      ]),
    ).toBe(false);
  });

  it('needs only the required columns, in any order', () => {
    const headers = ['text', 'paragraph', 'document_symbol', 'body', 'mechanism'];
    expect(TemplateMapper.isHeader(headers)).toBe(true);
    const mapped = TemplateMapper.fromHeader(headers).map(sheetRow(PLEDGE, headers));
    expect(mapped.record).toMatchObject({
      mechanism: 'voluntary_pledge',
      body: 'HR75',
      paragraph: '1',
      type: 'recommendation',
      language: 'en',
      stateUnderReview: null,
    });
  });

  it('names the missing columns and lists those of the template', () => {
    const attempt = () => TemplateMapper.fromHeader(['mechanism', 'body', 'text']);
    expect(attempt).toThrow(WrongLayoutError);
    expect(attempt).toThrow(
      `Not the recommendations template: the columns document_symbol, paragraph are missing. The template's columns are: ${TEMPLATE_COLUMNS.join(', ')}.`,
    );
  });
});

describe('TemplateMapper rows', () => {
  it('maps a regional recommendation', () => {
    expect(mapRecord(REGIONAL)).toEqual({
      source: 'template',
      annotationId: null,
      mechanism: 'regional',
      body: 'IACHR',
      bodies: ['IACHR'],
      type: 'recommendation',
      documentSymbol: 'OEA/Ser.L/V/II. Doc. 123',
      paragraph: '12',
      text: 'Adopt the legislative measures needed to guarantee the right of indigenous peoples to prior consultation.',
      language: 'en',
      stateUnderReview: 'PER',
      uprCycle: null,
      uprSession: null,
      publishedOn: '2024-03-01',
      indexedOn: null,
      recommendingStates: [],
      recommendingRegions: [],
      regions: [],
      position: null,
      positionSource: null,
      themes: ['indigenous-peoples', 'legal-institutional-reform'],
      themeLabels: ['Indigenous peoples', 'Legal & institutional reform'],
      groups: ['indigenous-peoples'],
      groupLabels: ['Indigenous peoples'],
      sdgGoals: ['16', '10'],
      sdgTargets: ['16.7', '10.2'],
      clusterHeadings: [],
    });
  });

  it('maps a voluntary pledge', () => {
    expect(mapRecord(PLEDGE)).toMatchObject({
      mechanism: 'voluntary_pledge',
      body: 'HR75',
      type: 'pledge',
      paragraph: '1',
      stateUnderReview: 'SVN',
      position: null,
      themes: ['ratification-international-instruments'],
      groups: [],
      sdgGoals: ['16'],
      sdgTargets: [],
      publishedOn: '2023-12-12',
    });
  });

  it('reads lists separated by semicolons or by lines, with or without bullets', () => {
    const record = mapRecord({
      ...REGIONAL,
      recommending_states: 'France; Peru\n- Spain',
      themes: 'Indigenous peoples\nLegal & institutional reform;',
      groups_of_persons: '- Indigenous peoples\n- Women & girls',
      sdgs: '16.7\n10.2; 5',
    });
    expect(record.recommendingStates).toEqual(['France', 'Peru', 'Spain']);
    expect(record.themeLabels).toEqual(['Indigenous peoples', 'Legal & institutional reform']);
    expect(record.groupLabels).toEqual(['Indigenous peoples', 'Women & girls']);
    expect(record.groups).toEqual(['indigenous-peoples', 'women-girls']);
    expect(record.sdgGoals).toEqual(['16', '10', '5']);
    expect(record.sdgTargets).toEqual(['16.7', '10.2']);
  });

  it('accepts spelled-out mechanisms and values in any case', () => {
    const record = mapRecord({
      ...REGIONAL,
      mechanism: 'National plan',
      type: 'Commitment',
      language: 'FR',
      position: 'Supported',
    });
    expect(record).toMatchObject({
      mechanism: 'national_plan',
      type: 'commitment',
      language: 'fr',
      position: 'supported',
    });
  });

  it('gives a UPR row its cycle from the session, and leaves its position pending when none is given', () => {
    const record = mapRecord({ ...REGIONAL, mechanism: 'upr', body: 'UPR', upr_session: '34' });
    expect(record).toMatchObject({ uprSession: 34, uprCycle: 3, position: 'pending' });
  });

  it('keeps a position source and State names it does not know', () => {
    const record = mapRecord({
      ...REGIONAL,
      position_source: 'Government reply of 12 May 2024',
      recommending_states: 'France; Atlantis',
    });
    expect(record.positionSource).toBe('Government reply of 12 May 2024');
    expect(record.recommendingStates).toEqual(['France', 'Atlantis']);
  });

  it.each<[string, Partial<Record<Column, string>>, RegExp]>([
    [
      'an unknown mechanism',
      { mechanism: 'court' },
      /^Unknown mechanism "court": expected one of upr, treaty_body/,
    ],
    ['an empty body', { body: '' }, /^The body is empty/],
    ['an empty document symbol', { document_symbol: '' }, /^The document symbol is empty\.$/],
    [
      'a paragraph that is not a number',
      { paragraph: '(a)' },
      /^The paragraph "\(a\)" is not a paragraph number/,
    ],
    ['an empty paragraph', { paragraph: '' }, /^The paragraph "" is not a paragraph number/],
    ['an empty text', { text: '  ' }, /^The text is empty\.$/],
    [
      'an unknown type',
      { type: 'wish' },
      /^Unknown type "wish": expected recommendation, observation, pledge, commitment\.$/,
    ],
    ['an unknown position', { position: 'Maybe' }, /^Unknown position "Maybe"\.$/],
    [
      'an unknown State under review',
      { state_under_review: 'Atlantis' },
      /^Unknown State under review "Atlantis": give its name or ISO alpha-3 code \(SVN\)\.$/,
    ],
    [
      'an impossible date',
      { published_on: '2024-02-30' },
      /^The date "2024-02-30" is not a date \(YYYY-MM-DD\)\.$/,
    ],
    [
      'a language that is not a UN language',
      { language: 'de' },
      /^Unknown language "de": expected ar, zh, en, fr, ru, es\.$/,
    ],
    [
      'a session that is not a number',
      { upr_session: 'forty' },
      /^The UPR session "forty" is not a number\.$/,
    ],
    [
      'a session that is not a whole positive number',
      { upr_session: '0' },
      /^The UPR session "0" is not a number\.$/,
    ],
  ])('rejects %s, saying why', (_, change, problem) => {
    const mapped = mapper().map(sheetRow({ ...REGIONAL, ...change }));
    expect(mapped.record).toBeUndefined();
    expect(mapped.problems).toEqual([expect.stringMatching(problem)]);
  });

  it('keeps symbol and paragraph on a rejected row and lists all its problems', () => {
    const mapped = mapper().map(sheetRow({ ...REGIONAL, language: 'de', type: 'wish' }));
    expect(mapped).toMatchObject({ documentSymbol: 'OEA/Ser.L/V/II. Doc. 123', paragraph: '12' });
    expect(mapped.problems).toHaveLength(2);
  });

  it('rejects a cell longer than a spreadsheet cell may be', () => {
    const mapped = mapper().map({ ...sheetRow(REGIONAL), oversized: [4] });
    expect(mapped.problems).toEqual(['Column 5 is longer than the 32,767 characters a cell may hold.']);
  });

  it('takes the State under review by its ISO alpha-3 code', () => {
    expect(mapRecord({ ...PLEDGE, state_under_review: 'SVN' }).stateUnderReview).toBe('SVN');
    expect(mapRecord({ ...PLEDGE, state_under_review: 'svn' }).stateUnderReview).toBe('SVN');
  });

  it('keeps labels no concept matches, and warns with the close concept', () => {
    const mapped = mapper().map(sheetRow({ ...REGIONAL, themes: 'Minorities', groups_of_persons: 'Roma' }));
    expect(mapped.record).toMatchObject({
      themes: [],
      themeLabels: ['Minorities'],
      groups: [],
      groupLabels: ['Roma'],
    });
    expect(mapped.warnings).toEqual([
      'The theme "Minorities" matches no theme of the catalogue: it is kept as a label, but no filter finds it. Did you mean "Members of minorities"?',
      'The group of persons "Roma" matches no group of persons of the catalogue: it is kept as a label, but no filter finds it. Did you mean "Roma, Gypsies, Sinti & Travellers"?',
    ]);
  });

  it('says so when no concept is close to an unmatched label', () => {
    const mapped = mapper().map(sheetRow({ ...REGIONAL, themes: 'Astronautics', groups_of_persons: '' }));
    expect(mapped.warnings).toEqual([
      'The theme "Astronautics" matches no theme of the catalogue: it is kept as a label, but no filter finds it. GET /taxonomies/themes lists the known ones.',
    ]);
  });

  it('has no warning when every label matches', () => {
    expect(mapper().map(sheetRow(REGIONAL)).warnings).toBeUndefined();
  });
});
