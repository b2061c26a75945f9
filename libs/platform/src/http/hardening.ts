import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { z } from 'zod';
import { httpEnv } from '../config/http-env';
import { bodyReadException, refuseDeepJson } from './body-errors';

const httpEnvSchema = z.object(httpEnv);
export type HttpHardeningConfig = z.infer<typeof httpEnvSchema>;

/** Swagger UI's page and assets: they get a CSP that lets the page run. */
export const DOCS_PATH = '/docs';

// JSON answers render nothing: no source of any kind, and no framing.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
// Swagger UI loads its own scripts and styles from /docs, sets inline styles, and fetches the API.
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isDocs = (path: string) =>
  path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`) || path.startsWith(`${DOCS_PATH}-`);

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', isDocs(req.path) ? DOCS_CSP : API_CSP);
  // Only over TLS: `secure` is true behind a trusted proxy that says X-Forwarded-Proto: https.
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
}

const ENCODINGS = new Set(['identity', 'gzip', 'deflate']);
const JSON_TYPE = /^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Refuses, before any byte is read, a body nobody here can decode: a Content-Encoding other than
 * gzip or deflate (multipart uploads are never decompressed), or JSON in a charset other than UTF-8.
 */
function refuseUndecodableBodies(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req)) return next();
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const contentType = String(req.headers['content-type'] ?? '');
  if (!ENCODINGS.has(encoding) || (encoding !== 'identity' && /^\s*multipart\//i.test(contentType))) {
    return next(bodyReadException({ status: 415, type: 'encoding.unsupported' }));
  }
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (JSON_TYPE.test(contentType) && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(bodyReadException({ status: 415, type: 'charset.unsupported' }));
  }
  next();
}

/**
 * A body that has not arrived within its time (uploads get longer) is answered with 408 and the
 * connection closed: a client trickling bytes cannot hold a connection and a parser for minutes.
 */
function bodyDeadline(requestTimeoutMs: number, uploadTimeoutMs: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.complete) return next();
    const upload = /^\s*multipart\//i.test(String(req.headers['content-type'] ?? ''));
    const ms = upload ? uploadTimeoutMs : requestTimeoutMs;
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      res.status(408).json({
        statusCode: 408,
        error: 'Request Timeout',
        message: `The request body did not arrive within ${Math.round(ms / 1000)} s`,
        correlationId: res.getHeader('x-correlation-id'),
      });
    }, ms);
    timer.unref();
    const stop = () => clearTimeout(timer);
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}

/** Body-reading errors as the 4xx they are (Nest would answer a JSON syntax error quoting the body). */
function answerBodyErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(bodyReadException(error) ?? error);
}

/**
 * What an API process exposed to browsers and the Internet needs, installed before the body parsers
 * and routes: security headers, CORS from an allow-list, a JSON and form body limit, JSON nesting at
 * most 32 deep, only UTF-8 and gzip/deflate bodies, and timeouts for slow clients. Unset settings take
 * the platform config's defaults.
 */
export function applyHttpHardening(app: INestApplication, config: Partial<HttpHardeningConfig> = {}): void {
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const settings: HttpHardeningConfig = { ...httpEnvSchema.parse({}), ...defined };
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', settings.HTTP_TRUST_PROXY);
  app.use(securityHeaders);
  if (settings.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: settings.CORS_ORIGINS,
      credentials: false,
      exposedHeaders: ['x-correlation-id', 'retry-after', 'location', 'idempotent-replayed'],
      maxAge: 600,
    });
  }
  app.use(bodyDeadline(settings.HTTP_REQUEST_TIMEOUT_MS, settings.HTTP_UPLOAD_TIMEOUT_MS));
  app.use(refuseUndecodableBodies);
  // Registered here, Nest's default parsers (same names) are not added at init.
  express.useBodyParser('json', { limit: settings.HTTP_BODY_LIMIT, verify: refuseDeepJson() });
  express.useBodyParser('urlencoded', { limit: settings.HTTP_BODY_LIMIT, extended: true });
  app.use(answerBodyErrors);

  const server: Server = app.getHttpServer();
  server.headersTimeout = settings.HTTP_HEADERS_TIMEOUT_MS;
  // Node's own limit is the backstop for uploads; bodyDeadline holds other requests to the shorter one.
  server.requestTimeout = Math.max(settings.HTTP_REQUEST_TIMEOUT_MS, settings.HTTP_UPLOAD_TIMEOUT_MS);
  server.keepAliveTimeout = settings.HTTP_KEEP_ALIVE_TIMEOUT_MS;
}
