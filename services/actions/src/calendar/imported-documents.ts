import { REPORTING_TREATY_BODIES, examinedReport, type ReportingTreatyBody } from './milestone';

/** What a recommendation event says about the document it comes from. */
export interface ImportedRecommendationSource {
  mechanismKind: string;
  /** UPR, CEDAW…: the recommendations service's mechanism code. */
  mechanism: string;
  documentSymbol: string;
  stateUnderReview: string;
  uprCycle: number;
  uprSession: number;
}

export interface CalendarDocumentCandidate {
  documentSymbol: string;
  state: string;
  mechanism: 'upr' | 'treaty_body';
  body: string;
  uprCycle: number | null;
  uprSession: number | null;
}

/**
 * The document a recommendation comes from, when the calendar's rules could derive deadlines from it:
 * a UPR Working Group report with its cycle, or a committee's concluding observations on the State.
 * Imports carry neither the review nor the adoption date, so no deadline is derived here: the
 * document waits for the coordinator to confirm its dates (and follow-up paragraphs) as a milestone.
 */
export function calendarDocumentOf(source: ImportedRecommendationSource): CalendarDocumentCandidate | null {
  const documentSymbol = source.documentSymbol.replace(/\s+/g, '').toUpperCase();
  const state = source.stateUnderReview.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(state) || documentSymbol === '') return null;
  if (source.mechanismKind === 'upr') {
    if (!(source.uprCycle > 0)) return null;
    const uprSession = source.uprSession > 0 ? source.uprSession : null;
    return { documentSymbol, state, mechanism: 'upr', body: 'UPR', uprCycle: source.uprCycle, uprSession };
  }
  if (source.mechanismKind === 'treaty_body') {
    const body = source.mechanism.trim().toUpperCase();
    if (!(REPORTING_TREATY_BODIES as readonly string[]).includes(body)) return null;
    if (!examinedReport(body as ReportingTreatyBody, documentSymbol)) return null;
    if (!documentSymbol.includes(`/${state}/`)) return null;
    return { documentSymbol, state, mechanism: 'treaty_body', body, uprCycle: null, uprSession: null };
  }
  return null;
}
