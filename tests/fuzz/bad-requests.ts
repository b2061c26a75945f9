// Bad requests for one operation, as fast-check arbitraries: a valid request with exactly one thing
// broken (a field, a parameter, the body's bytes, the token), named by where and what.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import {
  badDates,
  badJsonField,
  badName,
  badQueryBoolean,
  badQueryNumber,
  notInEnum,
  notMatching,
  notUuid,
  overBodyLimit,
  unsafeText,
  type Bad,
} from './bad-values';
import {
  BAD_HEADER_VALUES,
  BODY_LIMIT,
  idResource,
  isIdField,
  isNameField,
  isUuidPathParameter,
  patternOf,
  UPLOAD_FIELDS,
} from './conventions';
import { isJson, jsonText, nestedJson } from './json-text';
import type { Operation, Parameter, Schema } from './openapi';
import { badUpload, type UploadFile } from './upload-files';
import { idValue, validValue, type KnownIds } from './valid-values';

export interface WireRequest {
  method: string;
  /** Path and query string, encoded (malformed encodings kept as they are). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzCase {
  /** Where and what: `body.title: control character in a name`. */
  defect: string;
  /** Writes the request (bodies of a megabyte are written only when sent). */
  build: () => WireRequest;
}

export interface FuzzContext {
  ids: KnownIds;
  /** The caller's access token (the stack's coordinator). */
  token: string;
  /** A file each upload operation takes, by operation name (`POST /imports`). */
  uploads: Record<string, UploadFile>;
  brokenUploads: Array<Bad<UploadFile>>;
}

/** Sent where an upload operation has no known valid file: the valid-request check then fails. */
const UNKNOWN_UPLOAD: UploadFile = {
  filename: 'file.bin',
  contentType: 'application/octet-stream',
  bytes: Buffer.from('?'),
};

/** A request before it is written: parts that each defect changes one of. */
interface Draft {
  path: Record<string, string>;
  query: string[];
  headers: Record<string, string>;
  json?: unknown;
  form?: { fields: Array<[string, string]>; files: Array<UploadFile & { field: string }> };
  /** Replaces the body: bytes as sent, with their own headers. */
  raw?: { bytes: Buffer; headers: Record<string, string> };
}

type Defect = fc.Arbitrary<{ defect: string; change: (draft: Draft) => Draft }>;

const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
const weighted = (weight: number, arbitrary: Defect) => ({ weight, arbitrary });
const defect = <T>(
  arbitrary: fc.Arbitrary<T>,
  describe: (value: T) => string,
  change: (draft: Draft, value: T) => Draft,
): Defect => arbitrary.map((value) => ({ defect: describe(value), change: (draft) => change(draft, value) }));

const BOUNDARY = '----nmirf-fuzz-boundary';

function multipart(form: NonNullable<Draft['form']>, boundary = BOUNDARY): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of form.fields)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const file of form.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

/** The bytes and headers a draft is sent with. */
export function toWire(operation: Operation, draft: Draft): WireRequest {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => draft.path[name]);
  const target = draft.query.length > 0 ? `${path}?${draft.query.join('&')}` : path;
  const headers = { ...draft.headers };
  let body: Buffer | undefined;
  if (draft.raw) {
    body = draft.raw.bytes;
    Object.assign(headers, draft.raw.headers);
  } else if (draft.form) {
    body = multipart(draft.form);
    headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
  } else if (draft.json !== undefined) {
    body = Buffer.from(jsonText(draft.json));
    headers['content-type'] = 'application/json';
  }
  return { method: operation.method, target, headers, body };
}

/** The form field that carries the file: the schema's binary property. */
const fileField = (operation: Operation): string =>
  Object.entries(operation.body?.schema.properties ?? {}).find(
    ([, property]) => property.format === 'binary',
  )?.[0] ?? 'file';

/** A path parameter's schema, a UUID where the services parse one. */
const pathSchema = (parameter: Parameter): Schema =>
  isUuidPathParameter(parameter.name, parameter.schema)
    ? { ...parameter.schema, format: 'uuid' }
    : parameter.schema;

