import { HttpException } from '@nestjs/common';
import { bodyReadException, jsonNestingDepth, JsonTooDeepError, refuseDeepJson } from './body-errors';

const answer = (error: unknown) => {
  const exception = bodyReadException(error);
  return exception && { status: exception.getStatus(), body: exception.getResponse() };
};

describe('JSON nesting depth', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestingDepth(Buffer.from('{}'))).toBe(1);
    expect(jsonNestingDepth(Buffer.from('{"a":[{"b":[1,2]}],"c":{}}'))).toBe(4);
    expect(jsonNestingDepth(Buffer.from('{"text":"[[[[{{{{ \\" [[[[ ]]"}'))).toBe(1);
    expect(jsonNestingDepth(Buffer.from('{"k\\\\":[[]]}'))).toBe(3);
    expect(jsonNestingDepth(Buffer.from('{"ünïcödé ✓ [":["€"]}'))).toBe(2);
  });

  it('refuses a body nested deeper than the limit before it is parsed', () => {
    const verify = refuseDeepJson(32);
    expect(() => verify(undefined, undefined, Buffer.from('['.repeat(32) + ']'.repeat(32)))).not.toThrow();
    expect(() => verify(undefined, undefined, Buffer.from('['.repeat(33) + ']'.repeat(33)))).toThrow(
      JsonTooDeepError,
    );
    // 40,000 deep, as sent by the fuzzer: stops counting at once.
    expect(jsonNestingDepth(Buffer.from('{"a":'.repeat(40_000)), 32)).toBe(33);
  });
});

describe('body-parser errors as 4xx', () => {
  const httpError = (status: number, type: string, extra: object = {}) =>
    Object.assign(new Error('raw message quoting the body'), {
      status,
      statusCode: status,
      expose: true,
      type,
      ...extra,
    });

  it.each([
    [
      httpError(413, 'entity.too.large', { limit: 1048576 }),
      413,
      'The request body is larger than the limit of 1048576 bytes',
    ],
    [
      httpError(415, 'charset.unsupported', { charset: 'latin1' }),
      415,
      'Unsupported charset: send JSON encoded as UTF-8',
    ],
    [
      httpError(415, 'encoding.unsupported'),
      415,
      'Unsupported Content-Encoding: send the body as is, or compressed with gzip or deflate',
    ],
    [
      Object.assign(new SyntaxError('Unexpected token } in JSON'), {
        status: 400,
        type: 'entity.parse.failed',
        body: '{',
      }),
      400,
      'Malformed JSON body',
    ],
    [
      Object.assign(new JsonTooDeepError(32), { status: 400 }),
      400,
      'The JSON body is nested deeper than 32 levels',
    ],
    [
      Object.assign(new Error('incorrect header check'), {
        errno: -3,
        code: 'Z_DATA_ERROR',
        status: 400,
        expose: true,
      }),
      400,
      'The body is not valid gzip or deflate data',
    ],
    [httpError(413, 'parameters.too.many'), 413, 'Too many form parameters'],
    [httpError(400, 'request.aborted'), 400, 'The request was aborted before its body arrived'],
  ])('maps %s', (error, status, message) => {
    expect(answer(error)).toEqual({ status, body: { error: expect.any(String), message } });
  });

  it('leaves other errors alone', () => {
    expect(answer(new Error('boom'))).toBeUndefined();
    expect(
      answer(Object.assign(new Error('stream.encoding.set'), { status: 500, type: 'stream.encoding.set' })),
    ).toBeUndefined();
    expect(answer(new HttpException('x', 413))).toBeUndefined();
    expect(answer(null)).toBeUndefined();
  });
});
