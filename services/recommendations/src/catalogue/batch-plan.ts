import { randomUUID } from 'node:crypto';
import {
  changedFields,
  contentHash,
  mergeSources,
  naturalKey,
  type ImportedRecommendation,
  type MappedRow,
  type MergedFields,
  type SourceKind,
} from './merged-record';
import type { Position } from './position';

export const ROW_OUTCOMES = ['created', 'updated', 'unchanged', 'rejected', 'skipped'] as const;
/** What a row of a file did to the catalogue. */
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

/** A recommendation as stored: its merged fields and each source's last snapshot. */
export interface StoredRecommendation {
  id: string;
  version: number;
  fields: MergedFields;
  /** The position the State set by hand, which imports do not override. */
  editedPosition: Position | null;
  snapshots: { source: SourceKind; data: ImportedRecommendation; hash: string; importId: string | null }[];
}

export interface RowReport {
  rowNumber: number;
  outcome: RowOutcome;
  recommendationId: string | null;
  documentSymbol: string | null;
  paragraph: string | null;
  changedFields: string[];
  problems: string[];
  /** What the row did not say clearly, though it was read: only present when there is something to say. */
  warnings?: string[];
}

export interface SnapshotWrite {
  recommendationId: string;
  source: SourceKind;
  data: ImportedRecommendation;
  hash: string;
}

export interface BatchPlan {
  rows: RowReport[];
  created: { id: string; fields: MergedFields }[];
  updated: {
    id: string;
    version: number;
    fields: MergedFields;
    editedPosition: Position | null;
    changes: Record<string, { from: unknown; to: unknown }>;
  }[];
  snapshots: SnapshotWrite[];
  /** Recommendations whose source said the same as last time: only marked as seen by this import. */
  seen: { recommendationId: string; source: SourceKind }[];
}

/**
 * Decides, for one batch of rows, what is created, updated, unchanged or rejected. Pure: `existing`
 * holds every stored recommendation a row of the batch can match, and is updated as rows apply, so
 * a later row of the same batch sees an earlier one.
 */
