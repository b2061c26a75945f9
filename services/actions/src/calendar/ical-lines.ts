/** RFC 5545 §3.1: content lines longer than 75 octets are folded; CRLF ends every line. */
export const MAX_LINE_OCTETS = 75;
const CRLF = '\r\n';
/** Controls other than tab and line feed (line feeds are escaped, not dropped). */
// eslint-disable-next-line no-control-regex
const NOT_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. Control
 * characters other than tab are not allowed in TEXT and are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(NOT_IN_TEXT, '')
    .replace(/[\\;,\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/**
 * Folds one content line at 75 octets of UTF-8, never inside a character: a continuation line
 * starts with one space, which counts towards its 75.
 */
export function foldLine(line: string): string {
  let folded = '';
  let width = 0;
  for (const char of line) {
    const octets = utf8Length(char);
    if (width + octets > MAX_LINE_OCTETS) {
      folded += `${CRLF} `;
      width = 1;
    }
    folded += char;
    width += octets;
  }
  return folded;
}

/** The lines of an iCalendar object, folded, each ended by CRLF. */
export function contentLines(lines: readonly string[]): string {
  return lines.map((line) => foldLine(line) + CRLF).join('');
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) as number;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}
