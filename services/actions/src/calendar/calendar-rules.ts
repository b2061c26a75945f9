import { addDays, addMonths } from './calendar-days';
import type { CalendarMessage, CalendarMessageKey, MessageParams } from './calendar-messages';
import {
  assertValidMilestone,
  examinedReport,
  type CalendarMechanism,
  type ConcludingObservationsMilestone,
  type ManualMilestone,
  type Milestone,
  type ReportingTreatyBody,
  type UprOutcomeMilestone,
} from './milestone';
import { deadlineId, deadlineKey, type DeadlineKind, type ReportingDeadline } from './reporting-deadline';

/*
 * The rules, and where they come from. Where a document gives the date itself (the next review in
 * the Council's calendar, OHCHR's national-report deadline, the follow-up date written in concluding
 * observations), the milestone carries it and it wins; the constants fill in when it does not.
 */

/**
 * UPR cycles from the second on last four and a half years (HRC resolution 16/21, annex), and States
 * keep their place in the order of review, so the next review falls about 54 months after this one.
 */
export const UPR_CYCLE_MONTHS = 54;

/**
 * The Council encourages a voluntary mid-term update on the recommendations (HRC resolution 16/21,
 * annex); OHCHR suggests submitting it half-way through the cycle, about two and a half years after
 * the Council adopts the outcome.
 */
export const UPR_MID_TERM_MONTHS_AFTER_ADOPTION = 30;

/**
 * Assumption: the national report is due about twelve weeks before the review. OHCHR sets the exact
 * day for each Working Group session (lately 12 to 15 weeks ahead); enter it as
 * `nationalReportDueOn` once published.
 */
export const UPR_NATIONAL_REPORT_WEEKS_BEFORE_REVIEW = 12;

/**
 * Written follow-up procedures ask for information on the paragraphs marked for follow-up within one
 * year, two for CEDAW and CMW (OHCHR, "Follow-up to concluding observations"). Committees without
 * a formal procedure that still mark paragraphs get the common one year.
 */
export const TB_FOLLOW_UP_MONTHS: Readonly<Record<ReportingTreatyBody, number>> = {
  CERD: 12,
  CESCR: 12,
  CCPR: 12,
  CEDAW: 24,
  CAT: 12,
  CRC: 12,
  CMW: 24,
  CRPD: 12,
  CED: 12,
};

/**
 * The State's reporting deadlines a milestone gives, earliest first. Throws a 422 DomainError on a
 * milestone the rules cannot read.
 */
export function deriveDeadlines(milestone: Milestone): ReportingDeadline[] {
  assertValidMilestone(milestone);
  const deadlines =
    milestone.kind === 'upr_outcome'
      ? fromUprOutcome(milestone)
      : milestone.kind === 'concluding_observations'
        ? fromConcludingObservations(milestone)
        : [fromManualEntry(milestone)];
  return deadlines.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
}

/**
 * The series a milestone closes, and below which rank: an outcome of cycle N ends the mid-term
 * reports of earlier cycles and the national reports up to cycle N (written for reviews now held);
 * concluding observations on report R end the follow-up reports on earlier observations and the
 * periodic reports up to R (R was examined). Reviews are events, not tasks: none is closed.
 */
export function supersededSeries(milestone: Milestone): { kind: DeadlineKind; belowRank: number }[] {
  if (milestone.kind === 'upr_outcome') {
    return [
      { kind: 'upr_mid_term_report', belowRank: milestone.cycle },
      { kind: 'upr_national_report', belowRank: milestone.cycle + 1 },
    ];
  }
  if (milestone.kind === 'concluding_observations') {
    const examined = cycleRank(examinedReport(milestone.body, milestone.documentSymbol) ?? '');
    return [
      { kind: 'tb_follow_up_report', belowRank: examined },
      { kind: 'tb_periodic_report', belowRank: examined + 1 },
    ];
  }
  return [];
}

/** The order of a cycle within its series: the last report of a combined one ("5-6" → 6). */
export function cycleRank(cycle: string): number {
  const numbers = cycle.split('-').map(Number);
  const last = numbers[numbers.length - 1];
  return Number.isInteger(last) ? last : Number.NaN;
}

