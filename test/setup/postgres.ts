/**
 * Global setup of the `postgres` test project: the PostgreSQL server every engine-neutral test
 * runs against. `RECVAULT_TEST_DATABASE_URL` names one (CI starts Debian's); otherwise a
 * throwaway server is started from the machine's binaries for this run.
 */
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/services.js';

export default async function setup(project: TestProject): Promise<() => void> {
  let server: ThrowawayPostgres | null = null;
  let url = process.env['RECVAULT_TEST_DATABASE_URL'] ?? '';
  if (url === '') {
    server = await startThrowawayPostgres();
    url = server.url;
  }
  project.provide('pgUrl', url);
  return () => server?.destroy();
}
