import type { PendingEvent } from '@nmirf/platform';
import type { WorkflowEvent } from '../workflow';
import type { EvidenceFile, ProgressReport } from './progress-report';

/**
 * One step of the report's review, as other services learn of it. The narrative and the evidence
 * travel once the report left its institution's drafting (submitted or later): a draft is not said yet.
 */
export function progressReportTransitioned(
  report: ProgressReport,
  event: WorkflowEvent,
  files: readonly EvidenceFile[] = [],
): PendingEvent {
  const said = report.status !== 'draft';
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
      content: said
        ? {
            $typeName: 'nmirf.events.v1.ProgressReportContent',
            narrative: report.narrative,
            files: files.map(({ sha256, name, mediaType, size }) => ({
              $typeName: 'nmirf.events.v1.ProgressReportFile',
              sha256,
              name,
              mediaType,
              size: BigInt(size),
            })),
          }
        : undefined,
    },
  };
}
