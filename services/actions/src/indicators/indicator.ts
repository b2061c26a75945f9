import { isNameOrTitle } from '@nmirf/platform';

/**
 * Indicators measure an action or a recommendation (OHCHR's structural / process / outcome
 * indicators), each with a baseline, a target, how often it is reported and where its data comes
 * from; measurements are reported against it. Pure: no I/O.
 */
export const INDICATOR_TYPES = ['structural', 'process', 'outcome'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const MONTHS: Record<Frequency, number> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };

/** A value on a day: a baseline or a target. Dates are calendar days, `YYYY-MM-DD`. */
export interface DatedValue {
  value: number;
  date: string;
}

export interface IndicatorDefinition {
  name: string;
  type: IndicatorType;
  unit: string;
  baseline: DatedValue;
  target: DatedValue;
  frequency: Frequency;
  dataSource: string;
  disaggregation: string[];
  /** An SDG indicator such as `16.3.1`, or null. */
  sdgIndicator: string | null;
}

/** What the indicator measures: an action, or a recommendation. */
export type IndicatorSubject = { kind: 'action'; id: string } | { kind: 'recommendation'; id: string };

export interface Indicator extends IndicatorDefinition {
  id: string;
  subject: IndicatorSubject;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

export interface Measurement {
  id: string;
  indicatorId: string;
  value: number;
  date: string;
  note: string;
  reportedBy: string;
  /** The institution the reporter wrote for; null for the coordinator. */
  institutionId: string | null;
  /** The progress report it was given in, if any. */
  progressReportId: string | null;
  recordedAt: Date;
}

export const MAX_TEXT_LENGTH = 300;
export const MAX_NOTE_LENGTH = 2_000;
export const MAX_DISAGGREGATION = 20;
/** Goal.target.indicator, as the SDG framework numbers them: 16.3.1, 4.a.1, 17.19.2. */
export const SDG_INDICATOR = /^(?:[1-9]|1[0-7])\.(?:[1-9]\d?|[a-z])\.[1-9]\d?$/;
export const SDG_RULE = 'must be an SDG indicator code such as 16.3.1';
export const TEXT_RULE = `must be 1 to ${MAX_TEXT_LENGTH} characters of visible text on one line`;
export const NOTE_RULE = `must be at most ${MAX_NOTE_LENGTH} characters, without control characters other than line breaks`;
export const VALUE_RULE = 'must be a finite number';
export const DATE_RULE = 'must be a calendar date such as 2026-03-01';

const CONTROL = /(?![\t\n\r])\p{Cc}/u;

export const isLabel = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_TEXT_LENGTH && isNameOrTitle(value);
export const isNote = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_NOTE_LENGTH && !CONTROL.test(value);
export const isValue = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
export const isSdgIndicator = (value: unknown): value is string =>
  typeof value === 'string' && SDG_INDICATOR.test(value);

/** A real calendar day, `YYYY-MM-DD`, from 1945 to 2100. */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return (
    Number.isFinite(day.getTime()) &&
    day.toISOString().slice(0, 10) === value &&
    value >= '1945-01-01' &&
    value <= '2100-12-31'
  );
}

/** The definition's problems, one line each; empty when it may be saved. */
export function definitionProblems(definition: IndicatorDefinition): string[] {
  const problems: string[] = [];
  if (!isLabel(definition.name)) problems.push(`name ${TEXT_RULE}`);
  if (!INDICATOR_TYPES.includes(definition.type))
    problems.push(`type must be one of ${INDICATOR_TYPES.join(', ')}`);
  if (!isLabel(definition.unit)) problems.push(`unit ${TEXT_RULE}`);
  if (!isLabel(definition.dataSource)) problems.push(`dataSource ${TEXT_RULE}`);
  if (!FREQUENCIES.includes(definition.frequency))
    problems.push(`frequency must be one of ${FREQUENCIES.join(', ')}`);
  for (const [field, dated] of [
    ['baseline', definition.baseline],
    ['target', definition.target],
  ] as const) {
    if (!isValue(dated.value)) problems.push(`${field}.value ${VALUE_RULE}`);
    if (!isCalendarDay(dated.date)) problems.push(`${field}.date ${DATE_RULE}`);
  }
  if (isCalendarDay(definition.baseline.date) && isCalendarDay(definition.target.date))
    if (definition.target.date <= definition.baseline.date)
      problems.push('target.date must be after baseline.date');
  if (definition.disaggregation.length > MAX_DISAGGREGATION)
    problems.push(`disaggregation must list at most ${MAX_DISAGGREGATION} dimensions`);
  if (!definition.disaggregation.every(isLabel)) problems.push(`each disaggregation ${TEXT_RULE}`);
  if (
    new Set(definition.disaggregation.map((one) => one.toLowerCase())).size !==
    definition.disaggregation.length
  )
    problems.push('disaggregation must not name a dimension twice');
  if (definition.sdgIndicator !== null && !isSdgIndicator(definition.sdgIndicator))
    problems.push(`sdgIndicator ${SDG_RULE}`);
  return problems;
}

/** `day` plus `months` calendar months, kept at the month's last day when it has fewer (31 Jan + 1 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, last));
  return target.toISOString().slice(0, 10);
}

/**
 * When the next measurement is due: one reporting period after the latest measurement, or after the
 * baseline when there is none yet. A measurement dated earlier than the latest does not move it.
 */
export function nextReportingDate(
  indicator: Pick<IndicatorDefinition, 'baseline' | 'frequency'>,
  measuredOn: readonly string[],
): string {
  const latest = measuredOn.reduce((last, day) => (day > last ? day : last), indicator.baseline.date);
  return addMonths(latest, MONTHS[indicator.frequency]);
}

/** Whether the due date has passed on `today` (`YYYY-MM-DD`) without a measurement. */
export const isOverdue = (nextDue: string, today: string): boolean => nextDue < today;
