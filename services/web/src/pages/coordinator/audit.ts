// The audit page's logic: the query each service's `GET /audit` takes, and the services' pages merged.
import type { Service } from '../../api/client';

export const AUDITED_SERVICES: readonly Service[] = [
  'recommendations',
  'actions',
  'notifications',
  'reporting',
];

/** One record of a service's trail (libs/platform `AuditRecordView`), as JSON. */
export interface AuditRecord {
  seq: number;
  occurredAt: string;
  actor: { kind: string; id: string; name: string | null; institution: string | null };
  entity: string;
  entityId: string | null;
  action: string;
  outcome: 'applied' | 'refused';
  correlationId: string | null;
}

export interface AuditEntry extends AuditRecord {
  service: Service;
}

/** What a service has given so far: its records newest first, and where its next page starts. */
export interface AuditSource {
  service: Service;
  items: AuditEntry[];
  next: number | null;
}

export interface AuditFilters {
  entity: string;
  entityId: string;
  actorId: string;
  action: string;
  outcome: '' | 'applied' | 'refused';
  /** Days as `yyyy-mm-dd`, in the reader's time zone; `to` is included. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = {
  entity: '',
  entityId: '',
  actorId: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
};

/** The start of a local day as an instant, or null for a malformed day. */
function dayStart(day: string, plusDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const parsed = new Date(year, month, date);
  // Date rolls a 13th month or a 45th day over; such a day is a typing mistake.
  if (parsed.getFullYear() !== year || parsed.getMonth() !== month || parsed.getDate() !== date) return null;
  return new Date(year, month, date + plusDays).toISOString();
}

/** Catalogue keys of the filters' mistakes, by field. */
export function auditFilterErrors(filters: AuditFilters): Partial<Record<keyof AuditFilters, string>> {
  const errors: Partial<Record<keyof AuditFilters, string>> = {};
  if (filters.from && !dayStart(filters.from)) errors.from = 'coord.audit.dateInvalid';
  if (filters.to && !dayStart(filters.to)) errors.to = 'coord.audit.dateInvalid';
  if (!errors.from && !errors.to && filters.from && filters.to && filters.to < filters.from)
    errors.to = 'coord.audit.toBeforeFrom';
  return errors;
}

/** `/audit?…` for one page: the filters set, the day range as instants (`to` exclusive, the next day). */
export function auditPath(filters: AuditFilters, limit: number, beforeSeq?: number): string {
  const query = new URLSearchParams();
  for (const key of ['entity', 'entityId', 'actorId', 'action', 'outcome'] as const) {
    const value = filters[key].trim();
    if (value) query.set(key, value);
  }
  const from = filters.from ? dayStart(filters.from) : null;
  const to = filters.to ? dayStart(filters.to, 1) : null;
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  query.set('limit', String(limit));
  if (beforeSeq !== undefined) query.set('beforeSeq', String(beforeSeq));
  return `/audit?${query}`;
}

const time = (entry: AuditEntry) => Date.parse(entry.occurredAt);

/**
 * The services' records as one list, newest first. A service with more pages has given only its
 * records down to its oldest loaded one, so what is older than that may still be missing from it: those
 * rows wait (they are shown once that service's next page is in). `behind` names the services whose
 * next page moves the list on.
 */
export function mergeAudit(sources: AuditSource[]): { rows: AuditEntry[]; more: boolean; behind: Service[] } {
  const open = sources.filter((source) => source.next !== null && source.items.length > 0);
  const oldest = (source: AuditSource) => Date.parse(source.items.at(-1)?.occurredAt ?? '');
  const frontier = open.length ? Math.max(...open.map(oldest)) : -Infinity;
  const rows = sources
    .flatMap((source) => source.items)
    .filter((entry) => time(entry) >= frontier)
    .sort((a, b) => time(b) - time(a) || b.seq - a.seq);
  return {
    rows,
    more: open.length > 0,
    behind: open.filter((source) => oldest(source) === frontier).map((source) => source.service),
  };
}

/** A service's page added to what it gave before. */
export function withPage(
  source: AuditSource,
  page: { items: AuditRecord[]; nextBeforeSeq: number | null },
): AuditSource {
  return {
    service: source.service,
    items: [...source.items, ...page.items.map((item) => ({ ...item, service: source.service }))],
    next: page.nextBeforeSeq,
  };
}
