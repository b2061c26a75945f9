import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDataDir, normalizeKey, stripBullet, type Labels } from './labels';

export type UprCycleKey = '2' | '3' | '4';

export interface CycleLabel {
  label: string;
  /** Cycle-2 UHRI code (A12, D29…). */
  code?: string;
  /** false: not seen in the sample matrices; recalled from the UHRI list of that cycle, to be verified. */
  observed?: boolean;
  /** A piece of a label that matrices split on ";" ("general principles"). */
  fragment?: boolean;
}

export interface Concept {
  key: string;
  /** label.en is the cycle-4 label where one exists, else the latest one. */
  label: Labels;
  cycles: Record<UprCycleKey, CycleLabel[]>;
  related?: string[];
  note?: string;
}

export interface Crosswalk {
  themes: Concept[];
  groups: Concept[];
}

export function loadCrosswalk(dir: string = findDataDir('themes')): Crosswalk {
  const parsed = JSON.parse(readFileSync(join(dir, 'crosswalk.json'), 'utf8')) as Crosswalk;
  return { themes: parsed.themes, groups: parsed.groups };
}

/**
 * Key for matrix / UHRI labels: no bullet, no cycle-2 code ("A12 "), case and accents folded, "&" as
 * "and" ("Budget &resources" too), one spacing around "/", "-" and ",".
 */
export function labelKey(label: string): string {
  return normalizeKey(stripBullet(label).replace(/^[A-H]\d{1,2}\s+(?=\D)/, ''))
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s+-\s+/g, ' - ')
    .replace(/[.;:]+$/, '')
    .replace(/\bfavourable\b/g, 'favorable')
    .trim();
}

interface Index {
  concepts: Map<string, Concept>;
  byCycle: Map<string, Concept>;
  anyCycle: Map<string, Concept>;
  byCode: Map<string, Concept>;
}

function buildIndex(concepts: Concept[]): Index {
  const index: Index = { concepts: new Map(), byCycle: new Map(), anyCycle: new Map(), byCode: new Map() };
  for (const concept of concepts) {
    index.concepts.set(concept.key, concept);
    const own = [concept.key, ...Object.values(concept.label)];
    for (const label of own)
      if (!index.anyCycle.has(labelKey(label))) index.anyCycle.set(labelKey(label), concept);
    for (const [cycle, labels] of Object.entries(concept.cycles)) {
      for (const entry of labels) {
        const key = labelKey(entry.label);
        index.byCycle.set(`${cycle}|${key}`, concept);
        if (!index.anyCycle.has(key)) index.anyCycle.set(key, concept);
        if (entry.code && !index.byCode.has(entry.code)) index.byCode.set(entry.code, concept);
      }
    }
  }
  return index;
}

let loaded: { themes: Index; groups: Index; crosswalk: Crosswalk } | undefined;

function indexes() {
  if (!loaded) {
    const crosswalk = loadCrosswalk();
    loaded = { crosswalk, themes: buildIndex(crosswalk.themes), groups: buildIndex(crosswalk.groups) };
  }
  return loaded;
}

/** The shipped theme and group concepts (loaded once). */
export function themeConcepts(): Concept[] {
  return indexes().crosswalk.themes;
}

export function groupConcepts(): Concept[] {
  return indexes().crosswalk.groups;
}

function resolve(index: Index, label: string, cycle?: number | string) {
  const key = labelKey(label);
  const code = /^\s*(?:[-\u2022]\s*)?([A-H]\d{1,2})(?:\s|$)/.exec(label)?.[1];
  const concept =
    (cycle !== undefined ? index.byCycle.get(`${cycle}|${key}`) : undefined) ??
    index.anyCycle.get(key) ??
    // A bare or re-worded cycle-2 entry still carries its code.
    (code ? index.byCode.get(code) : undefined);
  return concept && { key: concept.key, label: concept.label.en };
}

/**
 * The concept a theme label of any UPR cycle belongs to: "A12 Acceptance of international norms"
 * (cycle 2), "Acceptance of international norms" (3) and "Ratification of & accession to
 * international instruments" (4) all give `ratification-international-instruments`. `label` is the
 * concept's preferred English label. Undefined for an unknown label: keep the raw one.
 */
export function resolveTheme(
  label: string,
  cycle?: number | string,
): { key: string; label: string } | undefined {
  return resolve(indexes().themes, label, cycle);
}

/** Same as `resolveTheme` for affected persons / groups ("women", "Women", "Women & girls"). */
export function resolveGroup(
  label: string,
  cycle?: number | string,
): { key: string; label: string } | undefined {
  return resolve(indexes().groups, label, cycle);
}

/**
 * The theme keys a search filter on `key` must match. There is one key per concept across cycles, so
 * today this is `[key]`; search goes through it so that a later split of a concept stays one change here.
 */
export function themeKeysMatching(key: string): string[] {
  return [key];
}

const SUGGESTION_STOP = new Set([
  'and',
  'of',
  'the',
  'to',
  'in',
  'on',
  'for',
  'or',
  'with',
  'a',
  'an',
  'general',
]);
/** Words of a label key, singular enough to compare "minorities" with "minority". */
const wordsOf = (key: string): string[] =>
  key
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !SUGGESTION_STOP.has(word))
    .map((word) => word.replace(/ies$/, 'y').replace(/(?<=[^s])s$/, ''));

function closest(concepts: Concept[], label: string): Concept | undefined {
  const wanted = wordsOf(labelKey(label));
  if (wanted.length === 0) return undefined;
  let best: { concept: Concept; score: number; length: number } | undefined;
  for (const concept of concepts) {
    const labels = [
      concept.label.en,
      ...Object.values(concept.cycles).flatMap((cycle) => cycle.map((l) => l.label)),
    ];
    for (const candidate of labels) {
      const words = new Set(wordsOf(labelKey(candidate)));
      const score = wanted.filter((word) => words.has(word)).length / wanted.length;
      // Every word of the label, in the shortest concept label that has them all, is the best guess.
      if (
        score >= 0.5 &&
        (!best || score > best.score || (score === best.score && words.size < best.length))
      ) {
        best = { concept, score, length: words.size };
      }
    }
  }
  return best?.concept;
}

const suggestions = new Map<string, { kind: 'theme' | 'group'; key: string; label: string } | null>();

/**
 * The concept a label that resolves to none most likely means, for a warning: "Roma" as a group →
 * "Roma, Gypsies, Sinti & Travellers"; "Minorities" as a theme → "Members of minorities". Looks in the
 * label's own vocabulary first, then in the other one (a group typed as a theme). Undefined when no
 * concept shares half its words.
 */
export function suggestConcept(
  kind: 'theme' | 'group',
  label: string,
): { kind: 'theme' | 'group'; key: string; label: string } | undefined {
  const cacheKey = `${kind}|${labelKey(label)}`;
  if (!suggestions.has(cacheKey)) {
    const { themes, groups } = indexes().crosswalk;
    const [own, other] = kind === 'theme' ? [themes, groups] : [groups, themes];
    const otherKind = kind === 'theme' ? 'group' : 'theme';
    const found = closest(own, label);
    const across = found ? undefined : closest(other, label);
    const concept = found ?? across;
    suggestions.set(
      cacheKey,
      concept ? { kind: found ? kind : otherKind, key: concept.key, label: concept.label.en } : null,
    );
  }
  return suggestions.get(cacheKey) ?? undefined;
}
