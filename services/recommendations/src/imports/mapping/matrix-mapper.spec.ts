import type { TableRow } from '../formats';
import type { MappedRow } from '../../catalogue/merged-record';
import { MatrixMapper, parseMatrixTitle, statesInText, type MatrixContext } from './matrix-mapper';

const CYCLE_2_3_HEADER = [
  ['Recommendation'],
  ['Position'],
  ['Full list of themes'],
  ['Assessment/comments on level of implementation'],
];
const CYCLE_4_HEADER = [
  ['Recommendation and recommending State'],
  ['Position of the State under review'],
  ['Human rights themes and groups of persons'],
  ['Relevant SDGs'],
];

let rowIndex = 0;
const tableRow = (cells: string[][], oversized = false): TableRow => ({
  tableIndex: 0,
  rowIndex: rowIndex++,
  cells,
  oversized,
});

/** Feeds rows to a new mapper, numbering them from 1 as the importer does; returns what each gave. */
function feed(
  context: MatrixContext,
  rows: string[][][],
): { mapper: MatrixMapper; out: (MappedRow | undefined)[] } {
  const mapper = new MatrixMapper(context);
  const out = rows.map((cells, i) => mapper.map(tableRow(cells), i + 1));
  return { mapper, out };
}

/** The last row's record, failing with its problems if it has none. */
function lastRecord(context: MatrixContext, rows: string[][][]) {
  const { out } = feed(context, rows);
  const last = out[out.length - 1];
  if (!last?.record) throw new Error(`expected a record, got ${JSON.stringify(last)}`);
  return last.record;
}

function lastProblems(context: MatrixContext, rows: string[][][]): string[] {
  const { out } = feed(context, rows);
  const last = out[out.length - 1];
  expect(last).toBeDefined();
  expect(last?.record).toBeUndefined();
  return last?.problems ?? [];
}

// Slovenia, cycle 2 (A/HRC/28/15), as the real matrix lays out paragraph 115.18.
const SLOVENIA_C2: MatrixContext = { stateUnderReview: 'SVN', uprSession: 20 };
const ISTANBUL_CONVENTION = [
  [
    '115.18 Ratify the Council of Europe Convention on Preventing and Combating Violence against Women and Domestic Violence, also known as the Istanbul Convention, which it signed on 8 September 2011 (Turkey); ',
    'Source of position: A/HRC/28/15/Add.1 - Para. 4',
  ],
  ['Supported'],
  [
    'A12 Acceptance of international norms',
    'D29 Domestic violence',
    'F13 Violence against women',
    'Affected persons:',
    '- women',
  ],
  [''],
];

const CHILE_C4: MatrixContext = { stateUnderReview: 'CHL', uprSession: 43 };
const OPCAT = [
  [
    '43.1 Ratify the Optional Protocol to the Convention against Torture (Chile) (France);',
    'Source of position: A/HRC/59/15/Add.1 - Para. 5',
  ],
  ['Supported'],
  [
    '- Ratification of & accession to international instruments',
    '- Prohibition of torture & cruel, inhuman or degrading treatment',
    'Affected persons:',
    '- Persons deprived of their liberty & detainees',
  ],
  ['- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS'],
];