/** A valid request: required parameters and fields only, ids of existing rows half of the time. */
function validDraft(operation: Operation, context: FuzzContext): fc.Arbitrary<Draft> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const requiredQuery = operation.parameters.filter(
    (parameter) => parameter.in === 'query' && parameter.required,
  );
  const json = operation.body?.mediaType === 'application/json' ? operation.body.schema : undefined;
  return fc
    .record({
      path: fc.record(
        Object.fromEntries(
          pathParameters.map((parameter) => [
            parameter.name,
            (pathSchema(parameter).format === 'uuid'
              ? idValue(idResource(parameter.name, operation.path), context.ids)
              : validValue(parameter.schema, parameter.name, operation.path, context.ids)
            ).map((value) => encodeURIComponent(String(value))),
          ]),
        ),
      ),
      query: fc.tuple(
        ...requiredQuery.map((parameter) =>
          validValue(parameter.schema, parameter.name, operation.path, context.ids).map((value) =>
            pair(parameter.name, String(value)),
          ),
        ),
      ),
      json: json ? validValue(json, '', operation.path, context.ids) : fc.constant(undefined),
    })
    .map(({ path, query, json: body }) => ({
      path,
      query,
      headers: { authorization: `Bearer ${context.token}` },
      json: body,
      form:
        operation.body?.mediaType === 'multipart/form-data'
          ? {
              fields: [...(UPLOAD_FIELDS[operation.name] ?? [])],
              files: [
                { field: fileField(operation), ...(context.uploads[operation.name] ?? UNKNOWN_UPLOAD) },
              ],
            }
          : undefined,
    }));
}

/** The token: forged, tampered with, of another scheme, or not a token at all. */
function authDefects(token: string): Defect {
  const [header, payload] = token.split('.');
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const values = fc.oneof(
    fc.constantFrom(
      `Bearer ${token.slice(0, -6)}${token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`,
      `Bearer ${none}.${payload}.`,
      `Bearer ${header}.${Buffer.from('{"sub":"admin","roles":["admin"]}').toString('base64url')}.${token.split('.')[2]}`,
      `Bearer ${token.slice(0, -1)}`,
      'Basic Y29vcmRpbmF0b3I6bm1pcmYtZGVtbw==',
      'Bearer',
      'Token abc',
      'Bearer a.b.c',
      'Bearer null',
    ),
    fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,300}$/).map((garbage) => `Bearer ${garbage}`),
  );
  return defect(
    values,
    () => 'auth: not a valid token',
    (draft, authorization) => ({ ...draft, headers: { ...draft.headers, authorization } }),
  );
}

const bodyText = (draft: Draft) => (draft.json === undefined ? '{"a":1}' : jsonText(draft.json));
const rawBody = (draft: Draft, bytes: Buffer | string, headers: Record<string, string>): Draft => ({
  ...draft,
  raw: { bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes, headers },
});

/** JSON bodies just past the limit, and far past it (written once: they are a megabyte each). */
const TOO_LARGE = [1, 64 * 1024].map((extra) => Buffer.from(`{"x":"${'z'.repeat(BODY_LIMIT + extra)}"}`));

