import {
  changedFields,
  contentHash,
  mergeSources,
  type ImportedRecommendation,
  type MergedFields,
} from './merged-record';
import { uhriRecord } from '../testing/records';

const uhri = uhriRecord;

/** The same recommendation as the OHCHR matrix carries it: no annotation id or dates, but a position source. */
function matrix(overrides: Partial<ImportedRecommendation> = {}): ImportedRecommendation {
  return uhri({
    source: 'upr_matrix',
    annotationId: null,
    text: 'Ratify the Optional Protocol to the Convention on the Rights of the Child on a communications procedure (Portugal) (Slovakia);',
    publishedOn: null,
    indexedOn: null,
    regions: [],
    position: 'noted',
    positionSource: 'A/HRC/28/15/Add.1 - Para. 3',
    themeLabels: ['Acceptance of international norms'],
    groupLabels: ['Children'],
    clusterHeadings: ['A12 Acceptance of international norms'],
    ...overrides,
  });
}

function template(overrides: Partial<ImportedRecommendation> = {}): ImportedRecommendation {
  return matrix({
    source: 'template',
    text: 'A national paraphrase of the recommendation.',
    positionSource: 'National position paper 2015',
    clusterHeadings: ['National cluster'],
    sdgGoals: ['16'],
    sdgTargets: ['16.3'],
    ...overrides,
  });
}

describe('mergeSources', () => {
  it('gives the same result whatever order the snapshots come in', () => {
    const snapshots = [uhri(), matrix(), template()];
    const expected = mergeSources(snapshots);
    for (const order of [
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]) {
      expect(mergeSources(order.map((i) => snapshots[i]))).toEqual(expected);
    }
  });

  it('takes the UHRI value of a field that several sources carry', () => {
    const merged = mergeSources([matrix(), uhri()]);
    expect(merged.text).toBe(uhri().text);
    expect(merged.position).toBe('supported');
    expect(merged.themeLabels).toEqual(['A12 Acceptance of international norms']);
    expect(merged.groupLabels).toEqual(['children']);
  });

  it('fills from the matrix what the UHRI export lacks', () => {
    const merged = mergeSources([uhri(), matrix()]);
    expect(merged.positionSource).toBe('A/HRC/28/15/Add.1 - Para. 3');
    expect(merged.clusterHeadings).toEqual(['A12 Acceptance of international norms']);
    // ...and keeps what only the UHRI export has.
    expect(merged.annotationId).toBe('0786354d-b83e-5c8a-8f93-8099f9106146');
    expect(merged.publishedOn).toBe('2014-12-12');
    expect(merged.regions).toEqual(['Western European and other States']);
  });

  it('prefers the matrix over the template, and the template only fills what no UN source has', () => {
    const merged = mergeSources([template(), matrix(), uhri()]);
    expect(merged.positionSource).toBe('A/HRC/28/15/Add.1 - Para. 3');
    expect(merged.clusterHeadings).toEqual(['A12 Acceptance of international norms']);
    expect(merged.sdgGoals).toEqual(['16']);
    expect(merged.sdgTargets).toEqual(['16.3']);
  });

  it('lists the sources that carried the recommendation, UHRI first', () => {
    expect(mergeSources([matrix(), uhri()]).sources).toEqual(['uhri', 'upr_matrix']);
    expect(mergeSources([template()]).sources).toEqual(['template']);
    expect(mergeSources([template(), matrix()]).sources).toEqual(['upr_matrix', 'template']);
  });

  it('does not carry the per-snapshot source field into the merged record', () => {
    expect(mergeSources([uhri()])).not.toHaveProperty('source');
  });

  it('keeps a field empty when no source carries it', () => {
    const merged = mergeSources([uhri({ positionSource: null }), matrix({ positionSource: null })]);
    expect(merged.positionSource).toBeNull();
  });

  it('refuses an empty list', () => {
    expect(() => mergeSources([])).toThrow(/at least one/);
  });
});

describe('changedFields', () => {
  const before: MergedFields = mergeSources([uhri()]);

  it('is empty for equal records', () => {
    expect(changedFields(before, mergeSources([uhri()]))).toEqual([]);
  });

  it('lists exactly the fields that differ', () => {
    const after = mergeSources([
      uhri({ text: 'Ratify OP3-CRC.', themes: ['children-rights'], position: 'noted' }),
    ]);
    expect(changedFields(before, after).sort()).toEqual(['position', 'text', 'themes']);
  });

  it('sees a second source as a change of sources and of the fields it filled', () => {
    const after = mergeSources([uhri(), matrix()]);
    expect(changedFields(before, after).sort()).toEqual(['clusterHeadings', 'positionSource', 'sources']);
  });

  it('compares lists in order', () => {
    const after = mergeSources([uhri({ recommendingStates: ['Slovakia', 'Portugal'] })]);
    expect(changedFields(before, after)).toEqual(['recommendingStates']);
  });
});

describe('contentHash', () => {
  it('is the same for equal records, whatever the order of their keys', () => {
    const record = uhri();
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as ImportedRecommendation;
    expect(contentHash(reordered)).toBe(contentHash(record));
    expect(contentHash(uhri())).toBe(contentHash(record));
    expect(contentHash(record)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<ImportedRecommendation>]>([
    ['text', { text: 'Ratify OP3-CRC.' }],
    ['position', { position: 'noted' }],
    ['annotation id', { annotationId: null }],
    ['source', { source: 'upr_matrix' }],
    ['order of a list', { recommendingStates: ['Slovakia', 'Portugal'] }],
    ['one list value', { sdgGoals: ['16'] }],
  ])('differs when the %s differs', (_, change) => {
    expect(contentHash(uhri(change))).not.toBe(contentHash(uhri()));
  });
});