describe('MatrixMapper, cycle 2/3 layout', () => {
  const rows = [CYCLE_2_3_HEADER, [['Theme: A12 Acceptance of international norms']], ISTANBUL_CONVENTION];

  it('takes the header and heading rows as layout, not as recommendations', () => {
    const { mapper, out } = feed(SLOVENIA_C2, rows);
    expect(mapper.layoutName).toBe('cycle 2/3');
    expect(out[0]).toBeUndefined();
    expect(out[1]).toBeUndefined();
    expect(out[2]?.record).toBeDefined();
  });

  it('maps a recommendation of the real cycle-2 matrix', () => {
    const record = lastRecord(SLOVENIA_C2, rows);
    expect(record).toMatchObject({
      source: 'upr_matrix',
      annotationId: null,
      mechanism: 'upr',
      body: 'UPR',
      type: 'recommendation',
      documentSymbol: 'A/HRC/28/15',
      paragraph: '115.18',
      stateUnderReview: 'SVN',
      uprSession: 20,
      uprCycle: 2,
      position: 'supported',
      positionSource: 'A/HRC/28/15/Add.1 - Para. 4',
      clusterHeadings: ['A12 Acceptance of international norms'],
      recommendingStates: ['Türkiye'],
      themeLabels: [
        'A12 Acceptance of international norms',
        'D29 Domestic violence',
        'F13 Violence against women',
      ],
      groupLabels: ['women'],
      sdgGoals: [],
    });
    expect(record.text).toMatch(/^Ratify the Council of Europe Convention .* \(Turkey\);$/);
    expect(record.themes).toContain('ratification-international-instruments');
    expect(record.groups).toEqual(['women-girls']);
  });

  it('reads the "SDGs:" and "Affected persons:" sections of a cycle-3 themes cell', () => {
    const record = lastRecord({ stateUnderReview: 'SVN', uprSession: 34 }, [
      CYCLE_2_3_HEADER,
      [
        [
          '121.2 Ratify the International Convention for the Protection of All Persons from Enforced Disappearance (Ukraine) (Slovakia);',
          'Source of position: A/HRC/43/15/Add.1 - Para. 2',
        ],
        ['Supported'],
        [
          '- Acceptance of international norms',
          '- Enforced disappearances',
          'SDGs: ',
          '- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS',
          'Affected persons: ',
          '- Disappeared persons',
        ],
        [''],
      ],
    ]);
    expect(record).toMatchObject({
      documentSymbol: 'A/HRC/43/15',
      uprCycle: 3,
      sdgGoals: ['16'],
      sdgTargets: [],
      themeLabels: ['Acceptance of international norms', 'Enforced disappearances'],
      groupLabels: ['Disappeared persons'],
      recommendingStates: ['Ukraine', 'Slovakia'],
    });
    expect(record.themes).toEqual(['ratification-international-instruments', 'enforced-disappearances']);
  });

  it('files each recommendation under the latest heading above it', () => {
    const { out } = feed(SLOVENIA_C2, [
      CYCLE_2_3_HEADER,
      [['Theme: A12 Acceptance of international norms']],
      ISTANBUL_CONVENTION,
      [['Theme: D29 Domestic violence']],
      [
        [
          '115.90 Adopt a national strategy on domestic violence (Spain);',
          'Source of position: A/HRC/28/15/Add.1 - Para. 5',
        ],
        ['Noted'],
        ['D29 Domestic violence'],
        [''],
      ],
    ]);
    expect(out[2]?.record?.clusterHeadings).toEqual(['A12 Acceptance of international norms']);
    expect(out[4]?.record).toMatchObject({
      clusterHeadings: ['D29 Domestic violence'],
      position: 'noted',
      recommendingStates: ['Spain'],
    });
  });

  it('skips blank rows', () => {
    const { out } = feed(SLOVENIA_C2, [CYCLE_2_3_HEADER, [[''], [''], [''], ['']], ISTANBUL_CONVENTION]);
    expect(out[1]).toBeUndefined();
    expect(out[2]?.record?.paragraph).toBe('115.18');
  });
});

