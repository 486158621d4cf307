/** One row of a catalogue's `schema_migrations` table. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** The catalogue's schema is not one this build can serve; opening it must stop. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
}

/**
 * Checks the migrations recorded in a catalogue against the ones this build knows, before
 * anything is served from it. A version this build does not know means a newer release upgraded
 * the file (its indexes or columns may no longer be what these queries expect: some pages would
 * answer 500); a known version under another name means a build whose steps differ from this
 * one's. Either is refused with a clear message instead of a server that fails route by route.
 */
export function checkAppliedMigrations(
  applied: readonly AppliedMigration[],
  known: readonly AppliedMigration[],
  where: string,
): void {
  const knownByVersion = new Map(known.map((m) => [m.version, m.name]));
  const newest = Math.max(0, ...known.map((m) => m.version));
  for (const row of applied) {
    const name = knownByVersion.get(row.version);
    if (name === undefined) {
      throw new SchemaMismatchError(
        `${where} has schema version ${row.version} (${JSON.stringify(row.name)}), from a newer recvault; this build knows versions up to ${newest}. ` +
          'Run the newer release (going back after an upgrade is not supported).',
      );
    }
    if (name !== row.name) {
      throw new SchemaMismatchError(
        `${where} has schema version ${row.version} as ${JSON.stringify(row.name)}, which this build calls ${JSON.stringify(name)}: ` +
          'it was made by a different build. Export its recordings with that build and import them into a new catalogue.',
      );
    }
  }
}
