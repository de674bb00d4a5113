import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each file gets its own process: Headroom registers global OpenTelemetry providers.
    pool: 'forks',
    testTimeout: 15_000,
  },
});
