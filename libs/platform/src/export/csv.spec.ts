import { csvCell, csvLine } from './csv';

describe('CSV cells', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=SUM(1)')).toBe("'=SUM(1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('quotes commas, quotes and line breaks as RFC 4180 requires', () => {
    expect(csvCell('Justice, Ministry of')).toBe('"Justice, Ministry of"');
    expect(csvCell('the "Istanbul" Protocol')).toBe('"the ""Istanbul"" Protocol"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
  });

  it('defuses first, then quotes, so a quoted formula stays inert', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('\rtext')).toBe(`"'\rtext"`);
  });

  it('leaves ordinary values alone and writes empty cells for missing ones', () => {
    expect(csvCell('Ministry of Justice')).toBe('Ministry of Justice');
    expect(csvCell('A/HRC/43/15')).toBe('A/HRC/43/15');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01T00:00:00.000Z');
  });

  it('ends every record with CRLF', () => {
    expect(csvLine(['a', 'b,c', null, 2])).toBe('a,"b,c",,2\r\n');
  });
});
