// What the participants' pages read from the APIs, and the little logic between the two.
export interface Comment {
  id: string;
  text: string | null;
  authorName: string;
  createdAt: string;
  deleted: boolean;
}

export const NOTIFICATION_KINDS = [
  'action_assigned',
  'action_reassigned_away',
  'action_due_date_changed',
  'deadline_reminder',
  'action_overdue',
  'escalation',
  'reporting_deadline_reminder',
  'indicator_reminder',
  'indicator_overdue',
  'comment_mention',
  'comment_posted',
  'validation_requested',
  'returned_for_changes',
  'webhook_disabled',
] as const;

export interface Notification {
  id: string;
  institution: string;
  kind: string;
  actionId: string | null;
  params: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface InboxPage {
  items: Notification[];
  total: number;
  unread: number;
}

/** Params hold data only: the dates become Date values for ICU, the rest stays as the API gave it. */
export function notificationValues(notification: Notification): Record<string, string | number | Date> {
  const values: Record<string, string | number | Date> = {};
  for (const [name, value] of Object.entries(notification.params)) {
    if ((name === 'dueAt' || name === 'dueOn') && typeof value === 'string') values[name] = new Date(value);
    else if (typeof value === 'string' || typeof value === 'number') values[name] = value;
  }
  // Every placeholder a kind's message names is given, so an old notification never breaks the page.
  for (const name of ['title', 'name', 'authorName', 'excerpt', 'reason', 'newInstitution', 'url'])
    values[name] ??= '';
  for (const name of ['step', 'percentage', 'attempts']) values[name] ??= 0;
  values.dueAt ??= new Date(notification.createdAt);
  values.dueOn ??= new Date(notification.createdAt);
  return values;
}

/** The catalogue key of a notification's sentence; an unknown kind (a newer server) reads generically. */
export const notificationKey = (kind: string): string =>
  (NOTIFICATION_KINDS as readonly string[]).includes(kind) ? `inbox.kind.${kind}` : 'inbox.kind.other';

export const MAIL_KINDS = [
  'assignment',
  'reminder',
  'overdue',
  'escalation',
  'returned_for_changes',
  'validation_requested',
] as const;
export const CADENCES = ['immediate', 'daily', 'weekly', 'off'] as const;

export interface Preference {
  kind: string;
  cadence: string;
  canTurnOff: boolean;
}

/** Only what changed goes to the API, which keeps the other kinds as they are. */
export function changedPreferences(
  saved: Preference[],
  chosen: Record<string, string>,
): { kind: string; cadence: string }[] {
  return saved.flatMap(({ kind, cadence }) => {
    const next = chosen[kind];
    return next && next !== cadence ? [{ kind, cadence: next }] : [];
  });
}

export interface ProgressReport {
  id: string;
  actionId: string;
  institutionId: string;
  status: string;
  final: boolean;
  narrative: string;
  percentage: number;
  version: number;
  submittedAt: string | null;
  approvedAt: string | null;
  createdAt: string;
  files?: { sha256: string; name: string; size: number }[];
}

/** A report as `GET /progress-reports` lists it: the full report with its action's title. */
export interface ListedReport extends ProgressReport {
  actionTitle: string;
}

export interface QueueItem {
  action: { id: string; title: string };
  report: ProgressReport;
}

/** The largest page the actions API gives. */
export const PAGE_LIMIT = 500;

/**
 * Every item of a paged listing (`{items, total}` with `limit` and `offset`): one request while the
 * first page holds them all, the following pages only when it does not.
 */
export async function allPages<T>(
  read: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>,
  limit = PAGE_LIMIT,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await read(limit, items.length);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

/**
 * A validator's queue from the reports the API lists as submitted, which it already scopes to the
 * validator's own institutions and orders oldest submission first.
 */
export const validationQueue = (reports: ListedReport[]): QueueItem[] =>
  reports.map(({ actionTitle, ...report }) => ({
    action: { id: report.actionId, title: actionTitle },
    report,
  }));

export const latestMeasurement = <T extends { date: string }>(measurements: T[]): T | undefined =>
  [...measurements].sort((a, b) => b.date.localeCompare(a.date))[0];

export const ASSESSMENT_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
] as const;

export interface Assessment {
  id: string;
  recommendationId: string;
  authorOrganisationId: string;
  authorKind: string;
  status: string;
  narrative: string;
  links: { url: string; title: string | null }[];
  published: boolean;
  publishedAt: string | null;
  updatedAt: string;
  version?: number;
}

/** An evidence link must be an https address, as the API checks (it refuses what parses ambiguously). */
export function isWebAddress(text: string): boolean {
  if (!/^https:\/\/[^/\\\s]/i.test(text) || /[\s\\]/.test(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