/** Bytes no JSON parser should take, whatever the operation: every one may send a body. */
function bodyBytesDefects(): Defect {
  const malformed = defect(
    fc.oneof(
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant('cut')),
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', "'", 'x'),
      ),
      fc.tuple(fc.constant(0), fc.string({ minLength: 1, maxLength: 200 })),
    ),
    () => 'json: malformed',
    (draft, [at, insert]) => {
      const text = bodyText(draft);
      const position = Math.floor(at * text.length);
      let broken =
        insert === 'cut'
          ? text.slice(0, Math.max(position, 1))
          : at === 0 && insert.length > 1
            ? insert
            : `${text.slice(0, position)}${insert}${text.slice(position)}`;
      if (isJson(broken) || broken.trim() === '') broken = `${text}}`;
      return rawBody(draft, broken, { 'content-type': 'application/json' });
    },
  );
  const deep = defect(
    fc.tuple(fc.constantFrom(33, 64, 1000, 40_000), fc.constantFrom('array' as const, 'object' as const)),
    ([depth]) => `json: nested ${depth >= 40_000 ? '40,000' : 'too'} deep`,
    (draft, [depth, shape]) =>
      rawBody(draft, nestedJson(depth, shape), { 'content-type': 'application/json' }),
  );
  const charset = defect(
    fc.constantFrom(
      'latin1',
      'iso-8859-1',
      'utf-16',
      'utf-16le',
      'windows-1252',
      'us-ascii',
      'utf-7',
      '"koi8-r"',
    ),
    () => 'json: charset other than UTF-8',
    (draft, name) => rawBody(draft, bodyText(draft), { 'content-type': `application/json; charset=${name}` }),
  );
  const encoding = defect(
    fc.constantFrom(
      'br',
      'compress',
      'x-gzip',
      'zstd',
      'gzip, gzip',
      'identity, gzip',
      '*',
      'deflate;q=1',
      'base64',
    ),
    () => 'encoding: unsupported Content-Encoding',
    (draft, name) =>
      rawBody(draft, gzipSync(bodyText(draft)), {
        'content-type': 'application/json',
        'content-encoding': name,
      }),
  );
  const brokenCompression = defect(
    fc.tuple(
      fc.constantFrom('gzip', 'deflate'),
      fc.oneof(
        fc
          .uint8Array({ minLength: 1, maxLength: 512 })
          .map((bytes) => ({ kind: 'random', bytes: Buffer.from(bytes) })),
        fc.double({ min: 0.1, max: 0.8, noNaN: true }).map((share) => ({ kind: 'truncated', share })),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
          kind: 'header',
          bytes: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]), Buffer.from(bytes)]),
        })),
      ),
    ),
    () => 'encoding: broken gzip or deflate',
    (draft, [encoding, broken]) => {
      const whole = gzipSync(bodyText(draft));
      const bytes =
        'share' in broken ? whole.subarray(0, Math.floor(whole.length * broken.share)) : broken.bytes;
      return rawBody(draft, bytes, { 'content-type': 'application/json', 'content-encoding': encoding });
    },
  );
  const tooLarge = defect(
    fc.constantFrom(...TOO_LARGE),
    () => 'json: larger than the body limit',
    (draft, bytes) => rawBody(draft, bytes, { 'content-type': 'application/json' }),
  );
  return fc.oneof(
    weighted(4, malformed),
    weighted(3, deep),
    weighted(2, charset),
    weighted(2, encoding),
    weighted(3, brokenCompression),
    weighted(1, tooLarge),
  );
}

/** Segments a path parameter cannot be: not a UUID, not a name, not decodable, a way out. */
function pathDefects(parameter: Parameter): Defect {
  const where = `path.${parameter.name}`;
  const set = (draft: Draft, segment: string): Draft => ({
    ...draft,
    path: { ...draft.path, [parameter.name]: segment },
  });
  const undecodable = defect(
    fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%FF', '%C0%AF', '%ED%A0%80', 'a%2'),
    () => `${where}: undecodable percent-encoding`,
    set,
  );
  if (parameter.schema.format === 'uuid') {
    return fc.oneof(
      weighted(
        6,
        defect(
          notUuid,
          () => `${where}: not a UUID`,
          (draft, value) => set(draft, encodeURIComponent(value)),
        ),
      ),
      weighted(
        1,
        defect(
          fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..%5C..%5Cwindows', '..;', '%2F', '.%00.'),
          () => `${where}: path traversal`,
          set,
        ),
      ),
      weighted(1, undecodable),
    );
  }
  const valid = String(parameter.schema.example ?? 'Ministry of Justice');
  const badValues: fc.Arbitrary<Bad<string>>[] = [
    unsafeText(valid).filter(({ value }) => !/[\ud800-\udfff]/.test(value)),
  ];
  if (isNameField(parameter.name)) badValues.push(badName(valid));
  const pattern = patternOf(parameter.name, parameter.schema);
  if (pattern) badValues.push(notMatching(pattern));
  return fc.oneof(
    weighted(
      4,
      defect(
        fc.oneof(...badValues),
        ({ what }) => `${where}: ${what}`,
        (draft, { value }) => set(draft, encodeURIComponent(value)),
      ),
    ),
    weighted(1, undecodable),
  );
}

