import { Body, Controller, Get, HttpCode, INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { CorrelationMiddleware } from './correlation.middleware';
import { applyHttpConventions } from './create-http-app';
import { applyHttpHardening, type HttpHardeningConfig } from './hardening';

jest.setTimeout(30_000);

class NoteDto {
  @IsString()
  @MaxLength(1_000_000)
  text: string;
}

const received: string[] = [];

@Controller('notes')
class NotesController {
  @Post()
  @HttpCode(201)
  create(@Body() body: NoteDto) {
    received.push(body.text);
    return { length: body.text.length };
  }

  @Get()
  list() {
    return { items: received.length };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** A raw HTTP request: any header, any bytes, sent in pieces with pauses if asked. */
function send(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; trickle?: number } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { connection: 'close', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (!body) return void req.end();
    if (!options.trickle) return void req.end(body);
    // A slow client: one byte, then nothing for `trickle` ms, and so on.
    let sent = 0;
    const drip = () => {
      if (req.destroyed) return;
      if (sent >= body.length) return void req.end();
      req.write(body.subarray(sent, sent + 1));
      sent += 1;
      setTimeout(drip, options.trickle);
    };
    drip();
  });
}

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('HTTP hardening (a real Nest app)', () => {
  const apps: INestApplication[] = [];

  async function start(config: Partial<HttpHardeningConfig> = {}, docs = true): Promise<string> {
    const module = await Test.createTestingModule({ imports: [NotesModule] }).compile();
    const app = module.createNestApplication({ logger: false });
    // As createHttpApp does: the correlation id first, then the hardening, then the conventions.
    const correlation = new CorrelationMiddleware();
    app.use(correlation.use.bind(correlation));
    applyHttpHardening(app, { HTTP_BODY_LIMIT: 256 * 1024, ...config });
    applyHttpConventions(app);
    if (docs) {
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Notes').build());
      SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
    }
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  beforeEach(() => {
    received.length = 0;
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  describe('bodies nobody should send get a 4xx in the platform shape, and nothing is applied', () => {
    let base: string;
    beforeEach(async () => {
      base = await start();
    });

    const problem = (status: number, message: string | RegExp) => ({
      status,
      json: {
        statusCode: status,
        error: expect.any(String),
        message: typeof message === 'string' ? message : expect.stringMatching(message),
        correlationId: expect.any(String),
      },
    });

    it('takes a body under the limit but over the 100 kB Nest would allow by default', async () => {
      expect(await send(base, 'POST', '/notes', json({ text: 'x'.repeat(200 * 1024) }))).toMatchObject({
        status: 201,
        json: { length: 200 * 1024 },
      });
    });

    it('413 for a body over the limit', async () => {
      const answer = await send(base, 'POST', '/notes', json({ text: 'x'.repeat(300 * 1024) }));
      expect(answer).toMatchObject(problem(413, 'The request body is larger than the limit of 262144 bytes'));
      expect(answer.headers['x-correlation-id']).toBe(answer.json.correlationId);
      expect(received).toEqual([]);
    });

    it('413 for a gzip body that inflates past the limit (a zip bomb)', async () => {
      const answer = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ text: 'x'.repeat(10 * 1024 * 1024) })),
      });
      expect(answer).toMatchObject(problem(413, /larger than the limit/));
      expect(received).toEqual([]);
    });

    it.each(['latin1', 'iso-8859-1', 'utf-16', 'utf-7', 'nonsense'])(
      '415 for JSON in charset %s',
      async (charset) => {
        const answer = await send(base, 'POST', '/notes', {
          headers: { 'content-type': `application/json; charset=${charset}` },
          body: JSON.stringify({ text: 'a' }),
        });
        expect(answer).toMatchObject(problem(415, 'Unsupported charset: send JSON encoded as UTF-8'));
        expect(received).toEqual([]);
      },
    );

    it.each(['br', 'zstd', 'compress', 'gzip, br', 'x-custom'])(
      '415 for Content-Encoding %s',
      async (encoding) => {
        const answer = await send(base, 'POST', '/notes', {
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body: JSON.stringify({ text: 'a' }),
        });
        expect(answer).toMatchObject(problem(415, /^Unsupported Content-Encoding/));
        expect(received).toEqual([]);
      },
    );

    it('400 for a body that is not the gzip it claims to be; a real one is read', async () => {
      const broken = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: Buffer.from('{"text":"not gzip at all"}'),
      });
      expect(broken).toMatchObject(problem(400, 'The body is not valid gzip or deflate data'));
      const truncated = gzipSync(JSON.stringify({ text: 'y'.repeat(5000) }));
      expect(
        await send(base, 'POST', '/notes', {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: truncated.subarray(0, truncated.length - 20),
        }),
      ).toMatchObject(problem(400, 'The body is not valid gzip or deflate data'));
      expect(received).toEqual([]);

      const fine = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ text: 'compressed' })),
      });
      expect(fine).toMatchObject({ status: 201, json: { length: 10 } });
      expect(received).toEqual(['compressed']);
    });

    it('400 for JSON nested 40,000 deep, before anything parses it', async () => {
      const body = `{"text":"a","x":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
      const answer = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(answer).toMatchObject(problem(400, 'The JSON body is nested deeper than 32 levels'));
      const form = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `text=a&${'x' + '[a]'.repeat(40)}=1`,
      });
      expect(form.status).toBe(400);
      expect(received).toEqual([]);
    });

    it.each([
      'application/json; charset',
      'application/json; charset="utf-8',
      'application/json;;',
      'application/json; =utf-8',
      'application/json; charset=utf-8; charset=latin1',
      'application/',
      '/json',
    ])('a 4xx, never a 500, for the Content-Type %j', async (contentType) => {
      const answer = await send(base, 'POST', '/notes', {
        headers: { 'content-type': contentType },
        body: JSON.stringify({ text: 'a' }),
      });
      expect(answer.status === 201 || (answer.status >= 400 && answer.status < 500)).toBe(true);
    });

    it('400 for malformed JSON, without quoting it back', async () => {
      const secret = 'SECRET-'.repeat(20);
      const answer = await send(base, 'POST', '/notes', {
        headers: { 'content-type': 'application/json' },
        body: `{"text": "${secret}", oops}`,
      });
      expect(answer).toMatchObject(problem(400, 'Malformed JSON body'));
      expect(answer.text).not.toContain('SECRET');
    });

    it('does not quote a long field name or value back', async () => {
      const long = 'k'.repeat(50_000);
      for (const body of [{ text: 'a', [long]: 1 }, { text: 'a', [long]: '\u0000' }, { text: 7 }]) {
        const answer = await send(base, 'POST', '/notes', json(body));
        expect(answer.status).toBe(400);
        expect(answer.text.length).toBeLessThan(1_000);
      }
      expect(received).toEqual([]);
    });

    it('400 for NUL or an unpaired surrogate in any string', async () => {
      for (const body of ['{"text":"a\\u0000b"}', '{"text":"\\ud800"}']) {
        const answer = await send(base, 'POST', '/notes', {
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(answer).toMatchObject({ status: 400, json: { errors: [{ field: 'text' }] } });
      }
      expect(received).toEqual([]);
    });
  });

  it('sets security headers: nosniff, CSP without framing, no referrer, COOP, no X-Powered-By, no HSTS on plain HTTP', async () => {
    const base = await start();
    const answer = await send(base, 'GET', '/notes', { headers: { 'x-forwarded-proto': 'https' } });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
    });
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['x-powered-by']).toBeUndefined();
    // The proxy header is not trusted unless HTTP_TRUST_PROXY says so.
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    // Errors carry them too.
    expect((await send(base, 'GET', '/nowhere')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS behind a trusted TLS proxy only', async () => {
    const base = await start({ HTTP_TRUST_PROXY: ['loopback'] });
    const tls = await send(base, 'GET', '/notes', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const plain = await send(base, 'GET', '/notes', { headers: { 'x-forwarded-proto': 'http' } });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves Swagger UI under a CSP that lets its own scripts and styles run, and no framing', async () => {
    const base = await start();
    const page = await send(base, 'GET', '/docs');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Every script is a file of our own origin (no inline script, which the CSP would block).
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      expect(src).toMatch(/^(\.\/|\/docs\/|[\w-]+\.js$)/);
      const asset = await send(base, 'GET', new URL(src!, `${base}/docs`).pathname);
      expect(asset.status).toBe(200);
    }
    expect((await send(base, 'GET', '/docs/openapi.json')).json).toMatchObject({ info: { title: 'Notes' } });
  });

  it('can run without /docs', async () => {
    const base = await start({}, false);
    expect((await send(base, 'GET', '/docs')).status).toBe(404);
  });

  it('answers CORS only for the configured origins, without credentials, exposing the correlation id', async () => {
    const base = await start({ CORS_ORIGINS: ['https://tracker.gov.example'] });
    const allowed = await send(base, 'GET', '/notes', { headers: { origin: 'https://tracker.gov.example' } });
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': 'https://tracker.gov.example',
      'access-control-expose-headers': expect.stringContaining('x-correlation-id'),
    });
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await send(base, 'OPTIONS', '/notes', {
      headers: {
        origin: 'https://tracker.gov.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://tracker.gov.example');

    const other = await send(base, 'GET', '/notes', { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const base = await start();
    const answer = await send(base, 'GET', '/notes', { headers: { origin: 'https://tracker.gov.example' } });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 408 and closes when a body trickles in slower than the request timeout', async () => {
    const base = await start({ HTTP_REQUEST_TIMEOUT_MS: 1_000 });
    const started = Date.now();
    const answer = await send(base, 'POST', '/notes', {
      headers: { 'content-type': 'application/json', 'content-length': '40' },
      body: JSON.stringify({ text: 'x'.repeat(28) }),
      trickle: 200,
    });
    expect(answer).toMatchObject({
      status: 408,
      json: { statusCode: 408, message: 'The request body did not arrive within 1 s' },
    });
    expect(answer.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(received).toEqual([]);
    // A normal request is not held to it.
    expect((await send(base, 'POST', '/notes', json({ text: 'quick' }))).status).toBe(201);
  });

  it('sets the server timeouts from the config', async () => {
    const module = await Test.createTestingModule({ imports: [NotesModule] }).compile();
    const app = module.createNestApplication({ logger: false });
    apps.push(app);
    applyHttpHardening(app, {
      HTTP_HEADERS_TIMEOUT_MS: 7_000,
      HTTP_REQUEST_TIMEOUT_MS: 9_000,
      HTTP_UPLOAD_TIMEOUT_MS: 60_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 4_000,
    });
    const server = app.getHttpServer();
    expect(server.headersTimeout).toBe(7_000);
    expect(server.requestTimeout).toBe(60_000);
    expect(server.keepAliveTimeout).toBe(4_000);
  });
});
