import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    target: 'es2022',
    manifest: true,
    // The sizes the report quotes: a chart library in the initial load would be a bug.
    chunkSizeWarningLimit: 600,
    rollupOptions: { input: { main: 'index.html', silentRenew: 'silent-renew.html' } },
  },
  server: { port: 5173, host: '127.0.0.1' },
  test: { environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}'] },
});
