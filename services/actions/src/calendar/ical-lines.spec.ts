import fc from 'fast-check';
import { MAX_LINE_OCTETS, contentLines, escapeText, foldLine } from './ical-lines';

const octets = (text: string) => Buffer.byteLength(text, 'utf8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

describe('TEXT escaping (RFC 5545 §3.3.11)', () => {
  it('escapes backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('leaves colons, quotes and tabs, and drops the control characters TEXT may not hold', () => {
    expect(escapeText('UPR: "mid-term"\treport\u0000\u0007\u001b\u007f')).toBe('UPR: "mid-term"\treport');
  });
});

describe('folding at 75 octets', () => {
  it('keeps a line of exactly 75 octets whole', () => {
    const line = `X:${'a'.repeat(73)}`;
    expect(foldLine(line)).toBe(line);
  });

  it('folds ASCII at 75 octets, the continuation starting with one space that counts', () => {
    const line = `SUMMARY:${'a'.repeat(150)}`;
    expect(foldLine(line)).toBe(`SUMMARY:${'a'.repeat(67)}\r\n ${'a'.repeat(74)}\r\n ${'a'.repeat(9)}`);
  });

  it('never splits an Arabic letter (2 octets): the first line stops at 74 octets', () => {
    const line = `SUMMARY;LANGUAGE=ar:${'ع'.repeat(40)}`;
    expect(foldLine(line)).toBe(`SUMMARY;LANGUAGE=ar:${'ع'.repeat(27)}\r\n ${'ع'.repeat(13)}`);
    expect(octets(foldLine(line).split('\r\n')[0])).toBe(74);
  });

  it('never splits a Chinese character (3 octets)', () => {
    expect(foldLine(`X:${'中'.repeat(30)}`)).toBe(`X:${'中'.repeat(24)}\r\n ${'中'.repeat(6)}`);
  });

  it('never splits a character outside the BMP (4 octets) nor a 2-octet one at the edge', () => {
    expect(foldLine(`X:${'a'.repeat(72)}é`)).toBe(`X:${'a'.repeat(72)}\r\n é`);
    expect(foldLine(`X:${'a'.repeat(71)}😀b`)).toBe(`X:${'a'.repeat(71)}\r\n 😀b`);
    expect(foldLine(`X:${'a'.repeat(70)}😀b`)).toBe(`X:${'a'.repeat(70)}\r\n 😀b`);
    expect(foldLine(`X:${'a'.repeat(69)}😀b`)).toBe(`X:${'a'.repeat(69)}😀\r\n b`);
  });

  it('for any text: lines of at most 75 octets, each valid UTF-8 alone, unfolding to the original', () => {
    const scripts = fc.constantFrom('a', ';', 'é', 'ع', 'ض', 'я', '中', '审', '😀', ' ');
    fc.assert(
      fc.property(fc.array(scripts, { minLength: 30, maxLength: 400, size: 'max' }), (chars) => {
        const line = `DESCRIPTION:${chars.join('')}`;
        const physical = foldLine(line).split('\r\n');
        for (const [index, part] of physical.entries()) {
          expect(octets(part)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
          if (index > 0) expect(part.startsWith(' ')).toBe(true);
          expect(strictUtf8.decode(Buffer.from(part, 'utf8'))).toBe(part);
        }
        expect(physical.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
      }),
      { numRuns: 300 },
    );
  });

  it('ends every line with CRLF', () => {
    expect(contentLines(['BEGIN:VCALENDAR', 'END:VCALENDAR'])).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
  });
});