describe('MatrixMapper, cycle 4 layout', () => {
  const heading = [['Ratification of & accession to international instruments']];

  it('recognises the cycle-4 header', () => {
    const { mapper } = feed(CHILE_C4, [CYCLE_4_HEADER]);
    expect(mapper.layoutName).toBe('cycle 4');
  });

  it('maps a recommendation with its States in the text and its SDGs in their own column', () => {
    const record = lastRecord(CHILE_C4, [CYCLE_4_HEADER, heading, OPCAT]);
    expect(record).toMatchObject({
      documentSymbol: 'A/HRC/59/15',
      paragraph: '43.1',
      text: 'Ratify the Optional Protocol to the Convention against Torture (Chile) (France);',
      stateUnderReview: 'CHL',
      uprSession: 43,
      uprCycle: 4,
      position: 'supported',
      positionSource: 'A/HRC/59/15/Add.1 - Para. 5',
      recommendingStates: ['Chile', 'France'],
      sdgGoals: ['16'],
      sdgTargets: [],
      clusterHeadings: ['Ratification of & accession to international instruments'],
      themeLabels: [
        'Ratification of & accession to international instruments',
        'Prohibition of torture & cruel, inhuman or degrading treatment',
      ],
      groupLabels: ['Persons deprived of their liberty & detainees'],
    });
    expect(record.themes).toEqual(['ratification-international-instruments', 'prohibition-of-torture']);
    expect(record.groups).toEqual(['persons-deprived-of-liberty']);
  });

  it('reads a separate "Recommending State:" paragraph and keeps it out of the text', () => {
    const record = lastRecord(CHILE_C4, [
      CYCLE_4_HEADER,
      heading,
      [
        [
          '43.2 Ratify the Optional Protocol to the Convention against Torture;',
          'Recommending State: Chile',
          'Source of position: A/HRC/59/15/Add.1 - Para. 5',
        ],
        ['Noted'],
        ['- Ratification of & accession to international instruments'],
        ['- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS', '- 16.3 - Rule of law and equal access to justice'],
      ],
    ]);
    expect(record).toMatchObject({
      paragraph: '43.2',
      text: 'Ratify the Optional Protocol to the Convention against Torture;',
      recommendingStates: ['Chile'],
      position: 'noted',
      sdgGoals: ['16'],
      sdgTargets: ['16.3'],
    });
  });

  it('reads several States from a "Recommending States:" paragraph', () => {
    const record = lastRecord(CHILE_C4, [
      CYCLE_4_HEADER,
      [
        [
          '43.3 Ratify the Optional Protocol to the Convention against Torture;',
          'Recommending States: France, Bolivia (Plurinational State of)',
          'Source of position: A/HRC/59/15/Add.1 - Para. 5',
        ],
        ['Supported'],
        ['- Ratification of & accession to international instruments'],
        [''],
      ],
    ]);
    expect(record.recommendingStates).toEqual(['France', 'Bolivia (Plurinational State of)']);
  });

  it('finds the source of position in the position cell too', () => {
    const record = lastRecord(CHILE_C4, [
      CYCLE_4_HEADER,
      [
        ['43.4 Ratify the Optional Protocol to the Convention against Torture (France);'],
        ['Supported', 'Source of position: A/HRC/59/15/Add.1 - Para. 5'],
        ['- Ratification of & accession to international instruments'],
        [''],
      ],
    ]);
    expect(record).toMatchObject({
      position: 'supported',
      documentSymbol: 'A/HRC/59/15',
      positionSource: 'A/HRC/59/15/Add.1 - Para. 5',
    });
  });
});

