import type { PendingEvent } from '@nmirf/platform';
import { nextReportingDate, type Indicator } from './indicator';

/** `reassigned`: the institutions that report it changed (the action's, or the actions serving the recommendation). */
export type IndicatorScheduleCause = 'defined' | 'redefined' | 'measured' | 'reassigned';

/**
 * IndicatorScheduled: the indicator's next reporting day and who reports it, appended in the
 * transaction of each definition, redefinition and measurement, so notifications can remind them.
 */
export function indicatorScheduled(
  cause: IndicatorScheduleCause,
  indicator: Indicator,
  measuredOn: readonly string[],
  institutionIds: readonly string[],
): PendingEvent {
  const latest = measuredOn.reduce<string>((last, day) => (day > last ? day : last), '');
  return {
    case: 'indicatorScheduled',
    aggregateId: indicator.id,
    payload: {
      indicatorId: indicator.id,
      cause,
      name: indicator.name,
      subjectKind: indicator.subject.kind,
      subjectId: indicator.subject.id,
      institutionIds: [...institutionIds],
      frequency: indicator.frequency,
      nextReportingOn: nextReportingDate(indicator, measuredOn),
      latestMeasuredOn: latest,
    },
  };
}
