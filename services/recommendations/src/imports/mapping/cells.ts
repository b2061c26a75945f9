/** Cell conventions of the UN exports: "- " bullets, newline lists, Excel serial dates. */
import { cellLines } from '../../taxonomy/labels';

/** The lines of a multi-valued cell, each without its "- " bullet; blank lines dropped. */
export const bulletList = (cell: string | undefined): string[] => (cell ? cellLines(cell) : []);

/** A single-valued cell without its bullet. */
export function singleValue(cell: string | undefined): string {
  return bulletList(cell).join(' ').trim();
}

/** Collapses runs of spaces and trims; keeps line breaks inside a text out of the catalogue. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * An ISO date from an Excel serial number (days since 1899-12-30, time as the fraction) or from an
 * ISO or day/month/year text. Undefined when the cell is not a date.
 */
export function parseDateCell(cell: string | undefined): string | null | undefined {
  const value = singleValue(cell);
  if (value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const serial = Number(value);
    if (serial < 1 || serial > 2_958_465) return undefined; // Excel's own range: 1900-01-01..9999-12-31
    return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso) return validDate(+iso[1], +iso[2], +iso[3]);
  const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(value);
  if (dmy) return validDate(+dmy[3], +dmy[2], +dmy[1]);
  return undefined;
}

function validDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** Lower-case letters and digits only: "Reccomending Body " and "reccomending_body" compare equal. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
};

/**
 * The text of a cell that carries HTML markup, as some cells of the full Index do ("<p>49. The
 * Committee…</p>"): elements become spaces, scripts and styles go with their content, entities are
 * decoded once. Only what looks like a tag is touched, so "children < 18" keeps its sign. The result
 * is plain text, stored and shown as text.
 */
export function stripMarkup(text: string): string {
  if (!/<\/?[a-z][^<>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text)) return text;
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
          ? String.fromCodePoint(code)
          : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}
