import { isNameOrTitle } from '@nmirf/platform';

/**
 * An independent assessment: what a national human rights institution or a civil-society
 * organisation says of a recommendation's implementation, beside the government's own status.
 */

/** The government's implementation-status vocabulary, so both can be shown side by side. */
export const ASSESSMENT_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** Who wrote it, by the author's role: the portal labels it accordingly. */
export type AuthorKind = 'nhri' | 'civil_society';

export const MAX_NARRATIVE_LENGTH = 20_000;
export const MAX_LINKS = 20;
export const MAX_URL_LENGTH = 2_000;
export const MAX_LINK_TITLE_LENGTH = 300;
export const MAX_ORGANISATION_LENGTH = 200;

export interface EvidenceLink {
  url: string;
  /** What the link is, as the author names it; null when not given. */
  title: string | null;
}

/** What the author writes; the rest (author, version, publication) the use cases set. */
export interface AssessmentContent {
  status: AssessmentStatus;
  narrative: string;
  links: EvidenceLink[];
}

// Controls other than tab and line breaks: a narrative has paragraphs, not escape codes.
const NARRATIVE_CONTROL = /(?![\t\n\r])\p{Cc}/u;

export const NARRATIVE_RULE = `must be 1 to ${MAX_NARRATIVE_LENGTH} characters, not blank, without control characters other than tabs and line breaks`;

export function isNarrative(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_NARRATIVE_LENGTH &&
    value.trim() !== '' &&
    !NARRATIVE_CONTROL.test(value)
  );
}

export const LINK_RULE = `must be an https URL of at most ${MAX_URL_LENGTH} characters, with a host and without a user name or password`;

/**
 * An https URL a reader can follow: parsed as a browser would, with a host, no credentials (they
 * would be published) and no whitespace or control characters that the parser would silently drop.
 */
export function isEvidenceUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return false;
  // What the parser would read differently from how it looks: `https:///host`, `https:\\host`.
  if (!/^https:\/\/[^/\\]/i.test(value) || value.includes('\\')) return false;
  if (/[\s\p{Cc}]/u.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}

export const LINK_TITLE_RULE = `must be 1 to ${MAX_LINK_TITLE_LENGTH} characters, not blank, without control characters`;

export function isLinkTitle(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_LINK_TITLE_LENGTH && isNameOrTitle(value);
}

export const MAX_FILES = 20;
export const MAX_FILE_NAME_LENGTH = 255;

export const FILE_NAME_RULE = `must be 1 to ${MAX_FILE_NAME_LENGTH} characters, not blank, without control characters, / or \\`;

/** A name to show and to offer on download: never a path. */
export function isFileName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_FILE_NAME_LENGTH &&
    isNameOrTitle(value) &&
    !/[/\\]/.test(value) &&
    value.trim() !== '.' &&
    value.trim() !== '..'
  );
}

/** An evidence file as an assessment lists it; the bytes are in the BlobStore under `sha256`. */
export interface EvidenceFile {
  sha256: string;
  name: string;
  mediaType: string;
  size: number;
  uploadedAt: Date;
}

/** Same organisation, compared as the token's institutions claim is: ignoring case. */
export function sameOrganisation(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}
