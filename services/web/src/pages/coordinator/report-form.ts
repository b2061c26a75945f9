import type { ReportKind } from './api';

export interface ReportDraft {
  kind: ReportKind;
  format: string;
  language: string;
  state: string;
  cycle: string;
  institution: string;
  committee: string;
  documentSymbol: string;
  paragraphs: string;
  groupBy: string;
}

export type ReportErrors = Partial<
  Record<'state' | 'cycle' | 'institution' | 'committee' | 'documentSymbol' | 'paragraphs', string>
>;

/**
 * The body of `POST /reports` for the kind, with only the parameters it takes, or the errors (catalogue
 * keys) of the fields it needs: reporting's own rules (README), checked before asking.
 */
export function reportRequest(draft: ReportDraft): { body?: Record<string, unknown>; errors: ReportErrors } {
  const errors: ReportErrors = {};
  const body: Record<string, unknown> = { kind: draft.kind, format: draft.format };
  if (draft.kind !== 'action-progress') body.language = draft.language;
  const state = draft.state.trim().toUpperCase();
  const needsState =
    draft.kind === 'upr-annex' || draft.kind === 'thematic-matrix' || draft.kind === 'treaty-follow-up';
  if (needsState) {
    if (!/^[A-Z]{3}$/.test(state)) errors.state = 'coord.plan.stateInvalid';
    else body.state = state;
  }
  if (draft.kind === 'upr-annex' || draft.kind === 'thematic-matrix') {
    const cycle = draft.cycle.trim();
    if (!/^\d+$/.test(cycle) || Number(cycle) < 1 || Number(cycle) > 20)
      errors.cycle = 'coord.reports.cycleInvalid';
    else body.cycle = Number(cycle);
    body.groupBy = draft.groupBy;
  }
  if (draft.kind === 'task-list') {
    if (!draft.institution.trim()) errors.institution = 'coord.reports.required';
    else body.institution = draft.institution.trim();
  }
  if (draft.kind === 'action-progress' && draft.institution.trim())
    body.institution = draft.institution.trim();
  if (draft.kind === 'treaty-follow-up') {
    const committee = draft.committee.trim().toUpperCase();
    if (!/^[A-Z][A-Za-z-]{1,15}$/.test(committee)) errors.committee = 'coord.reports.committeeInvalid';
    else body.committee = committee;
    const symbol = draft.documentSymbol.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9/.()-]{1,99}$/.test(symbol))
      errors.documentSymbol = 'coord.reports.symbolInvalid';
    else body.documentSymbol = symbol;
    const paragraphs = draft.paragraphs
      .split(/[,;\s]+/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean);
    if (paragraphs.some((paragraph) => !/^[0-9A-Za-z][0-9A-Za-z.()-]{0,19}$/.test(paragraph)))
      errors.paragraphs = 'coord.reports.paragraphsInvalid';
    else if (paragraphs.length > 0) body.paragraphs = paragraphs;
  }
  return Object.keys(errors).length > 0 ? { errors } : { body, errors };
}
