import { ReportingDeadlineChange } from '@nmirf/contracts';
import type { PendingEvent } from '@nmirf/platform';
import type { CalendarEntry } from './reporting-deadline';

export type CalendarChangeKind = 'scheduled' | 'updated' | 'closed';

const contractChange: Record<CalendarChangeKind, ReportingDeadlineChange> = {
  scheduled: ReportingDeadlineChange.SCHEDULED,
  updated: ReportingDeadlineChange.UPDATED,
  closed: ReportingDeadlineChange.CLOSED,
};

/** ReportingDeadlineChanged: the whole entry after the change, so notifications can upsert it. */
export function reportingDeadlineChanged(
  change: CalendarChangeKind,
  entry: CalendarEntry,
  previousDueOn: string | null,
): PendingEvent {
  return {
    case: 'reportingDeadlineChanged',
    aggregateId: entry.id,
    payload: {
      deadlineId: entry.id,
      change: contractChange[change],
      kind: entry.kind,
      state: entry.state,
      mechanism: entry.mechanism,
      body: entry.body,
      cycle: entry.cycle,
      dueOn: entry.dueOn,
      previousDueOn: previousDueOn ?? '',
      estimated: entry.estimated,
      source: entry.source ?? '',
      open: entry.status === 'open',
      sequence: entry.sequence,
      titleKey: entry.title.key,
      titleParamsJson: JSON.stringify(entry.title.params),
    },
  };
}
