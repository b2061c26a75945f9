import type { SheetRow } from '../formats';
import { parsePosition, parseType, UHRI_EXPORT_HEADERS, UhriMapper } from './uhri-mapper';
import { WrongLayoutError } from './vocabulary';

const HEADERS = UHRI_EXPORT_HEADERS;
type Header = (typeof HEADERS)[number];

/** Slovenia, cycle 2, A/HRC/28/15 para. 115.3, as the sample export has it. */
const SAMPLE: Record<Header, string> = {
  Text: '115.3 Ratify the Optional Protocol to the Rights of the Child on a communications procedure (Portugal, Slovakia);',
  'Countries Concerned': '- Slovenia',
  'Reccomending Body': '- UPR',
  'Document Symbol': 'A/HRC/28/15',
  Themes: '- A12 Acceptance of international norms',
  'Affected Persons': '- children',
  Sdgs: '',
  'Document Publication Date': '41985',
  'UPR Reccomending States': '- Portugal, Slovakia',
  'UPR Position': '- Supported',
  Type: '- Recommendations',
  'OHCHR Annotation Id': '0786354d-b83e-5c8a-8f93-8099f9106146',
  'UPR Session': '- 20 Session',
  'Regions Concerned': '- Western European and other States',
  'Recommending Regions': '',
  'Date of publication on UHRI': '42015.5',
};

/** A data row of the export, laid out under `headers`. */
function sheetRow(
  values: Partial<Record<Header, string>> = {},
  extra: Partial<SheetRow> = {},
  headers: readonly string[] = HEADERS,
): SheetRow {
  const all = { ...SAMPLE, ...values } as Record<string, string>;
  return { rowNumber: 2, cells: headers.map((header) => all[header] ?? ''), oversized: [], ...extra };
}

const mapper = () => UhriMapper.fromHeader([...HEADERS]);

function mapRecord(values: Partial<Record<Header, string>> = {}) {
  const mapped = mapper().map(sheetRow(values));
  if (!mapped.record) throw new Error(`expected a record, got problems: ${mapped.problems.join(' | ')}`);
  return mapped.record;
}

function mapProblems(values: Partial<Record<Header, string>>, extra: Partial<SheetRow> = {}) {
  const mapped = mapper().map(sheetRow(values, extra));
  expect(mapped.record).toBeUndefined();
  return mapped.problems ?? [];
}

describe('UhriMapper headers', () => {
  it("recognises the export's header row in OHCHR's spelling", () => {
    expect(UhriMapper.isHeader([...HEADERS])).toBe(true);
    expect(() => UhriMapper.fromHeader([...HEADERS])).not.toThrow();
  });

  it('recognises the correct spelling, other cases, spacing and underscores', () => {
    const variants = [
      HEADERS.map((header) => header.replace('Reccomending', 'Recommending')),
      HEADERS.map((header) => header.toUpperCase()),
      HEADERS.map((header) => `  ${header.toLowerCase().replace(/ /g, '_')} `),
      HEADERS.map((header) => header.replace(/ /g, '  ')),
    ];
    for (const headers of variants) {
      expect(UhriMapper.isHeader(headers)).toBe(true);
      const mapped = UhriMapper.fromHeader(headers).map(sheetRow({}, {}, HEADERS));
      expect(mapped.record).toMatchObject({ body: 'UPR', paragraph: '115.3', stateUnderReview: 'SVN' });
    }
  });

  it('reads the columns by name, whatever their order', () => {
    const shuffled = [...HEADERS].reverse();
    const mapped = UhriMapper.fromHeader(shuffled).map(sheetRow({}, {}, shuffled));
    expect(mapped.record).toMatchObject({
      paragraph: '115.3',
      recommendingStates: ['Portugal', 'Slovakia'],
      annotationId: '0786354d-b83e-5c8a-8f93-8099f9106146',
    });
  });

  it('does not take a title row or another table for the header', () => {
    expect(UhriMapper.isHeader(['Universal Human Rights Index', '', ''])).toBe(false);
    expect(UhriMapper.isHeader(['Text', 'Document Symbol'])).toBe(false);
    expect(UhriMapper.isHeader(['Name', 'Ministry', 'Budget'])).toBe(false);
  });

  it('names the missing columns and lists the headers it found', () => {
    const attempt = () => UhriMapper.fromHeader(['Text', 'Themes', '', 'Budget']);
    expect(attempt).toThrow(WrongLayoutError);
    expect(attempt).toThrow(
      'Not a UHRI export: the columns "Reccomending Body", "Document Symbol" are missing. Found: "Text", "Themes", "Budget".',
    );
  });

  it('names a single missing column', () => {
    const headers = HEADERS.filter((header) => header !== 'Document Symbol');
    expect(() => UhriMapper.fromHeader(headers)).toThrow(
      /the column "Document Symbol" is missing\. Found: "Text"/,
    );
  });

  it('says so when the row has no headers at all', () => {
    expect(() => UhriMapper.fromHeader(['', ''])).toThrow(/Found: no headers\./);
  });
});

