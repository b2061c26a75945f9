/**
 * JSON number text that `JSON.stringify` cannot write: `9007199254740993` (rounded to …992 by a
 * JavaScript number) or `1e400` (Infinity once parsed).
 */
export class NumberLiteral {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** JSON text of a value that may hold `NumberLiteral`s; strings are escaped as `JSON.stringify` does. */
export function jsonText(value: unknown): string {
  if (value instanceof NumberLiteral) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels deep, written without recursion. */
export function nestedJson(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