/** Bad query text for one parameter, by its schema. */
function badQueryValues(parameter: Parameter): fc.Arbitrary<Bad<string>> | undefined {
  const { schema, name } = parameter;
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    if (items.enum) return notInEnum(items.enum, true).map((value) => ({ what: 'not in the enum', value }));
    return unsafeText('x').filter(({ what }) => what === 'NUL character');
  }
  if (schema.enum) return notInEnum(schema.enum).map((value) => ({ what: 'not in the enum', value }));
  if (schema.type === 'number' || schema.type === 'integer') return badQueryNumber(schema);
  if (schema.type === 'boolean') return badQueryBoolean;
  if (schema.format === 'date' || schema.format === 'date-time') return badDates(schema);
  if (schema.format === 'uuid' || isIdField(name))
    return notUuid.map((value) => ({ what: 'not a UUID', value }));
  const nul = unsafeText('text').filter(({ what }) => what === 'NUL character');
  const pattern = patternOf(name, schema);
  return pattern ? fc.oneof(notMatching(pattern), nul) : nul;
}

function queryDefects(operation: Operation): Defect | undefined {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (parameters.length === 0) return undefined;
  const names = new Set(parameters.map((parameter) => parameter.name));
  const without = (draft: Draft, name: string) =>
    draft.query.filter((entry) => !entry.startsWith(`${encodeURIComponent(name)}=`));
  const families: Array<{ weight: number; arbitrary: Defect }> = [];
  for (const parameter of parameters) {
    const where = `query.${parameter.name}`;
    const values = badQueryValues(parameter);
    if (values) {
      families.push(
        weighted(
          3,
          defect(
            values,
            ({ what }) => `${where}: ${what}`,
            (draft, { value }) => ({
              ...draft,
              query: [...without(draft, parameter.name), pair(parameter.name, value)],
            }),
          ),
        ),
      );
    }
    if (parameter.schema.type !== 'array') {
      // One value expected: twice, as a list or as an object is not one value.
      families.push(
        weighted(
          1,
          defect(
            fc.constantFrom('twice', '[]', '[key]'),
            (form) => `${where}: ${form === 'twice' ? 'given twice' : 'array or object syntax'}`,
            (draft, form) => {
              const name = encodeURIComponent(parameter.name);
              const extra =
                form === 'twice'
                  ? [`${name}=1`, `${name}=2`]
                  : form === '[]'
                    ? [`${name}%5B%5D=1`]
                    : [`${name}%5Bkey%5D=1`];
              return { ...draft, query: [...without(draft, parameter.name), ...extra] };
            },
          ),
        ),
      );
    }
  }
  families.push(
    weighted(
      1,
      defect(
        fc
          .oneof(
            fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/),
            fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'LIMIT', 'Limit'),
          )
          .filter((name) => !names.has(name)),
        () => 'query: unknown parameter',
        (draft, name) => ({ ...draft, query: [...draft.query, pair(name, '1')] }),
      ),
    ),
    weighted(
      1,
      defect(
        fc.tuple(fc.constantFrom(...names), fc.integer({ min: 17_000, max: 40_000 })),
        () => 'query: longer than any request line',
        (draft, [name, length]) => ({ ...draft, query: [...draft.query, pair(name, 'q'.repeat(length))] }),
      ),
    ),
  );
  return fc.oneof(...families);
}

