import { DomainError, describeDateWindow, isWithinDateWindow } from '@nmirf/platform';
import { parseDay } from './calendar-days';

/** Treaty bodies whose concluding observations set reporting deadlines (the SPT visits; it sends none). */
export const REPORTING_TREATY_BODIES = [
  'CERD',
  'CESCR',
  'CCPR',
  'CEDAW',
  'CAT',
  'CRC',
  'CMW',
  'CRPD',
  'CED',
] as const;
export type ReportingTreatyBody = (typeof REPORTING_TREATY_BODIES)[number];

/** The symbol prefix of each committee's documents, as in CEDAW/C/SVN/CO/7 or E/C.12/SVN/CO/2. */
const SYMBOL_PREFIX: Record<ReportingTreatyBody, string> = {
  CERD: 'CERD/C',
  CESCR: 'E/C.12',
  CCPR: 'CCPR/C',
  CEDAW: 'CEDAW/C',
  CAT: 'CAT/C',
  CRC: 'CRC/C',
  CMW: 'CMW/C',
  CRPD: 'CRPD/C',
  CED: 'CED/C',
};

export const CALENDAR_MECHANISMS = [
  'upr',
  'treaty_body',
  'special_procedure',
  'regional',
  'voluntary_pledge',
  'national_plan',
] as const;
export type CalendarMechanism = (typeof CALENDAR_MECHANISMS)[number];

/** A State's UPR review in one cycle, as its Working Group report (the outcome) records it. */
export interface UprOutcomeMilestone {
  kind: 'upr_outcome';
  /** ISO 3166 alpha-3 of the State under review. */
  state: string;
  cycle: number;
  /** The Working Group report, e.g. A/HRC/43/15. */
  documentSymbol: string;
  /** The day of the review in the Working Group. */
  reviewedOn: string;
  /** The day the Human Rights Council adopted the outcome. */
  adoptedOn: string;
  /** The next review, once the Council's calendar of the next cycle gives it; estimated otherwise. */
  nextReviewOn?: string;
  /** OHCHR's deadline for the next national report, once published; estimated otherwise. */
  nationalReportDueOn?: string;
}

/** A committee's concluding observations on a State party's periodic report. */
export interface ConcludingObservationsMilestone {
  kind: 'concluding_observations';
  state: string;
  body: ReportingTreatyBody;
  /** e.g. CEDAW/C/SVN/CO/7: the report number(s) examined ("7", "3-4") are read from it. */
  documentSymbol: string;
  adoptedOn: string;
  /** The paragraphs the committee chose for its follow-up procedure; none, no follow-up report. */
  followUpParagraphs: readonly string[];
  /** The date the document itself sets for the follow-up information, when captured: it wins over the rule. */
  followUpDueOn?: string;
  /** The next periodic report as the document asks for it; its number defaults to the one after. */
  nextPeriodicReport?: { dueOn: string; number?: string };
}

/** A deadline entered by hand: regional mechanisms, national plans, anything no rule derives. */
export interface ManualMilestone {
  kind: 'manual';
  state: string;
  mechanism: CalendarMechanism;
  /** The body as the coordinator names it (e.g. "IACHR", "National action plan"). */
  body: string;
  /** The coordinator's reference, unique within the body ("2026 annual report"): it keys the deadline. */
  reference: string;
  /** Shown to readers as typed, in the language it was typed in. */
  title: string;
  dueOn: string;
}

export type Milestone = UprOutcomeMilestone | ConcludingObservationsMilestone | ManualMilestone;

const REPORT_NUMBER = /^\d{1,2}(?:-\d{1,2})?$/;
const PARAGRAPH = /^\d{1,3}(?:\.\d{1,3})?(?:\s?\([a-z]\))?$/;

/**
 * The report number(s) a committee examined, from its concluding observations' symbol
 * (CRC/C/SVN/CO/3-4 → "3-4"; a corrigendum or addendum counts as the same). Optional-protocol observations (CRC/C/OPSC/…) run on their own
 * calendar and are not derived: enter those by hand.
 */
export function examinedReport(body: ReportingTreatyBody, documentSymbol: string): string | undefined {
  const symbol = documentSymbol.replace(/\s+/g, '').toUpperCase();
  const prefix = `${SYMBOL_PREFIX[body]}/`;
  if (!symbol.startsWith(prefix)) return undefined;
  const match = /^[A-Z]{3}\/CO\/(\d{1,2}(?:-\d{1,2})?)(?:\/(?:ADD|CORR)\.\d{1,2})?$/.exec(
    symbol.slice(prefix.length),
  );
  return match?.[1];
}

