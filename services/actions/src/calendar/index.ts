// The reporting calendar: pure rules and formats, no Nest, no database (see README.md).
export { addDays, addMonths, formatDay, isDay, parseDay } from './calendar-days';
export {
  CALENDAR_LANGS,
  CALENDAR_MESSAGES,
  calendarTranslator,
  isCalendarLang,
  type CalendarLang,
  type CalendarMessage,
  type CalendarMessageKey,
  type MessageParams,
  type Translate,
} from './calendar-messages';
export {
  TB_FOLLOW_UP_MONTHS,
  UPR_CYCLE_MONTHS,
  UPR_MID_TERM_MONTHS_AFTER_ADOPTION,
  UPR_NATIONAL_REPORT_WEEKS_BEFORE_REVIEW,
  cycleRank,
  deriveDeadlines,
  supersededSeries,
} from './calendar-rules';
export { followNewDates, type CalendarChanges, type CalendarUpdate } from './follow-new-dates';
export { CALENDAR_PRODID, serializeCalendar, type CalendarFeedOptions } from './icalendar';
export {
  CALENDAR_MECHANISMS,
  REPORTING_TREATY_BODIES,
  assertValidMilestone,
  examinedReport,
  type CalendarMechanism,
  type ConcludingObservationsMilestone,
  type ManualMilestone,
  type Milestone,
  type ReportingTreatyBody,
  type UprOutcomeMilestone,
} from './milestone';
export {
  DEADLINE_KINDS,
  deadlineId,
  deadlineKey,
  type CalendarEntry,
  type DeadlineKind,
  type ReportingDeadline,
} from './reporting-deadline';
