import ms from 'ms';
import { SCOPES } from '../domain/constants.js';
import { hashToken, newTokenId, newTokenSecret } from '../domain/token-secret.js';
import type { Person } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { CliError } from './cli-error.js';

export const KNOWN_SCOPES: readonly string[] = Object.values(SCOPES);

export interface IssueTokenRequest {
  readonly person: string;
  readonly scopes: readonly string[];
  readonly clientId: string | null;
  /** e.g. `30d`, `12h`; `null` for a token that does not expire. */
  readonly expiresIn: string | null;
  readonly now: number;
}

export interface IssuedToken {
  readonly id: string;
  readonly secret: string;
  readonly person: Person;
  readonly expiresAt: number | null;
}

const MIN_LIFETIME_MS = 60_000;
const MAX_LIFETIME_MS = 100 * 365.25 * 86_400_000;

/**
 * `--expires-in`: a number with a unit (`ms` reads a bare number as milliseconds, which made
 * `--expires-in 30` a token dead on arrival), from a minute to a hundred years (past that the
 * expiry is no longer a representable date, and `tokens list` could not show it).
 */
function lifetimeMs(text: string): number {
  const span = /[a-z]/i.test(text) ? ms(text as ms.StringValue) : undefined;
  if (typeof span !== 'number' || !Number.isFinite(span)) {
    throw new CliError(`--expires-in must be a duration with a unit such as 30d, 12h or 90m, got ${JSON.stringify(text)}`, 2);
  }
  if (span < MIN_LIFETIME_MS || span > MAX_LIFETIME_MS) {
    throw new CliError(`--expires-in must be from 1 minute to 100 years, got ${JSON.stringify(text)}`, 2);
  }
  return span;
}

/** Creates a token for a person; the secret is returned once and only its hash is stored. */
export async function issueToken(store: Store, request: IssueTokenRequest): Promise<IssuedToken> {
  const person = await store.findPerson(request.person);
  if (person === null) throw new CliError(`no person with id or email ${JSON.stringify(request.person)}`, 4);
  if (request.scopes.length === 0) throw new CliError(`give at least one scope: ${KNOWN_SCOPES.join(', ')}`, 2);
  const unknown = request.scopes.filter((s) => !KNOWN_SCOPES.includes(s));
  if (unknown.length > 0) throw new CliError(`unknown scope ${unknown.join(', ')}; known scopes: ${KNOWN_SCOPES.join(', ')}`, 2);
  const expiresAt = request.expiresIn === null ? null : request.now + lifetimeMs(request.expiresIn);
  const secret = newTokenSecret();
  const id = newTokenId();
  await store.createToken({
    id,
    hash: hashToken(secret),
    personId: person.id,
    scopes: [...new Set(request.scopes)],
    clientId: request.clientId,
    createdAt: request.now,
    expiresAt,
  });
  return { id, secret, person, expiresAt };
}
