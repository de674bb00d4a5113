import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Headroom registers global OpenTelemetry providers: a process of its own.
    pool: 'forks',
    // One file at a time: on two cores the packed install's npm would slow the truth test's
    // workload, whose order of events rests on its timing.
    fileParallelism: false,
    // The run itself is 20 s; start-up, the agent's last round and the checks add the rest.
    testTimeout: 90_000,
    hookTimeout: 30_000,
  },
});
