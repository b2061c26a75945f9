/** Cell conventions of the UN exports: "- " bullets, newline lists, Excel serial dates. */
import { cellLines } from '../taxonomy';

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
