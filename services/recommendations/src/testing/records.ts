// Test-only (excluded from the build): recommendations as the importers produce them.
import type { ImportedRecommendation } from '../catalogue/merged-record';

/** Slovenia, UPR cycle 2, A/HRC/28/15 para. 115.3, as the UHRI export carries it; override what a case needs. */
export function uhriRecord(overrides: Partial<ImportedRecommendation> = {}): ImportedRecommendation {
  return {
    source: 'uhri',
    annotationId: '0786354d-b83e-5c8a-8f93-8099f9106146',
    mechanism: 'upr',
    body: 'UPR',
    bodies: ['UPR'],
    type: 'recommendation',
    documentSymbol: 'A/HRC/28/15',
    paragraph: '115.3',
    text: 'Ratify the Optional Protocol to the Rights of the Child on a communications procedure (Portugal, Slovakia);',
    language: 'en',
    stateUnderReview: 'SVN',
    uprCycle: 2,
    uprSession: 20,
    publishedOn: '2014-12-12',
    indexedOn: '2015-01-11',
    recommendingStates: ['Portugal', 'Slovakia'],
    recommendingRegions: [],
    regions: ['Western European and other States'],
    position: 'supported',
    positionSource: null,
    themes: ['ratification-international-instruments'],
    themeLabels: ['A12 Acceptance of international norms'],
    groups: ['children'],
    groupLabels: ['children'],
    sdgGoals: [],
    sdgTargets: [],
    clusterHeadings: [],
    ...overrides,
  };
}
