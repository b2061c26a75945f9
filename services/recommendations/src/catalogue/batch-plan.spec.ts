import { planBatch, type StoredRecommendation } from './batch-plan';
import { contentHash, mergeSources, type ImportedRecommendation, type MappedRow } from './merged-record';
import { uhriRecord } from '../testing/records';

const IMPORT = '7a1d4a56-1c8e-4a8e-9d1f-3f2b9a0c0001';
const EARLIER_IMPORT = '7a1d4a56-1c8e-4a8e-9d1f-3f2b9a0c0000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANNOTATION = '0786354d-b83e-5c8a-8f93-8099f9106146';
const OTHER_ANNOTATION = '9b2e6f1c-0d4a-5b7e-8c3f-1a2b3c4d5e6f';

/** A UHRI record of Slovenia's cycle-2 UPR; override what a case needs. */
const uhri = (overrides: Partial<ImportedRecommendation> = {}): ImportedRecommendation =>
  uhriRecord({ annotationId: ANNOTATION, regions: [], ...overrides });

/** The same paragraph as the matrix has it: everything the UHRI record has, plus source and heading. */
const matrix = (overrides: Partial<ImportedRecommendation> = {}): ImportedRecommendation =>
  uhri({
    source: 'upr_matrix',
    annotationId: null,
    publishedOn: null,
    indexedOn: null,
    positionSource: 'A/HRC/28/15/Add.1 - Para. 3',
    clusterHeadings: ['A12 Acceptance of international norms'],
    ...overrides,
  });

const row = (rowNumber: number, record: ImportedRecommendation): MappedRow => ({ rowNumber, record });

/** A recommendation as the store returns it, after earlier imports of these snapshots. */
function stored(
  snapshots: ImportedRecommendation[],
  extra: Partial<Pick<StoredRecommendation, 'id' | 'version' | 'editedPosition'>> = {},
): StoredRecommendation {
  return {
    id: '3f0c7d8e-2b1a-4c5d-9e8f-000000000001',
    version: 1,
    editedPosition: null,
    fields: mergeSources(snapshots),
    snapshots: snapshots.map((data) => ({
      source: data.source,
      data,
      hash: contentHash(data),
      importId: EARLIER_IMPORT,
    })),
    ...extra,
  };
}

