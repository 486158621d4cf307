import { defineConfig } from 'vitest/config';
import { postgresBinDir } from './test/helpers/services.js';

/**
 * Two projects, one suite: `sqlite` runs everything on the embedded store; `postgres` runs the
 * storage and HTTP tests again (and the PostgreSQL-only ones) against a real PostgreSQL server.
 * Without a server (no RECVAULT_TEST_DATABASE_URL, no binaries to start one) the postgres
 * project is left out with one line saying so — except under CI, where it runs and fails.
 */
const postgresAvailable = (process.env['RECVAULT_TEST_DATABASE_URL'] ?? '') !== '' || postgresBinDir() !== null;
const runPostgres = postgresAvailable || process.env['CI'] === 'true';
if (!runPostgres) {
  console.warn('recvault tests: no PostgreSQL server here (set RECVAULT_TEST_DATABASE_URL or install postgresql), so the PostgreSQL half of the suite did not run');
}

const ENGINE_NEUTRAL = ['test/store/**/*.test.ts', 'test/http/**/*.test.ts', 'test/hardening/authz-matrix.test.ts', 'test/hardening/paging-concurrency.test.ts'];

export default defineConfig({
  test: {
    // A noisy 2-core CI machine: tests assert behaviour, never timing, so give slow steps room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/postgres/**', '**/node_modules/**'],
          globalSetup: ['test/setup/redis.ts'],
        },
      },
      ...(runPostgres
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: [...ENGINE_NEUTRAL, 'test/postgres/**/*.test.ts'],
                // SQLite's own query plans; PostgreSQL's are guarded in test/postgres.
                exclude: ['test/store/query-plans.test.ts', '**/node_modules/**'],
                env: { RECVAULT_TEST_ENGINE: 'postgres' },
                globalSetup: ['test/setup/postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
