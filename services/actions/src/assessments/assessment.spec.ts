import { isEvidenceUrl, isNarrative, MAX_NARRATIVE_LENGTH, MAX_URL_LENGTH } from './assessment';

describe('evidence links', () => {
  it.each([
    'https://www.varuh-rs.si/en/annual-report-2025',
    'https://example.org/report.pdf?page=4#section-2',
    'https://[2001:db8::1]/evidence',
    'https://xn--80ak6aa92e.com/',
  ])('accepts %s', (url) => expect(isEvidenceUrl(url)).toBe(true));

  it.each([
    ['plain http', 'http://example.org/report'],
    ['a script', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', '/reports/2025'],
    ['credentials that would be published', 'https://user:secret@example.org/'],
    ['a user name alone', 'https://user@example.org/'],
    ['whitespace the parser would drop', 'https://example.org/a b'],
    ['a line break', 'https://example.org/\nreport'],
    ['no host', 'https:///path'],
    ['backslashes read as slashes', 'https:\\\\example.org\\report'],
    ['too long', `https://example.org/${'a'.repeat(MAX_URL_LENGTH)}`],
    ['not text', 42],
  ])('refuses %s', (_, url) => expect(isEvidenceUrl(url)).toBe(false));
});

describe('narratives', () => {
  it('takes paragraphs and tabs', () => {
    expect(isNarrative('The law was adopted.\n\nIt is not yet applied:\tno budget.\r\n')).toBe(true);
  });

  it.each([
    ['blank', ' \n\t '],
    ['an escape code', 'Adopted \u001b[31m'],
    ['a C1 control', 'Adopted \u0085'],
    ['too long', 'a'.repeat(MAX_NARRATIVE_LENGTH + 1)],
  ])('refuses one that is %s', (_, text) => expect(isNarrative(text)).toBe(false));

  it('accepts one at the length limit', () =>
    expect(isNarrative('a'.repeat(MAX_NARRATIVE_LENGTH))).toBe(true));
});
