// Valid values for a schema: every bad request starts from a valid one and breaks exactly one thing,
// so its refusal is owed to that one thing.
import fc from 'fast-check';
import { idResource, isNameField, patternOf } from './conventions';
import type { Schema } from './openapi';

/** Ids of rows that exist, by resource (first path segment): a request that slips through changes them. */
export type KnownIds = Record<string, string[]>;

const DAY_MS = 86_400_000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Ids of existing rows half of the time, unknown ids the other half. */
export function idValue(resource: string | undefined, ids: KnownIds): fc.Arbitrary<string> {
  const known = (resource && ids[resource]) || [];
  const unknown = fc.uuid({ version: 4 });
  return known.length > 0 ? fc.oneof(fc.constantFrom(...known), unknown) : unknown;
}

/** A valid value of `schema` for the field or parameter `name` of the operation at `path`. */
export function validValue(schema: Schema, name: string, path: string, ids: KnownIds): fc.Arbitrary<unknown> {
  if (schema.type === 'array') {
    return fc.array(validValue(schema.items ?? { type: 'string' }, name, path, ids), {
      minLength: 1,
      maxLength: 3,
    });
  }
  if (schema.type === 'object') {
    const properties = schema.properties ?? {};
    const required = (schema.required ?? []).filter((field) => field in properties);
    return fc.record(
      Object.fromEntries(required.map((field) => [field, validValue(properties[field], field, path, ids)])),
    );
  }
  // An example among the values is the one that needs no other field (e.g. a report kind whose
  // parameters depend on it): the bad inputs still try every other value.
  if (schema.enum && schema.enum.includes(schema.example)) return fc.constant(schema.example);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'boolean') return fc.boolean();
  if (schema.type === 'number' || schema.type === 'integer') {
    if (typeof schema.example === 'number') return fc.constant(schema.example);
    const min = Math.max(schema.minimum ?? 1, 0);
    return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(schema.maximum ?? 100, min + 100)) });
  }
  const pattern = patternOf(name, schema);
  if (pattern && typeof schema.example !== 'string') return fc.stringMatching(pattern);
  const resource = schema.format === 'uuid' ? (idResource(name, path) ?? '') : idResource(name, path);
  if (resource !== undefined) return idValue(resource, ids);
  if (schema.format === 'date-time') {
    // Tomorrow to a year ahead, in UTC or with an offset: future dates suit every date field.
    return fc.integer({ min: 2, max: 365 }).map((days) => new Date(Date.now() + days * DAY_MS).toISOString());
  }
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('1990-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
      .map(isoDate);
  if (typeof schema.example === 'string') return fc.constant(schema.example);
  if (isNameField(name)) return fc.constantFrom('Ministry of Justice', 'Ombudsman', 'Roma inclusion');
  return fc.constantFrom('fuzz', 'Fuzzing the input', 'ratification');
}
