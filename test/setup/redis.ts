/**
 * Global setup: the Redis server for the shared-rate-limit tests. `RECVAULT_TEST_REDIS_URL`
 * names one (CI starts Debian's); otherwise a throwaway `redis-server` is started when the
 * binary is installed, and when it is not the Redis tests say so and skip (fail under CI).
 */
import type { TestProject } from 'vitest/node';
import { redisServerBinary, startThrowawayRedis, type ThrowawayRedis } from '../helpers/services.js';

export default async function setup(project: TestProject): Promise<() => void> {
  let server: ThrowawayRedis | null = null;
  let url: string | null = process.env['RECVAULT_TEST_REDIS_URL'] ?? null;
  if (url === null || url === '') {
    url = null;
    if (redisServerBinary() !== null) {
      server = await startThrowawayRedis();
      url = server.url;
    }
  }
  project.provide('redisUrl', url);
  return () => server?.destroy();
}
