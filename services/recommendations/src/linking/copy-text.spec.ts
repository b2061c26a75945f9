import { copyField } from './copy-text';

describe('copyField (COPY text format)', () => {
  it('writes null as \\N and escapes the characters COPY reads specially', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(12)).toBe('12');
  });

  it('quotes every array element, so commas, braces, quotes and backslashes stay inside it', () => {
    expect(copyField([])).toBe('{}');
    expect(copyField(['A, B', '{x}', 'say "no"', 'back\\slash', 'NULL'])).toBe(
      '{"A, B","{x}","say \\\\"no\\\\"","back\\\\\\\\slash","NULL"}',
    );
  });

  it('writes a JSON document with its newlines escaped', () => {
    expect(copyField({ json: { text: 'line\nnext', n: 1 } })).toBe('{"text":"line\\\\nnext","n":1}');
  });
});
