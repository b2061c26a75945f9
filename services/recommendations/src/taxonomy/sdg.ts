import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { findDataDir, LANGS, type Lang, type Labels } from './labels';

export interface SdgGoal {
  code: string;
  goal: string;
  title: Labels;
  short: Labels;
}

export interface SdgTarget {
  code: string;
  goal: string;
  title: Labels;
}

export interface SdgIndicator {
  code: string;
  goal: string;
  target: string;
  title: Labels;
}

export interface Sdgs {
  goals: SdgGoal[];
  targets: SdgTarget[];
  indicators: SdgIndicator[];
}

/** open-sdg folder names; the UN's Chinese is Simplified. */
const FOLDERS: Record<Lang, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en', fr: 'fr', ru: 'ru', es: 'es' };

function readYaml(dir: string, lang: Lang, file: string): Record<string, string> {
  const parsed = load(readFileSync(join(dir, FOLDERS[lang], file), 'utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error(`${FOLDERS[lang]}/${file} is not a YAML map`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) out[key] = String(value).trim();
  return out;
}

/** Orders '1.2' < '1.10' < '1.a' (UN order: numbered targets before lettered ones). */
export function compareSdgCodes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Reads the shipped open-sdg translations: every goal, target and indicator with its title in the
 * six UN languages. A code missing in one language fails loudly rather than shipping a gap.
 */
export function loadSdgs(dir: string = findDataDir('sdg')): Sdgs {
  const files = {
    goals: 'global_goals.yml',
    targets: 'global_targets.yml',
    indicators: 'global_indicators.yml',
  };
  const byLang = Object.fromEntries(
    LANGS.map((lang) => [
      lang,
      {
        goals: readYaml(dir, lang, files.goals),
        targets: readYaml(dir, lang, files.targets),
        indicators: readYaml(dir, lang, files.indicators),
      },
    ]),
  ) as Record<Lang, Record<keyof typeof files, Record<string, string>>>;

  const labels = (kind: keyof typeof files, key: string): Labels =>
    Object.fromEntries(
      LANGS.map((lang) => {
        const value = byLang[lang][kind][key];
        if (!value) throw new Error(`SDG ${kind} key ${key} missing in ${FOLDERS[lang]}`);
        return [lang, value];
      }),
    ) as Labels;

  // Keys look like '16-title', '16-3-title', '16-3-1-title', '1-a-title'; English decides the list.
  const codes = (kind: keyof typeof files, parts: number): string[] =>
    Object.keys(byLang.en[kind])
      .map((key) => /^(.+)-title$/.exec(key)?.[1])
      .filter((stem): stem is string => stem !== undefined && stem.split('-').length === parts)
      .sort((a, b) => compareSdgCodes(a.replace(/-/g, '.'), b.replace(/-/g, '.')));

  const goals = codes('goals', 1).map((stem) => ({
    code: stem,
    goal: stem,
    title: labels('goals', `${stem}-title`),
    short: labels('goals', `${stem}-short`),
  }));
  const targets = codes('targets', 2).map((stem) => {
    const [goal] = stem.split('-');
    return { code: stem.replace(/-/g, '.'), goal, title: labels('targets', `${stem}-title`) };
  });
  const indicators = codes('indicators', 3).map((stem) => {
    const [goal, target] = stem.split('-');
    return {
      code: stem.replace(/-/g, '.'),
      goal,
      target: `${goal}.${target}`,
      title: labels('indicators', `${stem}-title`),
    };
  });
  return { goals, targets, indicators };
}

const CODE_PREFIX = /^(?:(?:sdgs?|goals?|targets?|objectifs?|objetivos?|metas?|cibles?)\s*[:#]?\s*)/i;
const CODE = /^(\d{1,2})(?:\s*\.\s*(\d{1,2}|[a-z])\b)?/i;

/**
 * Reads the SDG goals and targets out of a UHRI / OHCHR matrix cell: "16 - PEACE, JUSTICE AND STRONG
 * INSTITUTIONS", "1.4 - Equal rights to economic resources", "Goal 5", "SDG 5.2", "5.2, 16.3", one
 * or several lines. A target implies its goal; codes outside 1–17 are ignored.
 */
export function parseSdgCell(value: string): { goals: string[]; targets: string[] } {
  const goals = new Set<string>();
  const targets = new Set<string>();
  const add = (text: string): void => {
    // Only the leading code counts, so digits inside a title ("By 2030, ...") are never read.
    const match = CODE.exec(text.replace(CODE_PREFIX, '').trim());
    if (!match) return;
    const goal = Number(match[1]);
    if (goal < 1 || goal > 17) return;
    goals.add(String(goal));
    const sub = match[2];
    if (sub) targets.add(`${goal}.${/^\d+$/.test(sub) ? Number(sub) : sub.toLowerCase()}`);
  };
  for (const raw of value.split(/\r?\n|;/)) {
    const line = raw.replace(/^\s*[-\u2010-\u2015\u2022*]\s*/, '').trim();
    if (!line) continue;
    // "5.2, 16.3" (codes only) is a list; otherwise commas belong to the title.
    if (/^[a-z\s]*[\d.a-z\s,]+$/i.test(line) && /\d\s*,\s*(?:\w+\s*)?\d/.test(line)) {
      line.split(',').forEach(add);
    } else add(line);
  }
  return { goals: [...goals].sort(compareSdgCodes), targets: [...targets].sort(compareSdgCodes) };
}
