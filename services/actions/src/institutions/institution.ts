import { isNameOrTitle } from '@nmirf/platform';

/** What an institution is; `other` also holds entries the migration created for the coordinator to review. */
export const INSTITUTION_KINDS = [
  'ministry',
  'agency',
  'parliament',
  'judiciary',
  'nhri',
  'civil_society',
  'other',
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** The six UN languages; English is required. */
export const NAME_LANGUAGES = ['en', 'fr', 'es', 'ru', 'zh', 'ar'] as const;
export type NameLanguage = (typeof NAME_LANGUAGES)[number];
export type InstitutionNames = { en: string } & Partial<Record<Exclude<NameLanguage, 'en'>, string>>;

export const MAX_ID_LENGTH = 200;
export const MAX_NAME_LENGTH = 300;
export const MAX_ACRONYM_LENGTH = 30;
export const MAX_USER_ID_LENGTH = 255;
export const MAX_USERS = 100;

/**
 * An institution id is what the access token's institutions claim carries: a slug
 * (`ministry-of-justice`) or a plain name (`Ministry of Justice`). Letters, digits, single spaces and
 * `. , ' ’ & ( ) _ -`; it starts with a letter or digit and fits in a URL path segment once encoded.
 */
const ID = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}.,'’&()_-]| (?! ))*$/u;

export function isInstitutionId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_ID_LENGTH &&
    ID.test(value) &&
    !value.endsWith(' ') &&
    isNameOrTitle(value)
  );
}

export const INSTITUTION_ID_RULE =
  "must be 1 to 200 letters, digits, single spaces or . , ' ’ & ( ) _ -, starting with a letter or digit";

/** A token subject: visible ASCII without the list separators `,` and `;`. */
const USER_ID = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]{1,255}$/;

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

/** An entry of the directory as the coordinator writes it. */
export interface InstitutionDraft {
  id: string;
  kind: InstitutionKind;
  parentId: string | null;
  names: InstitutionNames;
  acronym: string | null;
  focalPointIds: string[];
  validatorIds: string[];
  active: boolean;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/**
 * What is wrong with a draft, field by field (empty when nothing is). The HTTP DTOs check the same
 * rules; the CSV import, which has no DTO, relies on this alone.
 */
export function draftProblems(draft: InstitutionDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, messages: [message] });
  if (!isInstitutionId(draft.id)) add('id', `id ${INSTITUTION_ID_RULE}`);
  if (!(INSTITUTION_KINDS as readonly string[]).includes(draft.kind))
    add('kind', `kind must be one of ${INSTITUTION_KINDS.join(', ')}`);
  if (draft.parentId !== null && !isInstitutionId(draft.parentId))
    add('parentId', `parentId ${INSTITUTION_ID_RULE}`);
  if (draft.parentId !== null && sameId(draft.parentId, draft.id))
    add('parentId', 'parentId must not be the institution itself');
  for (const language of NAME_LANGUAGES) {
    const name = draft.names[language];
    if (name === undefined && language !== 'en') continue;
    if (!isNameOrTitle(name) || (name as string).length > MAX_NAME_LENGTH)
      add(
        `names.${language}`,
        `names.${language} ${language === 'en' ? 'is required and ' : ''}must be 1 to ${MAX_NAME_LENGTH} characters, not blank, without control characters`,
      );
  }
  if (draft.acronym !== null && (!isNameOrTitle(draft.acronym) || draft.acronym.length > MAX_ACRONYM_LENGTH))
    add('acronym', `acronym must be 1 to ${MAX_ACRONYM_LENGTH} characters, without control characters`);
  for (const field of ['focalPointIds', 'validatorIds'] as const) {
    const ids = draft[field];
    if (ids.length > MAX_USERS) add(field, `${field} must list at most ${MAX_USERS} users`);
    else if (!ids.every(isUserId))
      add(
        field,
        `each value in ${field} must be a user id of 1 to 255 visible ASCII characters, without , or ;`,
      );
  }
  return problems;
}

/** Ids compare as the token claim does (see `actsFor`): case-insensitively. */
export function sameId(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/** Trims, and collapses runs of whitespace, so " Ministry  of Justice " reads as "Ministry of Justice". */
export function normaliseName(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}

/** A list without repeats, in first-seen order. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
