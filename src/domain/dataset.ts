import type { Org, Person, Recording, Site } from './types.js';

/** A token ready to store: the secret has already been replaced by its SHA-256 hash. */
export interface TokenSeed {
  readonly id: string;
  readonly hash: Buffer;
  readonly personId: string;
  readonly scopes: readonly string[];
  readonly clientId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

/** Everything an import or the generator can write, already validated and in domain form. */
export interface Dataset {
  readonly orgs: readonly Org[];
  readonly sites: readonly Site[];
  readonly people: readonly Person[];
  readonly tokens: readonly TokenSeed[];
  readonly recordings: readonly Recording[];
}
