import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import { findUnsafeText, IsNameOrTitle, RejectUnsafeTextPipe, unsafeTextProblem } from './strings';

class Named {
  @IsString()
  @IsNameOrTitle()
  title: string;

  @IsNameOrTitle({ each: true })
  aliases: string[] = [];
}

const messagesFor = (plain: object) =>
  validateSync(plainToInstance(Named, plain)).flatMap((error) => Object.values(error.constraints ?? {}));

describe('unsafe text', () => {
  it('finds NUL and unpaired surrogates, and nothing in ordinary text', () => {
    expect(unsafeTextProblem('a\u0000b')).toBe('must not contain NUL characters');
    expect(unsafeTextProblem('\ud800')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextProblem('x\udc00')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextProblem('\udc00\ud800')).toBe('must not contain unpaired UTF-16 surrogates');
    for (const fine of ['', 'Ministry of Justice', 'مكتب', '😀 pair', 'tab\tand\nline', 'Ελλάδα']) {
      expect(unsafeTextProblem(fine)).toBeUndefined();
    }
  });

  it('names every unsafe string of a body by its path, keys included, without echoing them', () => {
    const body = JSON.parse(
      '{"title":"ok","notes":["fine","bad\\u0000"],"nested":{"deeper":{"x":"\\ud83d"}},"k\\u0000":1}',
    );
    expect(findUnsafeText(body)).toEqual([
      { field: 'notes.1', messages: ['notes.1 must not contain NUL characters'] },
      { field: 'nested.deeper.x', messages: ['nested.deeper.x must not contain unpaired UTF-16 surrogates'] },
      { field: '(value)', messages: ['a field name must not contain NUL characters'] },
    ]);
    expect(findUnsafeText('a\u0000', 'institution')).toEqual([
      { field: 'institution', messages: ['institution must not contain NUL characters'] },
    ]);
    expect(findUnsafeText({ ok: ['a', { b: 'c' }], n: 1, d: new Date(), nothing: null })).toEqual([]);
  });

  it('stops at a bounded depth instead of recursing without end', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findUnsafeText(deep)).toEqual([
      { field: expect.any(String), messages: [expect.stringMatching(/is nested too deeply$/)] },
    ]);
  });

  it('leaves class instances and buffers alone', () => {
    expect(findUnsafeText({ buffer: Buffer.from([0]), map: new Map([['a', '\u0000']]) })).toEqual([]);
  });

  it('is a pipe that answers 400 with field errors', () => {
    const pipe = new RejectUnsafeTextPipe();
    expect(pipe.transform({ title: 'ok' }, { type: 'body' })).toEqual({ title: 'ok' });
    expect(() => pipe.transform('a\u0000', { type: 'param', data: 'institution' })).toThrow(
      BadRequestException,
    );
    try {
      pipe.transform({ q: '\ud800' }, { type: 'query' });
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toEqual({
        error: 'Bad Request',
        message: 'Validation failed',
        errors: [{ field: 'q', messages: ['q must not contain unpaired UTF-16 surrogates'] }],
      });
    }
  });
});

describe('@IsNameOrTitle', () => {
  it('accepts names in any script, with inner spaces and punctuation', () => {
    expect(
      messagesFor({ title: 'Ministry of Justice', aliases: ['وزارة العدل', 'Ministère (Justice)'] }),
    ).toEqual([]);
  });

  it.each([
    '',
    ' ',
    '\u00a0\u3000',
    'a\tb',
    'line\nbreak',
    'a\rb',
    'bell\u0007',
    'esc\u001b[31m',
    'del\u007f',
    'c1\u0085',
    'a\u2028b',
    'nul\u0000',
  ])('refuses %j', (title) => {
    expect(messagesFor({ title })).toEqual([
      'title must not be blank or contain control characters (tabs, line breaks)',
    ]);
  });

  it('checks each element of a list', () => {
    expect(messagesFor({ title: 'ok', aliases: ['fine', ' '] })).toEqual([
      'each value in aliases must not be blank or contain control characters (tabs, line breaks)',
    ]);
  });
});
