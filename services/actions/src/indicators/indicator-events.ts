import type { PendingEvent } from '@nmirf/platform';
import { nextReportingDate, type Indicator, type Measurement } from './indicator';

/** `reassigned`: the institutions that report it changed (the action's, or the actions serving the recommendation). */
export type IndicatorScheduleCause = 'defined' | 'redefined' | 'measured' | 'reassigned';

/**
 * IndicatorScheduled: the indicator's next reporting day and who reports it, appended in the
 * transaction of each definition, redefinition and measurement, so notifications can remind them.
 * It carries the whole definition and every measurement too, so reporting's annex can show the
 * latest measurement without asking this service.
 */
export function indicatorScheduled(
  cause: IndicatorScheduleCause,
  indicator: Indicator,
  measurements: readonly Measurement[],
  institutionIds: readonly string[],
): PendingEvent {
  const measuredOn = measurements.map((measurement) => measurement.date);
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
      content: {
        $typeName: 'nmirf.events.v1.IndicatorContent',
        type: indicator.type,
        unit: indicator.unit,
        baseline: { $typeName: 'nmirf.events.v1.IndicatorValue', ...indicator.baseline },
        target: { $typeName: 'nmirf.events.v1.IndicatorValue', ...indicator.target },
        measurements: [...measurements]
          .sort((a, b) => a.date.localeCompare(b.date) || a.recordedAt.getTime() - b.recordedAt.getTime())
          .map((measurement) => ({
            $typeName: 'nmirf.events.v1.IndicatorMeasurement',
            measurementId: measurement.id,
            value: measurement.value,
            measuredOn: measurement.date,
            progressReportId: measurement.progressReportId ?? '',
          })),
        sdgIndicator: indicator.sdgIndicator ?? '',
        version: indicator.version,
      },
    },
  };
}