function fromUprOutcome(m: UprOutcomeMilestone): ReportingDeadline[] {
  const next = m.cycle + 1;
  const nextReviewOn = m.nextReviewOn ?? addMonths(m.reviewedOn, UPR_CYCLE_MONTHS);
  const nationalReportDueOn =
    m.nationalReportDueOn ?? addDays(nextReviewOn, -7 * UPR_NATIONAL_REPORT_WEEKS_BEFORE_REVIEW);
  const upr = { state: m.state, mechanism: 'upr' as const, body: 'UPR', source: m.documentSymbol.trim() };
  return [
    deadline({ ...upr, kind: 'upr_review', cycle: m.cycle, dueOn: m.reviewedOn, estimated: false }),
    deadline({
      ...upr,
      kind: 'upr_mid_term_report',
      cycle: m.cycle,
      dueOn: addMonths(m.adoptedOn, UPR_MID_TERM_MONTHS_AFTER_ADOPTION),
      estimated: false,
    }),
    deadline({
      ...upr,
      kind: 'upr_national_report',
      cycle: next,
      dueOn: nationalReportDueOn,
      estimated: m.nationalReportDueOn === undefined,
    }),
    deadline({
      ...upr,
      kind: 'upr_review',
      cycle: next,
      dueOn: nextReviewOn,
      estimated: m.nextReviewOn === undefined,
    }),
  ];
}

function fromConcludingObservations(m: ConcludingObservationsMilestone): ReportingDeadline[] {
  const examined = examinedReport(m.body, m.documentSymbol) as string;
  const committee = {
    state: m.state,
    mechanism: 'treaty_body' as const,
    body: m.body,
    source: m.documentSymbol.trim(),
  };
  const deadlines: ReportingDeadline[] = [];
  if (m.followUpParagraphs.length > 0) {
    deadlines.push(
      deadline({
        ...committee,
        kind: 'tb_follow_up_report',
        cycle: examined,
        dueOn: m.followUpDueOn ?? addMonths(m.adoptedOn, TB_FOLLOW_UP_MONTHS[m.body]),
        estimated: false,
        params: { paragraphs: m.followUpParagraphs },
      }),
    );
  }
  if (m.nextPeriodicReport) {
    const report = m.nextPeriodicReport.number ?? String(cycleRank(examined) + 1);
    deadlines.push(
      deadline({
        ...committee,
        kind: 'tb_periodic_report',
        cycle: report,
        dueOn: m.nextPeriodicReport.dueOn,
        estimated: false,
        params: { report },
      }),
    );
  }
  return deadlines;
}

function fromManualEntry(m: ManualMilestone): ReportingDeadline {
  return deadline({
    state: m.state,
    mechanism: m.mechanism,
    body: m.body.trim(),
    kind: 'manual',
    cycle: m.reference.trim(),
    dueOn: m.dueOn,
    estimated: false,
    source: null,
    params: { title: m.title.trim() },
  });
}

function deadline(parts: {
  state: string;
  mechanism: CalendarMechanism;
  body: string;
  kind: DeadlineKind;
  cycle: string | number;
  dueOn: string;
  estimated: boolean;
  source: string | null;
  params?: MessageParams;
}): ReportingDeadline {
  const cycle = String(parts.cycle);
  const key = deadlineKey({ ...parts, cycle });
  const params: MessageParams = {
    body: parts.body,
    cycle,
    ...(parts.source === null ? {} : { source: parts.source }),
    ...parts.params,
  };
  return {
    id: deadlineId(key),
    key,
    kind: parts.kind,
    state: parts.state,
    mechanism: parts.mechanism,
    body: parts.body,
    cycle,
    dueOn: parts.dueOn,
    estimated: parts.estimated,
    source: parts.source,
    title: message(`${parts.kind}.title`, params),
    description: message(`${parts.kind}.description`, params),
  };
}

function message(key: string, params: MessageParams): CalendarMessage {
  return { key: key as CalendarMessageKey, params };
}
