import { isOverdue, nextReportingDate } from './indicator';
import type { IndicatorDetails } from './indicators.service';

/** An indicator with its measurements and when the next one is due. */
export function indicatorView({ indicator, measurements }: IndicatorDetails, today = new Date()) {
  const nextDue = nextReportingDate(
    indicator,
    measurements.map((measurement) => measurement.date),
  );
  return {
    id: indicator.id,
    actionId: indicator.subject.kind === 'action' ? indicator.subject.id : null,
    recommendationId: indicator.subject.kind === 'recommendation' ? indicator.subject.id : null,
    name: indicator.name,
    type: indicator.type,
    unit: indicator.unit,
    baseline: indicator.baseline,
    target: indicator.target,
    frequency: indicator.frequency,
    dataSource: indicator.dataSource,
    disaggregation: indicator.disaggregation,
    sdgIndicator: indicator.sdgIndicator,
    nextReportingDate: nextDue,
    overdue: isOverdue(nextDue, today.toISOString().slice(0, 10)),
    measurements: measurements.map((measurement) => ({
      id: measurement.id,
      value: measurement.value,
      date: measurement.date,
      note: measurement.note,
      reportedBy: measurement.reportedBy,
      institutionId: measurement.institutionId,
      progressReportId: measurement.progressReportId,
      recordedAt: measurement.recordedAt,
    })),
    version: indicator.version,
    createdBy: indicator.createdBy,
    createdAt: indicator.createdAt,
    updatedBy: indicator.updatedBy,
    updatedAt: indicator.updatedAt,
  };
}
