import { createHash } from 'node:crypto';
import type { CalendarMessage } from './calendar-messages';
import type { CalendarMechanism } from './milestone';

export const DEADLINE_KINDS = [
  'upr_review',
  'upr_mid_term_report',
  'upr_national_report',
  'tb_follow_up_report',
  'tb_periodic_report',
  'manual',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A date the State owes a mechanism (or, for a review, keeps with it), derived from a milestone. */
export interface ReportingDeadline {
  /** UUID derived from `key`: the same deadline gets the same id from every import. */
  id: string;
  /** state/mechanism/body/kind/cycle, each part URI-encoded. */
  key: string;
  kind: DeadlineKind;
  state: string;
  mechanism: CalendarMechanism;
  /** UPR, a committee code (CEDAW…), or a body named by hand. */
  body: string;
  /** UPR cycle ("3"), report number(s) of a committee ("8", "5-6"), or the reference of a manual entry. */
  cycle: string;
  /** `YYYY-MM-DD`, a whole day. */
  dueOn: string;
  /** True when the date comes from the usual rhythm of the mechanism, not from a document. */
  estimated: boolean;
  /** The document symbol the date comes from; null for manual entries. */
  source: string | null;
  title: CalendarMessage;
  description: CalendarMessage;
}

/** A deadline as the calendar keeps it. */
export interface CalendarEntry extends ReportingDeadline {
  /** Closed when a newer document of the same mechanism supersedes it. */
  status: 'open' | 'closed';
  /** RFC 5545 SEQUENCE: 0 when added, one more each time the date moves or the entry closes or reopens. */
  sequence: number;
}

// Fixed for ever: changing it would give every deadline a new id.
const DEADLINE_NAMESPACE = Buffer.from('662f85e803aa48f3a5cc6eee93c80bbc', 'hex');

export function deadlineKey(parts: {
  state: string;
  mechanism: CalendarMechanism;
  body: string;
  kind: DeadlineKind;
  cycle: string;
}): string {
  return [parts.state, parts.mechanism, parts.body, parts.kind, parts.cycle]
    .map(encodeURIComponent)
    .join('/');
}

/** A name-based (version 5, RFC 9562) UUID of the key. */
export function deadlineId(key: string): string {
  const hash = createHash('sha1').update(DEADLINE_NAMESPACE).update(key, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
