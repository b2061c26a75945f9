import react from '@vitejs/plugin-react';
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

export default defineConfig({
  plugins: [react(), devConfig],
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
