import {
  normalizeDocumentSymbol,
  parseDocumentSymbol,
  parseParagraph,
  unreadableParagraph,
} from './document-symbols';

describe('parseDocumentSymbol', () => {
  it('reads a UPR Working Group report and its addendum', () => {
    expect(parseDocumentSymbol('A/HRC/28/15')).toEqual({
      normalized: 'A/HRC/28/15',
      kind: 'upr_outcome',
      hrcSession: 28,
    });
    expect(parseDocumentSymbol('A/HRC/28/15/Add.1')).toEqual({
      normalized: 'A/HRC/28/15/Add.1',
      kind: 'upr_outcome',
      hrcSession: 28,
      addendum: 1,
      report: 'A/HRC/28/15',
    });
    expect(parseDocumentSymbol(' a/hrc/ 43/15 / add. 1 ')?.normalized).toBe('A/HRC/43/15/Add.1');
  });

  it.each([
    ['CEDAW/C/SVN/CO/7', 'CEDAW', '7'],
    ['CCPR/C/SVN/CO/3', 'CCPR', '3'],
    ['CRC/C/SVN/CO/3-4', 'CRC', '3-4'],
    ['E/C.12/SVN/CO/2', 'CESCR', '2'],
    ['CAT/C/SVN/CO/3', 'CAT', '3'],
    ['CERD/C/SVN/CO/8-11', 'CERD', '8-11'],
    ['CRPD/C/SVN/CO/1', 'CRPD', '1'],
    ['CED/C/MEX/CO/1', 'CED', '1'],
    ['CMW/C/MEX/CO/3', 'CMW', '3'],
    ['cedaw/c/svn/co/7', 'CEDAW', '7'],
    ['CEDAW / C / SVN / CO / 7', 'CEDAW', '7'],
  ])('%s is concluding observations of %s', (symbol, body, reportNumber) => {
    const stateIso3 = symbol.toUpperCase().includes('MEX') ? 'MEX' : 'SVN';
    expect(parseDocumentSymbol(symbol)).toEqual({
      normalized: symbol.toUpperCase().replace(/\s/g, ''),
      kind: 'concluding_observations',
      body,
      stateIso3,
      reportNumber,
    });
  });

  it('reads other treaty-body and UPR documents', () => {
    expect(parseDocumentSymbol('CRC/C/OPSC/SVN/CO/1')).toMatchObject({
      kind: 'concluding_observations',
      body: 'CRC',
      optionalProtocol: 'OPSC',
    });
    expect(parseDocumentSymbol('CCPR/C/SVN/QPR/4')).toMatchObject({ kind: 'list_of_issues', body: 'CCPR' });
    expect(parseDocumentSymbol('CEDAW/C/SVN/7')).toMatchObject({
      kind: 'state_party_report',
      reportNumber: '7',
    });
    expect(parseDocumentSymbol('CEDAW/C/SVN/CO/7/Add.1')).toMatchObject({
      kind: 'concluding_observations',
      addendum: 1,
      report: 'CEDAW/C/SVN/CO/7',
    });
    expect(parseDocumentSymbol('CAT/OP/SVN/1')).toMatchObject({ kind: 'treaty_body_document', body: 'SPT' });
    expect(parseDocumentSymbol('CCPR/CO/84/SVN')).toMatchObject({
      kind: 'concluding_observations',
      body: 'CCPR',
    });
    expect(parseDocumentSymbol('CRC/C/15/Add.230')).toMatchObject({
      kind: 'treaty_body_document',
      body: 'CRC',
    });
    expect(parseDocumentSymbol('A/HRC/WG.6/20/SVN/1')).toEqual({
      normalized: 'A/HRC/WG.6/20/SVN/1',
      kind: 'upr_national_report',
      uprSession: 20,
      stateIso3: 'SVN',
    });
  });

  it('tells a Special Procedures visit report only as far as the symbol allows', () => {
    expect(parseDocumentSymbol('A/HRC/40/52/Add.2')).toMatchObject({
      kind: 'special_procedure_report',
      hrcSession: 40,
      addendum: 2,
    });
    expect(parseDocumentSymbol('A/HRC/40/52')).toMatchObject({ kind: 'hrc_document' });
    expect(parseDocumentSymbol('A/HRC/RES/30/25')).toMatchObject({ kind: 'hrc_document' });
    expect(parseDocumentSymbol('A/HRC/40/8', { kind: 'special_procedure' })).toMatchObject({
      kind: 'special_procedure_report',
    });
    expect(parseDocumentSymbol('A/HRC/40/52', { kind: 'upr' })).toMatchObject({ kind: 'upr_outcome' });
  });

  it('is undefined for what is not a symbol', () => {
    expect(parseDocumentSymbol('')).toBeUndefined();
    expect(parseDocumentSymbol('Slovenia')).toBeUndefined();
    expect(normalizeDocumentSymbol('E/C.12/SVN/CO/2 corr.1'.replace(' ', '/'))).toBe(
      'E/C.12/SVN/CO/2/Corr.1',
    );
  });
});

