import type { NewNotification, ProgressReportParams } from '../inbox/notification-kind';

/** The report's statuses after a step of its review, as ProgressReportTransitioned names them. */
export const PROGRESS_REPORT_STATUSES = [
  'draft',
  'submitted',
  'approved_by_validator',
  'returned_by_validator',
  'accepted_by_coordinator',
  'returned_by_coordinator',
] as const;
export type ProgressReportStatus = (typeof PROGRESS_REPORT_STATUSES)[number];

/** A step of a progress report's review as ProgressReportTransitioned carries it. */
export interface ProgressReportTransitionFacts {
  eventId: string;
  reportId: string;
  actionId: string;
  /** The reporting institution. */
  institutionId: string;
  status: ProgressReportStatus;
  final: boolean;
  percentage: number;
  /** What a returned report must change; empty otherwise. */
  comments: string;
}

/**
 * Who hears of a step of a progress report's review. Submitted: the reporting institution's
 * validators (`validation_requested`, rung `institution_validator`); approved by them: the coordinator
 * (`validation_requested`, rung `coordinator`); returned by either: the reporting institution, whose
 * focal points edit it (`returned_for_changes`, with the reviewer's comments). A draft or an accepted
 * report tells nobody. `title` is the action's, as this service knows it.
 */
export function planProgressNotifications(
  event: ProgressReportTransitionFacts,
  title: string,
  coordinatorInstitution: string,
  newId: () => string,
): NewNotification[] {
  const report: ProgressReportParams = {
    title,
    reportId: event.reportId,
    institution: event.institutionId,
    final: event.final,
    percentage: event.percentage,
  };
  const about = { id: newId(), actionId: event.actionId, sourceEventId: event.eventId };
  switch (event.status) {
    case 'submitted':
      return [
        {
          ...about,
          institution: event.institutionId,
          kind: 'validation_requested',
          params: { ...report, rung: 'institution_validator' },
        },
      ];
    case 'approved_by_validator':
      if (!coordinatorInstitution) return [];
      return [
        {
          ...about,
          institution: coordinatorInstitution,
          kind: 'validation_requested',
          params: { ...report, rung: 'coordinator' },
        },
      ];
    case 'returned_by_validator':
    case 'returned_by_coordinator': {
      const reason = event.comments.trim();
      return [
        {
          ...about,
          institution: event.institutionId,
          kind: 'returned_for_changes',
          params: {
            ...report,
            returnedBy: event.status === 'returned_by_validator' ? 'institution_validator' : 'coordinator',
            ...(reason ? { reason } : {}),
          },
        },
      ];
    }
    default:
      return [];
  }
}