/**
 * Refuses (422) a milestone the rules cannot read, naming the field: the calendar would otherwise
 * publish a wrong date to every subscriber.
 */
export function assertValidMilestone(milestone: Milestone): void {
  const refuse = (field: string, message: string): never => {
    throw new DomainError('unprocessable', `${field}: ${message}`);
  };
  const day = (field: string, value: unknown) => {
    const date = typeof value === 'string' ? parseDay(value) : undefined;
    if (!date) refuse(field, 'must be a calendar day, YYYY-MM-DD');
    else if (!isWithinDateWindow(date)) refuse(field, `must be ${describeDateWindow()}`);
  };
  const text = (field: string, value: unknown, max: number) => {
    if (typeof value !== 'string' || value.trim() === '') refuse(field, 'must not be empty');
    else if (value.length > max) refuse(field, `must be at most ${max} characters`);
  };
  if (!/^[A-Z]{3}$/.test(String(milestone.state))) refuse('state', 'must be an ISO 3166 alpha-3 code');

  switch (milestone.kind) {
    case 'upr_outcome':
      if (!Number.isInteger(milestone.cycle) || milestone.cycle < 1 || milestone.cycle > 20)
        refuse('cycle', 'must be a UPR cycle number');
      text('documentSymbol', milestone.documentSymbol, 60);
      day('reviewedOn', milestone.reviewedOn);
      day('adoptedOn', milestone.adoptedOn);
      if (milestone.adoptedOn < milestone.reviewedOn) refuse('adoptedOn', 'must not be before reviewedOn');
      if (milestone.nextReviewOn !== undefined) {
        day('nextReviewOn', milestone.nextReviewOn);
        if (milestone.nextReviewOn <= milestone.reviewedOn)
          refuse('nextReviewOn', 'must be after reviewedOn');
      }
      if (milestone.nationalReportDueOn !== undefined)
        day('nationalReportDueOn', milestone.nationalReportDueOn);
      return;
    case 'concluding_observations': {
      if (!(REPORTING_TREATY_BODIES as readonly string[]).includes(milestone.body))
        refuse('body', `must be one of ${REPORTING_TREATY_BODIES.join(', ')}`);
      text('documentSymbol', milestone.documentSymbol, 60);
      if (!examinedReport(milestone.body, milestone.documentSymbol))
        refuse(
          'documentSymbol',
          `must be concluding observations of ${milestone.body}, like ${SYMBOL_PREFIX[milestone.body]}/${milestone.state}/CO/5`,
        );
      if (!milestone.documentSymbol.toUpperCase().includes(`/${milestone.state}/`))
        refuse('documentSymbol', `must concern ${milestone.state}`);
      day('adoptedOn', milestone.adoptedOn);
      if (!Array.isArray(milestone.followUpParagraphs)) refuse('followUpParagraphs', 'must be a list');
      milestone.followUpParagraphs.forEach((paragraph, index) => {
        if (typeof paragraph !== 'string' || !PARAGRAPH.test(paragraph))
          refuse(`followUpParagraphs[${index}]`, 'must be a paragraph number such as 12 or 12 (b)');
      });
      if (milestone.followUpDueOn !== undefined) day('followUpDueOn', milestone.followUpDueOn);
      const next = milestone.nextPeriodicReport;
      if (next !== undefined) {
        day('nextPeriodicReport.dueOn', next.dueOn);
        if (next.dueOn <= milestone.adoptedOn) refuse('nextPeriodicReport.dueOn', 'must be after adoptedOn');
        if (next.number !== undefined && !REPORT_NUMBER.test(next.number))
          refuse('nextPeriodicReport.number', 'must be a report number such as 8 or 5-6');
      }
      return;
    }
    case 'manual':
      if (!(CALENDAR_MECHANISMS as readonly string[]).includes(milestone.mechanism))
        refuse('mechanism', `must be one of ${CALENDAR_MECHANISMS.join(', ')}`);
      text('body', milestone.body, 200);
      text('reference', milestone.reference, 200);
      text('title', milestone.title, 500);
      day('dueOn', milestone.dueOn);
      return;
    default:
      refuse('kind', 'must be upr_outcome, concluding_observations or manual');
  }
}