describe('planBatch', () => {
  it('creates a new recommendation with a fresh id', () => {
    const record = uhri();
    const plan = planBatch([row(2, record)], [], IMPORT);

    expect(plan.created).toHaveLength(1);
    const [created] = plan.created;
    expect(created.id).toMatch(UUID);
    expect(created.fields).toEqual(mergeSources([record]));
    expect(created.fields.sources).toEqual(['uhri']);
    expect(plan.rows).toEqual([
      {
        rowNumber: 2,
        outcome: 'created',
        recommendationId: created.id,
        documentSymbol: 'A/HRC/28/15',
        paragraph: '115.3',
        changedFields: [],
        problems: [],
      },
    ]);
    expect(plan.snapshots).toEqual([
      { recommendationId: created.id, source: 'uhri', data: record, hash: contentHash(record) },
    ]);
    expect(plan.updated).toEqual([]);
    expect(plan.seen).toEqual([]);
  });

  it('gives each new recommendation its own id', () => {
    const plan = planBatch(
      [row(2, uhri()), row(3, uhri({ annotationId: OTHER_ANNOTATION, paragraph: '115.4' }))],
      [],
      IMPORT,
    );
    expect(plan.created).toHaveLength(2);
    expect(plan.created[0].id).not.toBe(plan.created[1].id);
  });

  it('marks as seen, and changes nothing, when a source says the same again', () => {
    const existing = stored([uhri()]);
    const plan = planBatch([row(2, uhri())], [existing], IMPORT);

    expect(plan.rows).toEqual([
      expect.objectContaining({ outcome: 'unchanged', recommendationId: existing.id }),
    ]);
    expect(plan.seen).toEqual([{ recommendationId: existing.id, source: 'uhri' }]);
    expect(plan.created).toEqual([]);
    expect(plan.updated).toEqual([]);
    expect(plan.snapshots).toEqual([]);
  });

  it('updates a changed text, saying what it was and what it is, at the next version', () => {
    const existing = stored([uhri()], { version: 3 });
    const changed = uhri({ text: 'Ratify the third Optional Protocol to the CRC (Portugal, Slovakia);' });
    const plan = planBatch([row(2, changed)], [existing], IMPORT);

    expect(plan.updated).toHaveLength(1);
    const [update] = plan.updated;
    expect(update.id).toBe(existing.id);
    expect(update.version).toBe(4);
    expect(update.changes).toEqual({ text: { from: uhri().text, to: changed.text } });
    expect(update.fields.text).toBe(changed.text);
    expect(plan.rows).toEqual([
      expect.objectContaining({ outcome: 'updated', recommendationId: existing.id, changedFields: ['text'] }),
    ]);
    expect(plan.snapshots).toEqual([
      { recommendationId: existing.id, source: 'uhri', data: changed, hash: contentHash(changed) },
    ]);
    expect(plan.created).toEqual([]);
  });

  it('adds a second source: the matrix after the UHRI export fills only the fields the UHRI lacks', () => {
    const existing = stored([uhri()]);
    // The matrix words the text differently and notes it: the UHRI values stay.
    const fromMatrix = matrix({ text: 'Ratify OP3-CRC (Portugal) (Slovakia);', position: 'noted' });
    const plan = planBatch([row(7, fromMatrix)], [existing], IMPORT);

    expect(plan.updated).toHaveLength(1);
    const [update] = plan.updated;
    expect(Object.keys(update.changes).sort()).toEqual(['clusterHeadings', 'positionSource', 'sources']);
    expect(update.changes.positionSource).toEqual({ from: null, to: 'A/HRC/28/15/Add.1 - Para. 3' });
    expect(update.changes.sources).toEqual({ from: ['uhri'], to: ['uhri', 'upr_matrix'] });
    expect(update.fields).toMatchObject({
      text: uhri().text,
      position: 'supported',
      annotationId: ANNOTATION,
      publishedOn: '2014-12-12',
    });
    expect(plan.rows[0]).toMatchObject({ outcome: 'updated', rowNumber: 7 });
    expect([...plan.rows[0].changedFields].sort()).toEqual(['clusterHeadings', 'positionSource', 'sources']);
  });

  it('recognises the matrix row by symbol and paragraph, as it has no annotation id', () => {
    const existing = stored([uhri()]);
    const plan = planBatch([row(2, matrix())], [existing], IMPORT);
    expect(plan.created).toEqual([]);
    expect(plan.rows[0]).toMatchObject({ outcome: 'updated', recommendationId: existing.id });
  });

  it('rejects a recommendation that appears a second time in the same file', () => {
    const plan = planBatch([row(2, uhri()), row(3, uhri({ text: 'A second wording.' }))], [], IMPORT);

    expect(plan.created).toHaveLength(1);
    expect(plan.rows[1]).toEqual({
      rowNumber: 3,
      outcome: 'rejected',
      recommendationId: null,
      documentSymbol: 'A/HRC/28/15',
      paragraph: '115.3',
      changedFields: [],
      problems: ['This recommendation already appears in an earlier row of this file.'],
    });
    expect(plan.created[0].fields.text).toBe(uhri().text);
  });

  it('rejects the repeat also when the first row only confirmed a stored recommendation', () => {
    const existing = stored([matrix()]);
    const plan = planBatch([row(2, matrix()), row(3, matrix())], [existing], IMPORT);
    expect(plan.rows.map((r) => r.outcome)).toEqual(['unchanged', 'rejected']);
    expect(plan.rows[1].problems).toEqual([expect.stringMatching(/earlier row/)]);
  });

  it('rejects a UHRI row whose symbol and paragraph another annotation already holds', () => {
    const existing = stored([uhri()]);
    const plan = planBatch([row(5, uhri({ annotationId: OTHER_ANNOTATION }))], [existing], IMPORT);

    expect(plan.rows).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        recommendationId: null,
        problems: [`A/HRC/28/15 para. 115.3 is already held by annotation ${ANNOTATION}.`],
      }),
    ]);
    expect(plan.created).toEqual([]);
    expect(plan.updated).toEqual([]);
    expect(plan.snapshots).toEqual([]);
  });

  it('rejects an annotation that moves onto a paragraph another recommendation holds', () => {
    const first = stored([uhri()]);
    const second = stored([matrix({ paragraph: '115.4' })], { id: '3f0c7d8e-2b1a-4c5d-9e8f-000000000002' });
    const plan = planBatch([row(2, uhri({ paragraph: '115.4' }))], [first, second], IMPORT);
    expect(plan.rows[0]).toMatchObject({ outcome: 'rejected', paragraph: '115.4' });
    expect(plan.rows[0].problems[0]).toMatch(
      new RegExp(`Annotation ${ANNOTATION} belongs to another paragraph`),
    );
    expect(plan.updated).toEqual([]);
  });

  it('rejects a row the mapper could not read, carrying its problems', () => {
    const problems = ['Unknown UPR position "Maybe": expected Supported, Noted or Supported/Noted.'];
    const plan = planBatch(
      [{ rowNumber: 9, problems, documentSymbol: 'A/HRC/28/15', paragraph: '115.9' }],
      [],
      IMPORT,
    );
    expect(plan.rows).toEqual([
      {
        rowNumber: 9,
        outcome: 'rejected',
        recommendationId: null,
        documentSymbol: 'A/HRC/28/15',
        paragraph: '115.9',
        changedFields: [],
        problems,
      },
    ]);
    expect(plan.created).toEqual([]);
  });

  it('reports no symbol or paragraph for a rejected row that has none', () => {
    const plan = planBatch([{ rowNumber: 4, problems: ['The text is empty.'] }], [], IMPORT);
    expect(plan.rows[0]).toMatchObject({ documentSymbol: null, paragraph: null });
  });

  it('creates once, with the fields of both sources, when two sources of one batch carry a new recommendation', () => {
    const plan = planBatch([row(2, uhri()), row(3, matrix())], [], IMPORT);

    expect(plan.created).toHaveLength(1);
    expect(plan.updated).toEqual([]);
    expect(plan.created[0].fields).toMatchObject({
      sources: ['uhri', 'upr_matrix'],
      positionSource: 'A/HRC/28/15/Add.1 - Para. 3',
      annotationId: ANNOTATION,
    });
    expect(plan.rows.map((r) => r.recommendationId)).toEqual([plan.created[0].id, plan.created[0].id]);
    expect(plan.snapshots.map((s) => s.source)).toEqual(['uhri', 'upr_matrix']);
  });

  it('keeps the position the State edited by hand in the update', () => {
    const existing = stored([uhri()], { editedPosition: 'supported_in_part' });
    const plan = planBatch([row(2, uhri({ position: 'noted' }))], [existing], IMPORT);

    expect(plan.updated).toHaveLength(1);
    expect(plan.updated[0].editedPosition).toBe('supported_in_part');
    expect(plan.updated[0].changes.position).toEqual({ from: 'supported', to: 'noted' });
    expect(plan.updated[0].fields.position).toBe('noted');
  });

  it('counts one version for several changes to one recommendation in a batch', () => {
    const existing = stored([uhri()], { version: 2 });
    const plan = planBatch(
      [row(2, matrix()), row(3, uhri({ text: 'Ratify OP3-CRC.', annotationId: ANNOTATION }))],
      [existing],
      IMPORT,
    );
    expect(plan.updated).toHaveLength(1);
    expect(plan.updated[0].version).toBe(3);
    expect(Object.keys(plan.updated[0].changes).sort()).toEqual([
      'clusterHeadings',
      'positionSource',
      'sources',
      'text',
    ]);
    expect(plan.updated[0].changes.text).toEqual({ from: uhri().text, to: 'Ratify OP3-CRC.' });
  });

  it('frees a paragraph a row moved away from, so a later row of the batch can create a record there', () => {
    const existing = stored([uhri()]);
    const plan = planBatch(
      [
        row(2, uhri({ paragraph: '115.4' })),
        row(3, uhri({ annotationId: OTHER_ANNOTATION, text: 'Ratify the ICRMW (Egypt);' })),
      ],
      [existing],
      IMPORT,
    );

    expect(plan.rows.map((r) => [r.outcome, r.paragraph])).toEqual([
      ['updated', '115.4'],
      ['created', '115.3'],
    ]);
    expect(plan.updated[0].changes.paragraph).toEqual({ from: '115.3', to: '115.4' });
    expect(plan.created[0].fields).toMatchObject({ paragraph: '115.3', annotationId: OTHER_ANNOTATION });
  });

  it('rejects a change whose merged symbol and paragraph another recommendation already holds', () => {
    // The planner does not count on the mappers: a UHRI snapshot without a symbol would take the
    // matrix's, field by field, and land on 115.4, which the second recommendation holds.
    const first = stored([uhri(), matrix()]);
    const second = stored([matrix({ paragraph: '115.4' })], { id: '3f0c7d8e-2b1a-4c5d-9e8f-000000000002' });
    const plan = planBatch(
      [row(6, uhri({ documentSymbol: '', paragraph: '115.4' }))],
      [first, second],
      IMPORT,
    );

    expect(plan.rows).toEqual([
      expect.objectContaining({
        rowNumber: 6,
        outcome: 'rejected',
        recommendationId: null,
        problems: ['A/HRC/28/15 para. 115.4 already exists.'],
      }),
    ]);
    expect(plan.updated).toEqual([]);
    expect(plan.snapshots).toEqual([]);
  });

  it('keeps the value before the batch as "from" when two rows of the batch change the same field', () => {
    const existing = stored([uhri()], { version: 2 });
    const template = uhri({ source: 'template', annotationId: null, publishedOn: null, indexedOn: null });
    const plan = planBatch([row(2, matrix()), row(3, template)], [existing], IMPORT);

    expect(plan.updated).toHaveLength(1);
    expect(plan.updated[0].version).toBe(3);
    expect(plan.updated[0].changes.sources).toEqual({
      from: ['uhri'],
      to: ['uhri', 'upr_matrix', 'template'],
    });
    expect(plan.rows.map((r) => r.changedFields)).toEqual([
      ['positionSource', 'clusterHeadings', 'sources'],
      ['sources'],
    ]);
  });
});
