import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npm run dev`: the dashboard against a local collector (HEADROOM_URL, default :4800) through Vite's proxy. */
const collector = process.env.HEADROOM_URL ?? 'http://127.0.0.1:4800';

export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: {
    proxy: {
      // The collector takes writes only from its own origin: the proxy speaks for this page.
      '/api': {
        target: collector,
        changeOrigin: true,
        headers: { origin: new URL(collector).origin },
      },
      '/healthz': { target: collector, changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    pool: 'forks',
    hookTimeout: 60_000,
  },
});
