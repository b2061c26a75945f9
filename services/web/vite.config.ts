import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Rollup } from 'vite';
import { defineConfig, type Plugin } from 'vitest/config';

// The dev server (5173, an origin Keycloak accepts) stands in for server.mjs: /api/<service>/… to the
// services `npm start` runs, and the sign-in settings at /config.json.
const PORTS = { recommendations: 3101, actions: 3102, notifications: 3103, reporting: 3104 };
const devConfig: Plugin = {
  name: 'nmirf-dev-config',
  configureServer(server) {
    server.middlewares.use('/config.json', (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          oidcIssuer: process.env.OIDC_ISSUER_URL ?? 'http://127.0.0.1:8180/realms/nmirf',
          oidcClientId: process.env.OIDC_CLIENT_ID ?? 'nmirf-web',
        }),
      );
    });
  },
};

/** What the service worker stores at install: the app's entry, the task pages (with their lazy parts) and every catalogue. */
const OFFLINE_MODULES =
  /src\/(main\.tsx|pages\/Tasks?\.tsx|pages\/participants\/task\/\w+\.tsx|i18n\/messages\/.+\.json)$/;

export function offlineFiles(bundle: Rollup.OutputBundle): string[] {
  const chunks = Object.values(bundle).filter((item): item is Rollup.OutputChunk => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const files = new Set<string>();
  const add = (chunk: Rollup.OutputChunk | undefined) => {
    if (!chunk || files.has(chunk.fileName)) return;
    files.add(chunk.fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    for (const imported of chunk.imports) add(byName.get(imported));
  };
  for (const chunk of chunks)
    if (chunk.facadeModuleId && OFFLINE_MODULES.test(chunk.facadeModuleId)) add(chunk);
  return [...files].sort().map((file) => `/${file}`);
}

// dist/sw.js: the worker's source with the list of files to keep; a new build is a new worker.
const serviceWorker: Plugin = {
  name: 'nmirf-service-worker',
  apply: 'build',
  generateBundle(_options, bundle) {
    const files = offlineFiles(bundle);
    const build = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
    const source = readFileSync(new URL('./src/offline/sw.js', import.meta.url), 'utf8')
      .replace('self.__PRECACHE__', JSON.stringify(files))
      .replace('self.__BUILD__', JSON.stringify(build));
    this.emitFile({ type: 'asset', fileName: 'sw.js', source });
  },
};

export default defineConfig({
  plugins: [react(), devConfig, serviceWorker],
  build: {
    outDir: 'dist',
    target: 'es2022',
    manifest: true,
    // The sizes the report quotes: a chart library in the initial load would be a bug.
    chunkSizeWarningLimit: 600,
    rollupOptions: { input: { main: 'index.html', silentRenew: 'silent-renew.html' } },
  },
  server: {
    port: 5173,
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      Object.entries(PORTS).map(([name, port]) => [
        `/api/${name}`,
        {
          target: `http://127.0.0.1:${port}`,
          rewrite: (path: string) => path.slice(`/api/${name}`.length) || '/',
        },
      ]),
    ),
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}'] },
});
