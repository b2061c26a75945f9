#!/usr/bin/env node
// The web application's one origin: the built app (dist/) and /api/<service>/… proxied to the four
// services, so the browser needs no CORS and the token never leaves the origin. `npm start` runs it
// in-process; tests and containers run this file (`node services/web/server.mjs`) with the variables below.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const SERVICES = ['recommendations', 'actions', 'notifications', 'reporting'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);
// Hop-by-hop headers (RFC 9110 §7.6.1) stay on their own hop.
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/**
 * @param {{ port: number, host?: string, root: string, upstreams: Record<string, string>,
 *           oidc: { issuer: string, clientId: string } }} options
 * @returns {Promise<import('node:http').Server>} listening
 */
export async function startWebServer({ port, host = '127.0.0.1', root, upstreams, oidc }) {
  const base = resolve(root);
  if (!existsSync(join(base, 'index.html')))
    throw new Error(`No built web app in ${base}: run npm run build -w @nmirf/web`);
  for (const service of SERVICES)
    if (!upstreams[service]) throw new Error(`No upstream URL for the ${service} service`);
  const issuer = new URL(oidc.issuer);
  const headers = {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Emotion writes MUI's styles into <style> elements at run time.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' ${issuer.origin}`,
      `frame-src 'self' ${issuer.origin}`,
      "frame-ancestors 'self'",
      "base-uri 'self'",
      `form-action 'self' ${issuer.origin}`,
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
  const config = JSON.stringify({ oidcIssuer: oidc.issuer, oidcClientId: oidc.clientId });
  const compressed = new Map();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const api = /^\/api\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    if (api) return proxy(req, res, api[1], (api[2] ?? '/') + url.search);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'Method not allowed');
    if (url.pathname === '/healthz') return send(res, 200, 'text/plain', 'ok');
    if (url.pathname === '/config.json')
      return send(res, 200, TYPES['.json'], config, { 'cache-control': 'no-store', ...headers });
    return serveFile(req, res, url.pathname);
  });

  function proxy(req, res, service, path) {
    const target = upstreams[service];
    if (!target)
      return send(res, 404, TYPES['.json'], JSON.stringify({ message: `No API named ${service}` }));
    const upstream = new URL(path, target);
    const outgoing = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP.has(name)));
    outgoing['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    outgoing['x-forwarded-proto'] = 'http';
    outgoing['x-forwarded-host'] = req.headers.host ?? '';
    const send_ = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const forward = send_(upstream, { method: req.method, headers: outgoing }, (answer) => {
      const back = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP.has(name)));
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (res.headersSent) return res.destroy();
      send(res, 502, TYPES['.json'], JSON.stringify({ message: `The ${service} service did not answer` }));
    });
    req.pipe(forward);
  }

  function serveFile(req, res, pathname) {
    let file = safePath(base, pathname);
    // Any other path is a page of the app: index.html routes it in the browser.
    if (!file || !existsSync(file) || !statSync(file).isFile()) file = join(base, 'index.html');
    const extension = extname(file);
    const type = TYPES[extension] ?? 'application/octet-stream';
    const immutable = file.startsWith(join(base, 'assets') + sep);
    const extra = {
      ...headers,
      // Hashed asset names never change content; the HTML must be fetched fresh to find them.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
    };
    if (COMPRESSIBLE.has(extension) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      let body = compressed.get(file);
      if (!body) compressed.set(file, (body = gzipSync(readFileSync(file), { level: 9 })));
      return send(
        res,
        200,
        type,
        req.method === 'HEAD' ? '' : body,
        { ...extra, 'content-encoding': 'gzip' },
        body.length,
      );
    }
    res.writeHead(200, { 'content-type': type, 'content-length': statSync(file).size, ...extra });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen(undefined));
  });
  return server;
}

/** The file under `base` a URL path names, or null when it would step outside. */
function safePath(base, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = normalize(join(base, decoded));
  return file === base || file.startsWith(base + sep) ? file : null;
}

function send(res, status, type, body, extra = {}, length) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': length ?? Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

// Run as a program: the variables name the port, the APIs and the identity provider.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const ports = { recommendations: 3101, actions: 3102, notifications: 3103, reporting: 3104 };
  const server = await startWebServer({
    port: Number(env.WEB_PORT ?? 3100),
    host: env.WEB_HOST ?? '127.0.0.1',
    root: env.WEB_ROOT ?? join(fileURLToPath(new URL('.', import.meta.url)), 'dist'),
    upstreams: Object.fromEntries(
      SERVICES.map((name) => [
        name,
        env[`${name.toUpperCase()}_API_URL`] ?? `http://127.0.0.1:${ports[name]}`,
      ]),
    ),
    oidc: {
      issuer: env.OIDC_ISSUER_URL ?? 'http://127.0.0.1:8180/realms/nmirf',
      clientId: env.OIDC_CLIENT_ID ?? 'nmirf-web',
    },
  });
  const address = server.address();
  process.stdout.write(`web: listening on http://${address.address}:${address.port}\n`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