describe('UhriMapper rows', () => {
  it('maps a UPR recommendation of the sample export', () => {
    const record = mapRecord();
    expect(record).toMatchObject({
      source: 'uhri',
      annotationId: '0786354d-b83e-5c8a-8f93-8099f9106146',
      mechanism: 'upr',
      body: 'UPR',
      type: 'recommendation',
      documentSymbol: 'A/HRC/28/15',
      paragraph: '115.3',
      text: 'Ratify the Optional Protocol to the Rights of the Child on a communications procedure (Portugal, Slovakia);',
      language: 'en',
      stateUnderReview: 'SVN',
      uprCycle: 2,
      uprSession: 20,
      publishedOn: '2014-12-12',
      indexedOn: '2015-01-11',
      recommendingStates: ['Portugal', 'Slovakia'],
      recommendingRegions: [],
      regions: ['Western European and other States'],
      position: 'supported',
      positionSource: null,
      themeLabels: ['A12 Acceptance of international norms'],
      groupLabels: ['children'],
      sdgGoals: [],
      sdgTargets: [],
      clusterHeadings: [],
    });
    expect(record.themes).toEqual(['ratification-international-instruments']);
    expect(record.groups).toEqual(['children']);
  });

  it('keeps annotation ids in lower case, so upper-case exports match', () => {
    const record = mapRecord({ 'OHCHR Annotation Id': '0786354D-B83E-5C8A-8F93-8099F9106146' });
    expect(record.annotationId).toBe('0786354d-b83e-5c8a-8f93-8099f9106146');
  });

  it('reads "Supported/Noted" as supported in part', () => {
    expect(mapRecord({ 'UPR Position': '- Supported/Noted' }).position).toBe('supported_in_part');
  });

  it('reads a noted recommendation', () => {
    expect(mapRecord({ 'UPR Position': '- Noted' }).position).toBe('noted');
  });

  it('leaves an empty UPR position to other sources (stored as pending when none has one)', () => {
    expect(mapRecord({ 'UPR Position': '' }).position).toBeNull();
  });

  it('maps a treaty-body observation, reading the paragraph after its heading', () => {
    const record = mapRecord({
      Text: 'Rural women 49. The Committee recommends that the State party adopt a comprehensive strategy for rural women.',
      'Reccomending Body': '- CEDAW',
      'Document Symbol': 'CEDAW/C/SVN/CO/7',
      Type: '- Concerns/Observations',
      'UPR Position': '',
      'UPR Reccomending States': '',
      'UPR Session': '',
      Themes: '- Women & girls',
      'Affected Persons': '- Rural women',
    });
    expect(record).toMatchObject({
      mechanism: 'treaty_body',
      body: 'CEDAW',
      type: 'observation',
      documentSymbol: 'CEDAW/C/SVN/CO/7',
      paragraph: '49',
      text: 'The Committee recommends that the State party adopt a comprehensive strategy for rural women.',
      position: null,
      uprSession: null,
      uprCycle: null,
      recommendingStates: [],
      stateUnderReview: 'SVN',
    });
  });

  it('reads SDG targets and goals; a target implies its goal', () => {
    const record = mapRecord({
      Sdgs: '- 1.4 - Equal rights to economic resources\n- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS',
    });
    expect(record.sdgTargets).toEqual(['1.4']);
    expect(record.sdgGoals).toEqual(expect.arrayContaining(['1', '16']));
    expect(record.sdgGoals).toHaveLength(2);
  });

  it('reads multi-valued cells line by line', () => {
    const record = mapRecord({
      Themes: '- A12 Acceptance of international norms\n- D29 Domestic violence\n',
      'Affected Persons': '- children\n- women',
      'Recommending Regions': '- Eastern European States\n- Western European and other States',
    });
    expect(record.themeLabels).toEqual(['A12 Acceptance of international norms', 'D29 Domestic violence']);
    expect(record.themes).toHaveLength(2);
    expect(record.groupLabels).toEqual(['children', 'women']);
    expect(record.recommendingRegions).toEqual([
      'Eastern European States',
      'Western European and other States',
    ]);
  });

  it('keeps a recommending State it does not know rather than dropping it', () => {
    const record = mapRecord({ 'UPR Reccomending States': '- Portugal, Atlantis' });
    expect(record.recommendingStates).toEqual(['Portugal', 'Atlantis']);
  });

  it('normalises the document symbol', () => {
    expect(mapRecord({ 'Document Symbol': '- a/hrc/28/15' }).documentSymbol).toBe('A/HRC/28/15');
  });

  it.each<[string, Partial<Record<Header, string>>, RegExp]>([
    ['an unknown position', { 'UPR Position': '- Maybe' }, /Unknown UPR position "Maybe"/],
    ['an annotation id that is not a UUID', { 'OHCHR Annotation Id': '12345' }, /"12345" is not a UUID/],
    [
      'a publication date that is not a date',
      { 'Document Publication Date': 'yesterday' },
      /publication date "yesterday" is not a date/,
    ],
    [
      'a UHRI date that is not a date',
      { 'Date of publication on UHRI': '31/02/2015' },
      /UHRI publication date "31\/02\/2015" is not a date/,
    ],
    [
      'an unknown body',
      { 'Reccomending Body': '- Ministry of Magic' },
      /Unknown recommending body "Ministry of Magic"/,
    ],
    ['an empty text', { Text: '' }, /^The text is empty\.$/],
    ['a text without paragraph number', { Text: 'Ratify OP3-CRC (Portugal);' }, /No paragraph number/],
    ['an empty symbol', { 'Document Symbol': '' }, /document symbol is empty/],
    ['an unknown type', { Type: '- Wishes' }, /Unknown type "Wishes"/],
    ['an unknown country', { 'Countries Concerned': '- Atlantis' }, /Unknown country concerned "Atlantis"/],
    ['an unknown session', { 'UPR Session': '- the last one' }, /Unknown UPR session "the last one"/],
  ])('rejects %s, saying why', (_, values, problem) => {
    expect(mapProblems(values)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('keeps symbol and paragraph on a rejected row, for the report', () => {
    const mapped = mapper().map(sheetRow({ 'UPR Position': '- Maybe' }));
    expect(mapped).toMatchObject({ rowNumber: 2, documentSymbol: 'A/HRC/28/15', paragraph: '115.3' });
  });

  it('lists every problem of a row, not only the first', () => {
    const problems = mapProblems({ 'UPR Position': '- Maybe', 'OHCHR Annotation Id': 'x', Type: '- ?' });
    expect(problems).toHaveLength(3);
  });

  it('rejects a cell longer than a spreadsheet cell may be, naming its column', () => {
    const problems = mapProblems({}, { oversized: [0] });
    expect(problems).toEqual(['The "Text" cell is longer than the 32,767 characters a cell may hold.']);
  });
});

describe('parsePosition and parseType', () => {
  it.each([
    ['Supported', 'supported'],
    ['accepted', 'supported'],
    ['Noted', 'noted'],
    ['Not supported', 'noted'],
    ['Supported / Noted', 'supported_in_part'],
    ['Supported in part', 'supported_in_part'],
    ['Pending', 'pending'],
    ['', null],
    ['Maybe', undefined],
  ])('position %p → %p', (value, expected) => {
    expect(parsePosition(value)).toBe(expected);
  });

  it.each([
    ['Recommendations', 'recommendation'],
    ['Concerns/Observations', 'observation'],
    ['Observations', 'observation'],
    ['', 'recommendation'],
    ['Wishes', undefined],
  ])('type %p → %p', (value, expected) => {
    expect(parseType(value)).toBe(expected);
  });
});

describe('UhriMapper on shapes of the full Index', () => {
  it.each([
    ['109.9..1 Continue its efforts;', '109.9.1'],
    ['112.9.3..1 Adopt the law;', '112.9.3.1'],
    ['135 1. Ratify the Convention;', '135.1'],
    ['111. 29 Strengthen the national institution;', '111.29'],
  ])('reads the UPR paragraph of %j', (text, paragraph) => {
    expect(mapRecord({ Text: text }).paragraph).toBe(paragraph);
  });

  it('rejects a paragraph number that stays ambiguous, quoting the text', () => {
    expect(mapProblems({ Text: '135 1 Ratify the Convention against Torture;' })).toEqual([
      'The paragraph number "135 1" at the start of "135 1 Ratify the Convention against Torture;" is ambiguous: write it as the report numbers it (e.g. "135.1").',
    ]);
  });

  it('reads a treaty-body text with no space after the number: "4.The Committee…"', () => {
    const record = mapRecord({
      Text: '4.The Committee recommends that the State party ratify the Convention.',
      'Reccomending Body': '- CAT',
      'Document Symbol': 'CAT/C/SVN/CO/3',
      Type: '- Concerns/Observations',
      'UPR Position': '',
      'UPR Session': '',
    });
    expect(record).toMatchObject({
      body: 'CAT',
      paragraph: '4',
      text: 'The Committee recommends that the State party ratify the Convention.',
    });
  });

  it('keeps only the text of a Text cell with HTML markup', () => {
    expect(
      mapRecord({ Text: '<p>115.3 Ratify the <em>Optional Protocol</em> &amp; report&nbsp;on it;</p>' }).text,
    ).toBe('Ratify the Optional Protocol & report on it;');
  });

  it('reads "Date of publication on UHRI" with a time of day', () => {
    expect(mapRecord({ 'Date of publication on UHRI': '46125.4996282407' }).indexedOn).toBe('2026-04-13');
  });

  it('reads an SDG cell that names its target', () => {
    const record = mapRecord({ Sdgs: '- 1.4 - Equal rights to economic resources' });
    expect(record).toMatchObject({ sdgGoals: ['1'], sdgTargets: ['1.4'] });
  });

  const SP = {
    'Document Symbol': 'A/HRC/40/59/Add.1',
    Text: '12. The Special Rapporteur recommends that the Government adopt a definition of torture.',
    Type: '- Recommendations',
    'UPR Position': '',
    'UPR Session': '',
    'UPR Reccomending States': '',
  };

  it.each([
    ['- SR on torture', 'SR on torture'],
    ['- IE on older persons', 'IE on older persons'],
    ['- WG on arbitrary detention', 'WG on arbitrary detention'],
  ])('reads the Special Procedures body %j', (cell, code) => {
    expect(mapRecord({ ...SP, 'Reccomending Body': cell })).toMatchObject({
      mechanism: 'special_procedure',
      body: code,
    });
  });

  it('keeps every Special Procedures body of a joint text, the first as its body', () => {
    const mapped = mapper().map(
      sheetRow({
        ...SP,
        'Reccomending Body': '- SR on torture\n- WG on arbitrary detention\n- IE on older persons',
      }),
    );
    expect(mapped.record).toMatchObject({
      mechanism: 'special_procedure',
      body: 'SR on torture',
      bodies: ['SR on torture', 'WG on arbitrary detention', 'IE on older persons'],
    });
    expect(mapped.warnings).toBeUndefined();
  });

  it('keeps the known bodies of a joint text and names the one it does not know', () => {
    const mapped = mapper().map(
      sheetRow({
        ...SP,
        'Reccomending Body': '- SR on torture\n- SR on something unheard of\n- WG on arbitrary detention',
      }),
    );
    expect(mapped.record?.bodies).toEqual(['SR on torture', 'WG on arbitrary detention']);
    expect(mapped.warnings).toEqual([
      'Several bodies in one cell: the recommendation is filed under SR on torture, WG on arbitrary detention; not recognised: "SR on something unheard of".',
    ]);
  });

  it('reads one body as a list of one', () => {
    expect(mapRecord({ ...SP, 'Reccomending Body': '- SR on torture' })).toMatchObject({
      bodies: ['SR on torture'],
    });
  });

  it('rejects a row with an annotation id but no symbol, saying how to supply it', () => {
    expect(mapProblems({ 'Document Symbol': '' })).toEqual([
      'The document symbol is empty: annotation 0786354d-b83e-5c8a-8f93-8099f9106146 cannot be matched to its report without it. Fill the "Document Symbol" column, or send documentSymbol with the upload for the rows that lack it.',
    ]);
  });

  it('takes the symbol sent with the upload for a row without one', () => {
    const mapped = UhriMapper.fromHeader([...HEADERS], { documentSymbol: 'A/HRC/28/15' }).map(
      sheetRow({ 'Document Symbol': '' }),
    );
    expect(mapped.record).toMatchObject({ documentSymbol: 'A/HRC/28/15', paragraph: '115.3' });
  });

  it('warns about a theme no concept matches, suggesting the close one', () => {
    const mapped = mapper().map(sheetRow({ 'Affected Persons': '- Roma' }));
    expect(mapped.record?.groupLabels).toEqual(['Roma']);
    expect(mapped.record?.groups).toEqual([]);
    expect(mapped.warnings).toEqual([
      'The group of persons "Roma" matches no group of persons of the catalogue: it is kept as a label, but no filter finds it. Did you mean "Roma, Gypsies, Sinti & Travellers"?',
    ]);
  });
});

describe('UhriMapper over many rows', () => {
  it('classifies a repeated label cell once per cycle, with the same result as a fresh mapper', () => {
    const shared = mapper();
    const cells = {
      Themes: '- A12 Acceptance of international norms\n- Minorities',
      'Affected Persons': '- Roma',
      Sdgs: '- 1.4 - Equal rights to economic resources',
      'UPR Reccomending States': '- Portugal, Slovakia',
    };
    for (const session of ['- 20 Session', '- 34 Session', '- 20 Session']) {
      const values = { ...cells, 'UPR Session': session };
      const fresh = mapper().map(sheetRow(values));
      const reused = shared.map(sheetRow(values));
      expect(reused).toEqual(fresh);
      expect(reused.warnings?.length).toBeGreaterThan(0);
    }
    // Another cell is classified as itself, not as the one before.
    const other = shared.map(sheetRow({ ...cells, Themes: '- Minorities' })).record;
    expect(other?.themeLabels).toEqual(['Minorities']);
    expect(other?.sdgGoals).toEqual(['1']);
    expect(other?.sdgTargets).toEqual(['1.4']);
  });
});
