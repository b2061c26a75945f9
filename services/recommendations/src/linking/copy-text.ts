/** A value as COPY's text format writes it: null, a scalar, an array or a JSON document. */
export type CopyValue = string | number | boolean | null | undefined | readonly string[] | { json: unknown };

const SPECIAL = /[\\\t\n\r]/;
const escapeText = (text: string): string =>
  // Most values have nothing to escape: a scan is cheaper than a replace that allocates.
  SPECIAL.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : text;

// Inside an array literal every element is quoted, so only quotes and backslashes need escaping.
const arrayLiteral = (values: readonly string[]): string =>
  `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) return escapeText(arrayLiteral(value as readonly string[]));
  if (typeof value === 'object') {
    // JSON has no raw tab or line break, only its own backslash escapes, which COPY must double.
    const json = JSON.stringify((value as { json: unknown }).json);
    return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
  }
  return escapeText(String(value));
}

/**
 * Rows as COPY text, in chunks of about 256 KiB. Lines are joined into flat strings and encoded once
 * per chunk: appending to one string builds a rope of thousands of pieces that is slow to flatten
 * when the socket writes it.
 */
export function* copyChunks(rows: Iterable<readonly CopyValue[]>): Generator<Buffer> {
  let lines: string[] = [];
  let length = 0;
  for (const row of rows) {
    const line = row.map(copyField).join('\t');
    lines.push(line);
    length += line.length + 1;
    if (length > 256 * 1024) {
      yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
