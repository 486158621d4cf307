import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL server for the `postgres` project (a database URL). */
    pgUrl: string;
    /** Redis server for the shared-rate-limit tests, or null when none is available. */
    redisUrl: string | null;
  }
}
