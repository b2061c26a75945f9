import { HttpException } from '@nestjs/common';

/** How deep a JSON body may nest; class-transformer and class-validator recurse once per level. */
export const MAX_JSON_DEPTH = 32;

/** Thrown from the JSON parser's `verify` hook, before anything parses the body. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';

  constructor(readonly maxDepth: number) {
    super(`JSON nested deeper than ${maxDepth} levels`);
  }
}

/**
 * How deep the JSON text in `bytes` nests, counting `{` and `[` outside strings, without parsing it.
 * Stops counting once past `limit`. Works on UTF-8 bytes: no byte of a multi-byte character is a
 * bracket, a quote or a backslash.
 */
export function jsonNestingDepth(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i += 1; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth -= 1;
    }
  }
  return deepest;
}

/** body-parser's `verify` hook: a body nested deeper than `maxDepth` is refused before `JSON.parse`. */
export function refuseDeepJson(maxDepth = MAX_JSON_DEPTH) {
  return (_req: unknown, _res: unknown, body: Buffer): void => {
    if (jsonNestingDepth(body, maxDepth) > maxDepth) throw new JsonTooDeepError(maxDepth);
  };
}

interface BodyReadError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
  limit?: unknown;
  expose?: unknown;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

const messages: Record<string, (error: BodyReadError) => [number, string]> = {
  'entity.too.large': (error) => [
    413,
    `The request body is larger than the limit of ${Number(error.limit) || 'this service'} bytes`,
  ],
  'charset.unsupported': () => [415, 'Unsupported charset: send JSON encoded as UTF-8'],
  'encoding.unsupported': () => [
    415,
    'Unsupported Content-Encoding: send the body as is, or compressed with gzip or deflate',
  ],
  'entity.parse.failed': () => [400, 'Malformed JSON body'],
  'entity.too.deep': () => [400, `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`],
  'entity.verify.failed': () => [400, 'The request body was refused'],
  'parameters.too.many': () => [413, 'Too many form parameters'],
  'querystring.parse.rangeError': () => [400, 'The form body is nested too deeply'],
  'request.aborted': () => [400, 'The request was aborted before its body arrived'],
  'request.size.invalid': () => [400, 'The request body does not match its Content-Length'],
  'request.timeout': () => [408, 'The request body did not arrive in time'],
};

/**
 * An error from reading or parsing a request body (body-parser and raw-body give `type` and
 * `status`; a broken gzip stream gives zlib's `Z_…` code) as the 4xx it deserves, with a message
 * that does not quote the body. Undefined for any other error.
 */
export function bodyReadException(exception: unknown): HttpException | undefined {
  if (typeof exception !== 'object' || exception === null || exception instanceof HttpException) return;
  const error = exception as BodyReadError;
  const status = Number(error.status ?? error.statusCode);
  if (!(status >= 400 && status < 500)) return undefined;
  let answer: [number, string] | undefined;
  if (typeof error.type === 'string') answer = messages[error.type]?.(error);
  else if (typeof error.code === 'string' && error.code.startsWith('Z_'))
    answer = [400, 'The body is not valid gzip or deflate data'];
  if (!answer && error.expose === true && typeof error.type === 'string')
    answer = [status, 'Bad request body'];
  if (!answer) return undefined;
  const [code, message] = answer;
  return new HttpException({ error: reasons[code] ?? 'Bad Request', message }, code);
}
