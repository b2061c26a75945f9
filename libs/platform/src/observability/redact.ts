// What a database or library error may quote from the data it refused: the value itself.
const QUOTED_INPUT =
  /(invalid input (?:syntax for(?: type)? [\w ]+|value for enum [\w.]+)|value too long for type [\w ()]+|malformed [\w ]+ literal|invalid byte sequence for encoding "[\w-]+"):\s*(?:"(?:[^"\\]|\\.)*"|0x[0-9a-f ]+)/gi;
const KEY_VALUE = /(Key \([^)]*\))=\((?:[^()]|\([^)]*\))*\)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Logs carry ids, never the personal data a request or row held: error messages lose the values they
 * quote (PostgreSQL's "invalid input syntax …: "x"", "Key (email)=(…)") and any e-mail address.
 */
export function redactPersonalData(text: string): string {
  return text
    .replace(QUOTED_INPUT, '$1: [redacted]')
    .replace(KEY_VALUE, '$1=([redacted])')
    .replace(EMAIL, '[redacted email]');
}
