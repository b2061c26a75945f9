import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The six UN languages, in UN order. */
export const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Lang = (typeof LANGS)[number];

/** A label in every UN language. */
export type Labels = Record<Lang, string>;

/** A label known at least in English (used where official translations are not shipped yet). */
export type PartialLabels = { en: string } & Partial<Labels>;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function textDirection(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The label in `lang`, falling back to English, and the language actually used. */
export function pickLabel(labels: PartialLabels, lang: Lang): { label: string; labelLang: Lang } {
  const label = labels[lang];
  return label ? { label, labelLang: lang } : { label: labels.en, labelLang: 'en' };
}

/**
 * A comparison key for vocabulary values typed by people and by OHCHR exports: no diacritics,
 * lower case, one kind of apostrophe and dash, "&" read as "and", single spaces.
 */
export function normalizeKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes the "- " bullet OHCHR puts before every value of a UHRI cell. */
export function stripBullet(value: string): string {
  return value.replace(/^\s*[-\u2010-\u2015\u2022*]\s*/, '').trim();
}

/** The non-empty lines of a multi-valued UHRI cell, without their bullets. */
export function cellLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map(stripBullet)
    .filter((line) => line.length > 0);
}

/**
 * Finds `data/<sub>` by walking up from this file: the same code runs from `src/taxonomy` (ts-jest)
 * and from `dist/taxonomy` (tsc), and the data folder sits next to both.
 */
export function findDataDir(sub: string, start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data', sub);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`taxonomy data folder data/${sub} not found above ${start}`);
    }
  }
}
