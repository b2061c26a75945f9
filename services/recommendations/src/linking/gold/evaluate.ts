// Precision / recall of proposed links against the hand-labelled subject groups (see README.md).
import fixture from './slovenia-c2c3.json';
import subjectGroups from './subject-groups.json';
import type { LinkableText } from '../similarity';

export interface SubjectGroup {
  subject: string;
  /** "<document symbol> <paragraph>", e.g. "A/HRC/28/15 115.5". */
  members: string[];
}

export interface FixtureRecommendation {
  symbol: string;
  paragraph: string;
  text: string;
  states: string[];
  themes: string[];
}

export interface Evaluation {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export const goldGroups: SubjectGroup[] = subjectGroups;
export const goldRecommendations: FixtureRecommendation[] = fixture;

export function recommendationId(r: Pick<FixtureRecommendation, 'symbol' | 'paragraph'>): string {
  return `${r.symbol} ${r.paragraph}`;
}

export function goldTexts(): LinkableText[] {
  return goldRecommendations.map((r) => ({ id: recommendationId(r), text: r.text, language: 'en' }));
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Positive pairs: every pair inside a group. Every other pair of labelled recommendations is negative. */
export function goldPairs(groups: SubjectGroup[]): Set<string> {
  const pairs = new Set<string>();
  for (const { members } of groups) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) pairs.add(pairKey(members[i], members[j]));
    }
  }
  return pairs;
}

/** Pairs with an id outside the labelled set are ignored: they are neither right nor wrong. */
export function evaluate(candidates: { a: string; b: string }[], groups: SubjectGroup[]): Evaluation {
  const labelled = new Set(groups.flatMap((g) => g.members));
  const positives = goldPairs(groups);
  const proposed = new Set(
    candidates.filter((c) => labelled.has(c.a) && labelled.has(c.b)).map((c) => pairKey(c.a, c.b)),
  );
  let tp = 0;
  for (const pair of proposed) if (positives.has(pair)) tp++;
  const fp = proposed.size - tp;
  const fn = positives.size - tp;
  const precision = proposed.size ? tp / proposed.size : 1;
  const recall = positives.size ? tp / positives.size : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

/**
 * Share of the recommendations that have a related one (non-singleton group) and get at least one correct
 * link: pair recall undercounts what a coordinator sees, since one right link leads to the rest of a group.
 */
export function linkedShare(candidates: { a: string; b: string }[], groups: SubjectGroup[]): number {
  const positives = goldPairs(groups);
  const linked = new Set<string>();
  for (const c of candidates) {
    if (!positives.has(pairKey(c.a, c.b))) continue;
    linked.add(c.a);
    linked.add(c.b);
  }
  const related = groups.filter((g) => g.members.length > 1).flatMap((g) => g.members);
  return related.length ? related.filter((id) => linked.has(id)).length / related.length : 1;
}