describe('MatrixMapper, rows it cannot read', () => {
  const dataRow = (recommendation: string[], position = ['Supported']) => [
    recommendation,
    position,
    ['A12 Acceptance of international norms'],
    [''],
  ];

  it('rejects a recommendation without paragraph number', () => {
    const problems = lastProblems(SLOVENIA_C2, [
      CYCLE_2_3_HEADER,
      dataRow([
        'Ratify the Istanbul Convention (Turkey);',
        'Source of position: A/HRC/28/15/Add.1 - Para. 4',
      ]),
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/No paragraph number at the start of the recommendation/),
    ]);
  });

  it('rejects an unknown position, naming it', () => {
    const { out } = feed(SLOVENIA_C2, [
      CYCLE_2_3_HEADER,
      dataRow(
        [
          '115.18 Ratify the Istanbul Convention (Turkey);',
          'Source of position: A/HRC/28/15/Add.1 - Para. 4',
        ],
        ['Maybe'],
      ),
    ]);
    expect(out[1]).toEqual({
      rowNumber: 2,
      problems: ['Unknown position "Maybe": expected Supported or Noted.'],
      documentSymbol: 'A/HRC/28/15',
      paragraph: '115.18',
    });
  });

  it('rejects a row with no source of position when the upload gave no symbol either', () => {
    const problems = lastProblems(SLOVENIA_C2, [
      CYCLE_2_3_HEADER,
      dataRow(['115.18 Ratify the Istanbul Convention (Turkey);']),
    ]);
    expect(problems).toEqual([expect.stringMatching(/No outcome-report symbol/)]);
  });

  it('uses the symbol given with the upload when the row has no source of position', () => {
    const record = lastRecord({ ...SLOVENIA_C2, documentSymbol: 'A/HRC/28/15' }, [
      CYCLE_2_3_HEADER,
      dataRow(['115.18 Ratify the Istanbul Convention (Turkey);']),
    ]);
    expect(record).toMatchObject({
      documentSymbol: 'A/HRC/28/15',
      positionSource: null,
      paragraph: '115.18',
    });
  });

  it('rejects a row with a cell that was too long to read whole', () => {
    const mapper = new MatrixMapper(SLOVENIA_C2);
    mapper.map(tableRow(CYCLE_2_3_HEADER), 1);
    const mapped = mapper.map(tableRow(ISTANBUL_CONVENTION, true), 2);
    expect(mapped?.problems).toEqual([expect.stringMatching(/32,767/)]);
  });

  it('still maps a row without context, leaving State, session and cycle empty', () => {
    const record = lastRecord({}, [CYCLE_2_3_HEADER, ISTANBUL_CONVENTION]);
    expect(record).toMatchObject({ stateUnderReview: null, uprSession: null, uprCycle: null });
  });

  it('ignores tables before the matrix and non-matrix tables after it', () => {
    const mapper = new MatrixMapper(SLOVENIA_C2);
    const titleBlock = { ...tableRow([['UPR of Slovenia'], ['2nd cycle']]), tableIndex: 0 };
    expect(mapper.map(titleBlock, 1)).toBeUndefined();
    expect(mapper.layoutName).toBeUndefined();
    expect(mapper.map({ ...tableRow(CYCLE_2_3_HEADER), tableIndex: 1 }, 2)).toBeUndefined();
    expect(mapper.map({ ...tableRow(ISTANBUL_CONVENTION), tableIndex: 1 }, 3)?.record).toBeDefined();
    const abbreviations = { ...tableRow([['Abbreviation'], ['Meaning']]), tableIndex: 2 };
    for (let rowNumber = 4; rowNumber <= 8; rowNumber++)
      expect(mapper.map(abbreviations, rowNumber)).toBeUndefined();
  });

  it('reads a matrix continued in a second table without its own header', () => {
    const mapper = new MatrixMapper(SLOVENIA_C2);
    mapper.map({ ...tableRow(CYCLE_2_3_HEADER), tableIndex: 0 }, 1);
    expect(mapper.map({ ...tableRow(ISTANBUL_CONVENTION), tableIndex: 1 }, 2)?.record).toBeDefined();
  });

  it('finds the header below a few title rows', () => {
    const { mapper, out } = feed(SLOVENIA_C2, [
      [['UPR of Slovenia (2nd Cycle – 20th session)']],
      [['Thematic list of recommendations']],
      CYCLE_2_3_HEADER,
      ISTANBUL_CONVENTION,
    ]);
    expect(mapper.layoutName).toBe('cycle 2/3');
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]?.record?.paragraph).toBe('115.18');
  });
});

describe('parseMatrixTitle', () => {
  it.each<[string, MatrixContext]>([
    ['UPR of Slovenia (2nd Cycle – 20th session)', { stateUnderReview: 'SVN', uprSession: 20 }],
    ['UPR of Slovenia (3rd Cycle - 34th Session)', { stateUnderReview: 'SVN', uprSession: 34 }],
    ['UPR of Chile (4th Cycle – 43rd session)', { stateUnderReview: 'CHL', uprSession: 43 }],
    [
      'UPR of Bolivia (Plurinational State of) (4th Cycle – 46th session)',
      { stateUnderReview: 'BOL', uprSession: 46 },
    ],
    ['UPR of Türkiye (4th Cycle – 49th session)', { stateUnderReview: 'TUR', uprSession: 49 }],
    ['Thematic list of recommendations', {}],
    ['UPR of Atlantis (4th Cycle – 43rd session)', { uprSession: 43 }],
  ])('%s', (title, expected) => {
    expect(parseMatrixTitle(title)).toEqual(expected);
  });
});

describe('statesInText', () => {
  it('reads the recommending States from the parentheses and ignores other parentheses', () => {
    expect(
      statesInText('Ratify ILO Convention (No. 189) (France) (Bolivia (Plurinational State of));'),
    ).toEqual(['France', 'Bolivia (Plurinational State of)']);
    expect(statesInText('Ratify the Istanbul Convention (Portugal, Slovakia);')).toEqual([
      'Portugal',
      'Slovakia',
    ]);
    expect(statesInText('Adopt the law (as amended in 2019);')).toEqual([]);
  });
});
