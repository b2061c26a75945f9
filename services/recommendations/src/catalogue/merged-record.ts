import { createHash } from 'node:crypto';
import type { MechanismKind, Position, RecommendationType } from './position';

export const SOURCE_KINDS = ['uhri', 'upr_matrix', 'template'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** What one source says about one recommendation, normalised to the catalogue's vocabulary. */
export interface ImportedRecommendation {
  source: SourceKind;
  annotationId: string | null;
  mechanism: MechanismKind;
  body: string;
  /** Every body a joint text comes from (several Special Procedures mandates), `body` first. */
  bodies: string[];
  type: RecommendationType;
  documentSymbol: string;
  paragraph: string;
  text: string;
  language: string;
  stateUnderReview: string | null;
  uprCycle: number | null;
  uprSession: number | null;
  publishedOn: string | null;
  indexedOn: string | null;
  recommendingStates: string[];
  recommendingRegions: string[];
  regions: string[];
  position: Position | null;
  positionSource: string | null;
  themes: string[];
  themeLabels: string[];
  groups: string[];
  groupLabels: string[];
  sdgGoals: string[];
  sdgTargets: string[];
  clusterHeadings: string[];
}

/** A row read from a file: a recommendation, or the reasons it cannot be one. */
export type MappedRow =
  | {
      rowNumber: number;
      record: ImportedRecommendation;
      /** The record's contentHash, when the reader computed it already (dropped if the record changes). */
      hash?: string;
      problems?: undefined;
      /** What the row did not say clearly, though it could be read (a label no concept matches…). */
      warnings?: string[];
    }
  | {
      rowNumber: number;
      record?: undefined;
      hash?: undefined;
      problems: string[];
      warnings?: undefined;
      documentSymbol?: string;
      paragraph?: string;
    };

/** The catalogue fields a source contributes to; `source` itself is bookkeeping. */
export type MergedFields = Omit<ImportedRecommendation, 'source'> & { sources: SourceKind[] };
export const MERGED_FIELDS = [
  'annotationId',
  'mechanism',
  'body',
  'bodies',
  'type',
  'documentSymbol',
  'paragraph',
  'text',
  'language',
  'stateUnderReview',
  'uprCycle',
  'uprSession',
  'publishedOn',
  'indexedOn',
  'recommendingStates',
  'recommendingRegions',
  'regions',
  'position',
  'positionSource',
  'themes',
  'themeLabels',
  'groups',
  'groupLabels',
  'sdgGoals',
  'sdgTargets',
  'clusterHeadings',
  'sources',
] as const satisfies readonly (keyof MergedFields)[];

/**
 * Which source wins a field when several carry it: the UHRI export is the UN's indexed record, the
 * matrix adds position sources and headings, the national template fills what no UN export covers.
 */
const PRECEDENCE: readonly SourceKind[] = ['uhri', 'upr_matrix', 'template'];

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Merges every source's snapshot field by field, so the result does not depend on import order. */
export function mergeSources(snapshots: readonly ImportedRecommendation[]): MergedFields {
  const ordered = [...snapshots].sort((a, b) => PRECEDENCE.indexOf(a.source) - PRECEDENCE.indexOf(b.source));
  const [first] = ordered;
  if (!first) throw new Error('mergeSources needs at least one snapshot');
  const merged = { ...first } as Record<string, unknown>;
  delete merged.source;
  for (const field of MERGED_FIELDS) {
    if (field === 'sources') continue;
    const carrier = ordered.find((snapshot) => !isEmpty(snapshot[field]));
    merged[field] = carrier ? carrier[field] : first[field];
  }
  // Snapshots stored before `bodies` existed name one body.
  if (!Array.isArray(merged.bodies)) merged.bodies = merged.body ? [merged.body] : [];
  merged.sources = ordered.map((snapshot) => snapshot.source);
  return merged as MergedFields;
}

/** The fields whose values differ, compared as JSON (arrays in order). */
export function changedFields(before: MergedFields, after: MergedFields): (keyof MergedFields)[] {
  return MERGED_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** A stable hash of what a source said, to recognise an unchanged re-import cheaply. */
export function contentHash(record: ImportedRecommendation): string {
  const canonical = JSON.stringify(record, Object.keys(record).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

/** The identity of a recommendation when there is no UHRI annotation id. */
export const naturalKey = (documentSymbol: string, paragraph: string): string =>
  `${documentSymbol}\u0000${paragraph}`;
