import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // A zone with a non-integer, non-UTC offset: date code that forgets the time zone fails loudly.
    env: { TZ: 'America/St_Johns' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep the two cores for them rather than oversubscribing.
    maxWorkers: 2,
    reporters: ['default', './tests/reporters/summary-line.ts'],
    // TEST_ENGINE=postgres: one PostgreSQL cluster for the run (tests/support/postgres-global.ts).
    // Otherwise a file that needs PostgreSQL starts its own, and the rest of `npm test` pays nothing.
    globalSetup: process.env.TEST_ENGINE === 'postgres' ? ['./tests/support/postgres-global.ts'] : [],
    provide: { postgres: null },
  },
});
