// What the OpenAPI documents leave out but the platform's rules for input say (README, "Bad input is
// never applied"): the fuzzer reads both, so that every input it calls bad is bad by one of them.
import { awaitImport } from '@nmirf/testing';
import type { Schema } from './openapi';

/**
 * Body and query fields that hold ids though the documents say only `string` (`@IsUUID`), and the
 * resource whose ids they take (`recommendationIds` → recommendations).
 */
const ID_FIELDS: Record<string, string> = { a: 'recommendations', b: 'recommendations', cluster: 'clusters' };

/**
 * Resources whose ids are UUIDs, named as the first segment of their paths. Other ids are not: an
 * institution's is the text its members' tokens carry, and a correlation id, an audited entity's
 * id or a user's subject may be any text.
 */
const RESOURCES = new Set([
  'recommendations',
  'imports',
  'links',
  'clusters',
  'actions',
  'assessments',
  'notifications',
  'reports',
]);

/** The resource whose ids a field or path parameter holds (`{id}` of `/actions/{id}` → actions). */
export function idResource(name: string, path: string): string | undefined {
  if (name === 'id') return path.split('/')[1];
  if (ID_FIELDS[name]) return ID_FIELDS[name];
  const resource = /^(\w+?)Ids?$/.exec(name)?.[1];
  return resource && RESOURCES.has(`${resource}s`) ? `${resource}s` : undefined;
}

/** Whether a body or query field holds UUIDs (`recommendationId`, `recommendationIds`, `a`). */
export const isIdField = (name: string): boolean => name !== 'id' && idResource(name, '') !== undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path parameter the services parse as a UUID: `{id}` and `{…Id}`, unless the document shows an
 * example that is not one (an institution's id is text).
 */
export function isUuidPathParameter(name: string, schema: Schema): boolean {
  if (schema.format === 'uuid') return true;
  if (typeof schema.example === 'string' && !UUID.test(schema.example)) return false;
  return name === 'id' || /Id$/.test(name);
}

/** Text fields with a fixed shape their documents leave out (`@Matches`). */
const PATTERNS: Record<string, RegExp> = { sha256: /^[0-9a-f]{64}$/ };

/** The shape a field's text must have, from its schema or the conventions. */
export const patternOf = (name: string, schema: Schema): RegExp | undefined =>
  schema.pattern ? new RegExp(schema.pattern) : PATTERNS[name];

/**
 * Names and titles: some visible text on one line (`@IsNameOrTitle`): an action's title and
 * institution, a cluster's name, a recommendation's body, document symbol and recommending States,
 * an institution in a path.
 */
const NAME_FIELDS = new Set(['title', 'name', 'institution', 'body', 'documentSymbol', 'recommendingStates']);
export const isNameField = (name: string): boolean => NAME_FIELDS.has(name);

/** Date fields whose description asks for "today or later": a past date is a 422. */
export const wantsFutureDate = (schema: Schema & { description?: string }): boolean =>
  /today or later/i.test(schema.description ?? '');

/** Dates are accepted from 1945-01-01 to 50 years ahead. */
export const DATE_WINDOW = { min: '1945-01-01', maxYearsAhead: 50 };

/** A JSON body's limit (`HTTP_BODY_LIMIT`, 1 MiB by default): one byte more is a 413. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Header parameters and values they refuse: an `If-Match` that matches no version of the row is a
 * 412 (or 404 for an unknown id), never a write.
 */
export const BAD_HEADER_VALUES: Record<string, string[]> = {
  'if-match': ['"0"', '"stale"', 'W/"1"', 'not-an-etag', '"', '""', `"${'9'.repeat(40)}"`, '*x'],
};

/** Form fields an upload operation is sent with besides its file. */
export const UPLOAD_FIELDS: Record<string, Array<[string, string]>> = {};

/**
 * Operations that accept work for a worker (202) and refuse a bad input once the worker has read it:
 * the status the refusal stands for, read from what the work ended as. An import of a broken file is
 * refused when it ends failed or rejected.
 */
export const DEFERRED_REFUSALS: Record<string, (base: string, id: string) => Promise<number>> = {
  'POST /imports': async (base, id) => {
    const done = await awaitImport<{ status: string }>(base, id);
    return ['failed', 'rejected'].includes(done.status) ? 422 : 200;
  },
};
