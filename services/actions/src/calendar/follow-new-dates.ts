import { cycleRank, deriveDeadlines, supersededSeries } from './calendar-rules';
import type { Milestone } from './milestone';
import type { CalendarEntry, ReportingDeadline } from './reporting-deadline';

export interface CalendarUpdate {
  entry: CalendarEntry;
  /** The due date before this import; equal to `entry.dueOn` when only the wording or source changed. */
  previousDueOn: string;
}

/** What one imported milestone does to the calendar; apply all three in one transaction. */
export interface CalendarChanges {
  add: CalendarEntry[];
  update: CalendarUpdate[];
  close: CalendarEntry[];
}

/**
 * Follows a mechanism's new dates: merges the deadlines `milestone` gives into `existing` (the
 * calendar as stored, any subset that holds the milestone's series). A deadline with the same id
 * moves to the new date (SEQUENCE + 1); a new one is added; an open deadline of an earlier cycle
 * in a series the milestone supersedes is closed (SEQUENCE + 1). Manual entries are never touched
 * by a document: only a manual milestone with the same reference updates one.
 */
export function followNewDates(existing: readonly CalendarEntry[], milestone: Milestone): CalendarChanges {
  const derived = deriveDeadlines(milestone);
  const byId = new Map(existing.map((entry) => [entry.id, entry]));
  const changes: CalendarChanges = { add: [], update: [], close: [] };

  for (const deadline of derived) {
    const current = byId.get(deadline.id);
    if (!current) {
      changes.add.push({ ...deadline, status: 'open', sequence: 0 });
      continue;
    }
    const moved = current.dueOn !== deadline.dueOn;
    const reopened = current.status !== 'open';
    if (!moved && !reopened && sameWording(current, deadline)) continue;
    changes.update.push({
      entry: { ...deadline, status: 'open', sequence: current.sequence + (moved || reopened ? 1 : 0) },
      previousDueOn: current.dueOn,
    });
  }

  const derivedIds = new Set(derived.map((deadline) => deadline.id));
  for (const { kind, belowRank } of supersededSeries(milestone)) {
    for (const entry of existing) {
      const superseded =
        entry.kind === kind &&
        entry.status === 'open' &&
        entry.state === milestone.state &&
        entry.body === (milestone.kind === 'concluding_observations' ? milestone.body : 'UPR') &&
        !derivedIds.has(entry.id) &&
        cycleRank(entry.cycle) < belowRank;
      if (superseded) changes.close.push({ ...entry, status: 'closed', sequence: entry.sequence + 1 });
    }
  }
  return changes;
}

/** Same source, estimate flag and messages; parameters compared whatever their key order (jsonb sorts keys). */
function sameWording(current: ReportingDeadline, next: ReportingDeadline): boolean {
  return (
    current.source === next.source &&
    current.estimated === next.estimated &&
    canonical(current.title) === canonical(next.title) &&
    canonical(current.description) === canonical(next.description)
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