function jsonDefects(operation: Operation, schema: Schema): Defect {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const object = (draft: Draft) => (draft.json ?? {}) as Record<string, unknown>;
  const families: Array<{ weight: number; arbitrary: Defect }> = [];
  for (const [name, property] of Object.entries(properties)) {
    const where = `body.${name}`;
    // The field's valid value is drawn with the bad one, so that an array item breaks a valid list.
    const valid = validValue(property, name, operation.path, {});
    const bads = valid.chain((value) =>
      fc.oneof(...badJsonField(property, name, required.has(name), value)).map((broken) => broken),
    );
    families.push(
      weighted(
        15,
        defect(
          bads,
          ({ what }) => `${where}: ${what}`,
          (draft, { value }) => ({
            ...draft,
            json: { ...object(draft), [name]: value },
          }),
        ),
      ),
    );
    if (property.type === 'string' || property.items?.type === 'string') {
      families.push(
        weighted(
          1,
          defect(
            overBodyLimit,
            ({ what }) => `${where}: ${what}`,
            (draft, { value }) => ({
              ...draft,
              json: { ...object(draft), [name]: value },
            }),
          ),
        ),
      );
    }
  }
  if (required.size > 0) {
    families.push(
      weighted(
        10,
        defect(
          fc.constantFrom(...required),
          (name) => `body.${name}: missing`,
          (draft, name) => {
            const { [name]: _removed, ...rest } = object(draft);
            return { ...draft, json: rest };
          },
        ),
      ),
      weighted(
        5,
        defect(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'application/octet-stream',
            'application/x-www-form-urlencoded',
            '',
          ),
          () => 'body: JSON sent as another media type',
          (draft, type) => rawBody(draft, jsonText(draft.json), type ? { 'content-type': type } : {}),
        ),
      ),
    );
  }
  families.push(
    weighted(
      5,
      defect(
        fc.tuple(
          fc
            .oneof(
              fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/),
              fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'createdAt', 'actor', ''),
            )
            .filter((name) => !(name in properties)),
          fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant({ polluted: true })),
        ),
        () => 'body: unknown field',
        (draft, [name, value]) => ({ ...draft, json: { ...object(draft), [name]: value } }),
      ),
    ),
    weighted(
      5,
      defect(
        fc.constantFrom('[]', '[{}]', 'array of the body', '"text"', '42', 'null', 'true'),
        () => 'body: not a JSON object',
        (draft, form) =>
          rawBody(draft, form === 'array of the body' ? `[${jsonText(draft.json)}]` : form, {
            'content-type': 'application/json',
          }),
      ),
    ),
  );
  return fc.oneof(...families);
}

/** Form fields the import takes that its document does not list (its DTO's). */
const KNOWN_FORM_FIELDS = new Set(['skipInvalid', 'documentSymbol', 'stateUnderReview', 'uprSession']);

/** Bad values for the form fields the upload's schema lists besides the file. */
function formFieldDefects(operation: Operation): Defect[] {
  const fields = Object.entries(operation.body?.schema.properties ?? {}).filter(
    ([, schema]) => schema.format !== 'binary',
  );
  return fields.map(([name, schema]) => {
    const values: fc.Arbitrary<Bad<string>> =
      schema.type === 'boolean'
        ? badQueryBoolean
        : schema.enum
          ? notInEnum(schema.enum).map((value) => ({ what: 'not in the enum', value }))
          : unsafeText('template').filter(({ what }) => what === 'NUL character');
    return defect(
      values,
      ({ what }) => `upload.${name}: ${what}`,
      (draft, { value }) => ({
        ...draft,
        form: {
          fields: [...(draft.form?.fields ?? []).filter(([field]) => field !== name), [name, value]],
          files: draft.form?.files ?? [],
        },
      }),
    );
  });
}