describe('parseParagraph', () => {
  it.each([
    ['137.197 Take measures', '137.197', 'Take measures'],
    ['115.1 Take further steps', '115.1', 'Take further steps'],
    ['  122.155 Deepen measures', '122.155', 'Deepen measures'],
    ['115.1. Take', '115.1', 'Take'],
    ['49. The Committee recommends that', '49', 'The Committee recommends that'],
  ])('%j', (text, paragraph, rest) => {
    expect(parseParagraph(text)).toEqual({ paragraph, text: rest });
  });

  it('finds the number after a treaty-body heading', () => {
    expect(parseParagraph('Rural women 49. The Committee recommends…')).toEqual({
      paragraph: '49',
      heading: 'Rural women',
      text: 'The Committee recommends…',
    });
    expect(
      parseParagraph('Women, peace and security 12. Recalling its general recommendation'),
    ).toMatchObject({
      paragraph: '12',
      heading: 'Women, peace and security',
    });
  });

  it.each([
    '(a) Ensure that',
    'Take measures to reduce poverty by 2030. The State should',
    '2030 Agenda commitments',
    '',
  ])('%j has no paragraph number', (text) => {
    expect(parseParagraph(text)).toBeUndefined();
  });

  describe('hand-typed numbers of the full Index', () => {
    it.each([
      ['109.9..1 Continue its efforts', '109.9.1', 'Continue its efforts'],
      ['112.9.3..1 Adopt the law', '112.9.3.1', 'Adopt the law'],
      [
        '4.The Committee recommends that the State party',
        '4',
        'The Committee recommends that the State party',
      ],
    ])('%j in any mechanism', (text, paragraph, rest) => {
      expect(parseParagraph(text)).toEqual({ paragraph, text: rest });
      expect(parseParagraph(text, { upr: true })).toEqual({ paragraph, text: rest });
    });

    it.each([
      ['135 1. Ratify the Convention', '135.1', 'Ratify the Convention'],
      ['111. 29 Strengthen the national institution', '111.29', 'Strengthen the national institution'],
    ])('%j in a UPR recommendation', (text, paragraph, rest) => {
      expect(parseParagraph(text, { upr: true })).toEqual({ paragraph, text: rest });
    });

    it('reads a treaty body\'s "49. 15 States…" as paragraph 49: only UPR items are numbered twice', () => {
      expect(parseParagraph('49. 15 States parties have')).toEqual({
        paragraph: '49',
        text: '15 States parties have',
      });
      expect(parseParagraph('135 1. Ratify the Convention')).toBeUndefined();
    });

    it.each([
      ['135 1 Ratify the Convention', '135 1'],
      ['109. .1 Continue', '109. .1'],
      ['135 1. Ratify the Convention', '135 1.'],
    ])('calls %j ambiguous rather than guess', (text, shown) => {
      if (!text.startsWith('135 1.')) expect(parseParagraph(text, { upr: true })).toBeUndefined();
      expect(unreadableParagraph(text)).toBe(shown);
    });

    it('finds nothing ambiguous in a text that starts with a year or a letter', () => {
      expect(unreadableParagraph('2030 Agenda commitments')).toBeUndefined();
      expect(unreadableParagraph('(a) Ensure that')).toBeUndefined();
    });
  });
});
