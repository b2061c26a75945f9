import type { PendingEvent } from '@nmirf/platform';
import type { WorkflowEvent } from '../workflow';
import type { ProgressReport } from './progress-report';

/** One step of the report's review, as other services learn of it. */
export function progressReportTransitioned(report: ProgressReport, event: WorkflowEvent): PendingEvent {
  return {
    case: 'progressReportTransitioned',
    aggregateId: report.id,
    payload: {
      reportId: report.id,
      actionId: report.actionId,
      institutionId: report.institutionId,
      transition: event.type,
      status: report.status,
      final: report.final,
      percentage: report.percentage,
      comments: event.comments ?? '',
      version: report.version,
    },
  };
}