function multipartDefects(operation: Operation, context: FuzzContext): Defect {
  const fields = operation.body?.schema.properties ?? {};
  const form = (draft: Draft) => draft.form ?? { fields: [], files: [] };
  const withFields = (draft: Draft, fields: Array<[string, string]>): Draft => ({
    ...draft,
    form: { ...form(draft), fields: [...form(draft).fields, ...fields] },
  });
  const body = (draft: Draft, bytes: Buffer, contentType: string) =>
    rawBody(draft, bytes, { 'content-type': contentType });
  return fc.oneof(
    weighted(
      8,
      defect(
        badUpload(context.brokenUploads),
        ({ what }) => `upload.${fileField(operation)}: ${what}`,
        (draft, { value }) => ({
          ...draft,
          form: { ...form(draft), files: [{ field: fileField(operation), ...value }] },
        }),
      ),
    ),
    weighted(
      1,
      defect(
        fc.constant(null),
        () => 'upload: no file',
        (draft) => ({ ...draft, form: { ...form(draft), files: [] } }),
      ),
    ),
    weighted(
      1,
      defect(
        fc.constantFrom('upload', 'files', 'file[]', 'FILE'),
        () => 'upload: file under another field',
        (draft, field) => ({
          ...draft,
          form: { ...form(draft), files: form(draft).files.map((file) => ({ ...file, field })) },
        }),
      ),
    ),
    weighted(
      1,
      defect(
        fc.constant(null),
        () => 'upload: two files',
        (draft) => ({
          ...draft,
          form: { ...form(draft), files: [...form(draft).files, ...form(draft).files] },
        }),
      ),
    ),
    ...formFieldDefects(operation).map((arbitrary) => weighted(2, arbitrary)),
    weighted(
      1,
      defect(
        fc
          .stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/)
          .filter((name) => !(name in fields) && !KNOWN_FORM_FIELDS.has(name)),
        () => 'upload: unknown field',
        (draft, name) => withFields(draft, [[name, '1']]),
      ),
    ),
    weighted(
      1,
      defect(
        fc.constantFrom('many fields', 'long field'),
        (what) =>
          `upload: ${what === 'many fields' ? 'more fields than allowed' : 'field longer than allowed'}`,
        (draft, what) =>
          withFields(
            draft,
            what === 'many fields'
              ? Array.from({ length: 25 }, (_, index) => [`extra${index}`, 'x'] as [string, string])
              : [['documentSymbol', 'A'.repeat(10_001)]],
          ),
      ),
    ),
    weighted(
      2,
      defect(
        fc.tuple(
          fc.constantFrom('no boundary', 'other boundary', 'truncated', 'garbage'),
          fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        ),
        ([what]) => `upload: malformed multipart (${what})`,
        (draft, [what, share]) => {
          const whole = multipart(form(draft));
          if (what === 'no boundary') return body(draft, whole, 'multipart/form-data');
          if (what === 'other boundary')
            return body(draft, whole, 'multipart/form-data; boundary=something-else');
          if (what === 'truncated')
            return body(
              draft,
              whole.subarray(0, Math.floor(whole.length * share)),
              `multipart/form-data; boundary=${BOUNDARY}`,
            );
          return body(
            draft,
            Buffer.from('not a multipart body at all'),
            `multipart/form-data; boundary=${BOUNDARY}`,
          );
        },
      ),
    ),
    weighted(
      1,
      defect(
        fc.constantFrom('gzip', 'deflate'),
        () => 'upload: compressed multipart',
        (draft, encoding) =>
          rawBody(draft, gzipSync(multipart(form(draft))), {
            'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
            'content-encoding': encoding,
          }),
      ),
    ),
  );
}

/** Header parameters with values the conventions know to be refused (an `If-Match` of no version). */
function headerDefects(operation: Operation): Defect | undefined {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'header');
  const known = parameters.filter((parameter) => BAD_HEADER_VALUES[parameter.name.toLowerCase()]);
  if (known.length === 0) return undefined;
  return fc.oneof(
    ...known.map((parameter) =>
      defect(
        fc.constantFrom(...BAD_HEADER_VALUES[parameter.name.toLowerCase()]),
        () => `header.${parameter.name}: matches no version`,
        (draft, value) => ({
          ...draft,
          headers: { ...draft.headers, [parameter.name.toLowerCase()]: value },
        }),
      ),
    ),
  );
}

/** Every kind of bad request this operation can get, each a valid request broken in one place. */
export function badRequests(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzCase> {
  const families: Array<{ weight: number; arbitrary: Defect }> = [
    weighted(1, authDefects(context.token)),
    weighted(2, bodyBytesDefects()),
  ];
  for (const parameter of operation.parameters.filter((candidate) => candidate.in === 'path'))
    families.push(weighted(3, pathDefects({ ...parameter, schema: pathSchema(parameter) })));
  const query = queryDefects(operation);
  if (query) families.push(weighted(3, query));
  if (operation.body?.mediaType === 'application/json')
    families.push(weighted(6, jsonDefects(operation, operation.body.schema)));
  if (operation.body?.mediaType === 'multipart/form-data')
    families.push(weighted(6, multipartDefects(operation, context)));
  const headers = headerDefects(operation);
  if (headers) families.push(weighted(2, headers));
  return fc
    .tuple(validDraft(operation, context), fc.oneof(...families))
    .map(([draft, { defect: name, change }]) => ({
      defect: name,
      build: () => toWire(operation, change(draft)),
    }));
}

/** The valid request the bad ones start from, for checking that it is indeed accepted. */
export function validRequest(operation: Operation, context: FuzzContext): fc.Arbitrary<WireRequest> {
  return validDraft(operation, { ...context, ids: {} }).map((draft) => toWire(operation, draft));
}