export function planBatch(rows: MappedRow[], existing: StoredRecommendation[], importId: string): BatchPlan {
  const plan: BatchPlan = { rows: [], created: [], updated: [], snapshots: [], seen: [] };
  const byId = new Map(existing.map((stored) => [stored.id, stored]));
  const byAnnotation = new Map<string, StoredRecommendation>();
  const byKey = new Map<string, StoredRecommendation>();
  const index = (stored: StoredRecommendation) => {
    if (stored.fields.annotationId) byAnnotation.set(stored.fields.annotationId, stored);
    byKey.set(naturalKey(stored.fields.documentSymbol, stored.fields.paragraph), stored);
  };
  existing.forEach(index);
  const createdById = new Map<string, BatchPlan['created'][number]>();
  const updatedById = new Map<string, BatchPlan['updated'][number]>();

  for (const row of rows) {
    if (!row.record) {
      plan.rows.push(
        report(row.rowNumber, 'rejected', null, row.documentSymbol, row.paragraph, [], row.problems),
      );
      continue;
    }
    const record = row.record;
    const key = naturalKey(record.documentSymbol, record.paragraph);
    const byItsAnnotation = record.annotationId ? byAnnotation.get(record.annotationId) : undefined;
    const byItsKey = byKey.get(key);
    if (
      byItsKey &&
      record.annotationId &&
      byItsKey.fields.annotationId &&
      byItsKey.fields.annotationId !== record.annotationId
    ) {
      plan.rows.push(
        reject(
          row.rowNumber,
          record,
          `${record.documentSymbol} para. ${record.paragraph} is already held by annotation ${byItsKey.fields.annotationId}.`,
        ),
      );
      continue;
    }
    if (byItsAnnotation && byItsKey && byItsAnnotation !== byItsKey) {
      plan.rows.push(
        reject(
          row.rowNumber,
          record,
          `Annotation ${record.annotationId} belongs to another paragraph than ${record.documentSymbol} para. ${record.paragraph}, which already exists.`,
        ),
      );
      continue;
    }
    const stored = byItsAnnotation ?? byItsKey;
    const hash = row.hash ?? contentHash(record);

    if (!stored) {
      const id = randomUUID();
      const fields = mergeSources([record]);
      const created: StoredRecommendation = {
        id,
        version: 1,
        fields,
        editedPosition: null,
        snapshots: [{ source: record.source, data: record, hash, importId }],
      };
      byId.set(id, created);
      index(created);
      const creation = { id, fields };
      createdById.set(id, creation);
      plan.created.push(creation);
      plan.snapshots.push({ recommendationId: id, source: record.source, data: record, hash });
      plan.rows.push(report(row.rowNumber, 'created', id, record.documentSymbol, record.paragraph, [], []));
      continue;
    }

    const previous = stored.snapshots.find((snapshot) => snapshot.source === record.source);
    if (previous?.importId === importId) {
      plan.rows.push(
        reject(row.rowNumber, record, 'This recommendation already appears in an earlier row of this file.'),
      );
      continue;
    }
    if (previous?.hash === hash) {
      previous.importId = importId;
      plan.seen.push({ recommendationId: stored.id, source: record.source });
      plan.rows.push(
        report(row.rowNumber, 'unchanged', stored.id, record.documentSymbol, record.paragraph, [], []),
      );
      continue;
    }

    const snapshots = [
      ...stored.snapshots.filter((snapshot) => snapshot.source !== record.source),
      { source: record.source, data: record, hash, importId },
    ];
    const fields = mergeSources(snapshots.map((snapshot) => snapshot.data));
    const holder = byKey.get(naturalKey(fields.documentSymbol, fields.paragraph));
    if (holder && holder !== stored) {
      plan.rows.push(
        reject(row.rowNumber, record, `${fields.documentSymbol} para. ${fields.paragraph} already exists.`),
      );
      continue;
    }
    const changed = changedFields(stored.fields, fields);
    plan.snapshots.push({ recommendationId: stored.id, source: record.source, data: record, hash });
    const before = stored.fields;
    stored.snapshots = snapshots;
    if (changed.length === 0) {
      plan.rows.push(
        report(row.rowNumber, 'unchanged', stored.id, record.documentSymbol, record.paragraph, [], []),
      );
      continue;
    }
    byKey.delete(naturalKey(before.documentSymbol, before.paragraph));
    stored.fields = fields;
    index(stored);
    const creation = createdById.get(stored.id);
    if (creation) {
      // Created earlier in this batch: still one creation, with the merged fields.
      creation.fields = fields;
    } else {
      const entry = updatedById.get(stored.id);
      const changes = Object.fromEntries(
        changed.map((field) => [field, { from: before[field], to: fields[field] }]),
      );
      if (entry) {
        entry.fields = fields;
        for (const [field, change] of Object.entries(changes)) {
          entry.changes[field] = { from: entry.changes[field]?.from ?? change.from, to: change.to };
        }
      } else {
        stored.version += 1;
        const update = {
          id: stored.id,
          version: stored.version,
          fields,
          editedPosition: stored.editedPosition,
          changes,
        };
        updatedById.set(stored.id, update);
        plan.updated.push(update);
      }
    }
    plan.rows.push(
      report(row.rowNumber, 'updated', stored.id, record.documentSymbol, record.paragraph, changed, []),
    );
  }
  // One report per row, in order.
  rows.forEach((row, i) => {
    if (row.warnings?.length) plan.rows[i].warnings = row.warnings;
  });
  return plan;
}

function report(
  rowNumber: number,
  outcome: RowOutcome,
  recommendationId: string | null,
  documentSymbol: string | undefined | null,
  paragraph: string | undefined | null,
  changed: string[],
  problems: string[],
): RowReport {
  return {
    rowNumber,
    outcome,
    recommendationId,
    documentSymbol: documentSymbol || null,
    paragraph: paragraph || null,
    changedFields: changed,
    problems,
  };
}

const reject = (rowNumber: number, record: ImportedRecommendation, problem: string): RowReport =>
  report(rowNumber, 'rejected', null, record.documentSymbol, record.paragraph, [], [problem]);
