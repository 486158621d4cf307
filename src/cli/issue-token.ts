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

/** Creates a token for a person; the secret is returned once and only its hash is stored. */
export async function issueToken(store: Store, request: IssueTokenRequest): Promise<IssuedToken> {
  const person = await store.findPerson(request.person);
  if (person === null) throw new CliError(`no person with id or email ${JSON.stringify(request.person)}`, 4);
  if (request.scopes.length === 0) throw new CliError(`give at least one scope: ${KNOWN_SCOPES.join(', ')}`, 2);
  const unknown = request.scopes.filter((s) => !KNOWN_SCOPES.includes(s));
  if (unknown.length > 0) throw new CliError(`unknown scope ${unknown.join(', ')}; known scopes: ${KNOWN_SCOPES.join(', ')}`, 2);
  let expiresAt: number | null = null;
  if (request.expiresIn !== null) {
    const span = ms(request.expiresIn as ms.StringValue);
    if (typeof span !== 'number' || !Number.isFinite(span) || span <= 0) {
      throw new CliError(`--expires-in must be a duration such as 30d, 12h or 90m, got ${JSON.stringify(request.expiresIn)}`, 2);
    }
    expiresAt = request.now + span;
  }
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
