import { hashToken, newTokenId } from '../domain/token-secret.js';
import type { Dataset, TokenSeed } from '../domain/dataset.js';
import type { Org, Person, Recording, Site } from '../domain/types.js';
import type { KnownEntities } from '../store/store.js';
import type { ImportRecording } from './import-schema.js';
import { checkShape, importInstant, RecordError, toRecording } from './record-validator.js';

interface RawOrg { id: string; name: string }
interface RawSite { siteUrl: string; orgId: string }
interface RawPerson { id: string; email: string; displayName: string; orgId: string; siteUrls?: string[]; preferredSiteUrl?: string | null }
interface RawToken { token: string; personId: string; scopes: string[]; clientId?: string | null; expiresAt?: string | null }

/**
 * Resolves references while records are read: what the store already holds plus what the
 * document declared earlier. A recording's org is its site's org.
 */
export class ReferenceResolver {
  private readonly orgIds: Set<string>;
  private readonly sites: Map<string, string>;
  private readonly people: Map<string, string>;
  private readonly emails: Map<string, string>;

  constructor(known: KnownEntities) {
    this.orgIds = new Set(known.orgIds);
    this.sites = new Map(known.sites);
    this.people = new Map(known.people);
    this.emails = new Map(known.emails);
  }

  org(raw: RawOrg): Org {
    this.orgIds.add(raw.id);
    return { id: raw.id, name: raw.name };
  }

  site(raw: RawSite, position: string): Site {
    if (!this.orgIds.has(raw.orgId)) throw new RecordError(position, 'orgId', `refers to unknown org ${JSON.stringify(raw.orgId)}`);
    this.sites.set(raw.siteUrl, raw.orgId);
    return { siteUrl: raw.siteUrl, orgId: raw.orgId };
  }

  person(raw: RawPerson, position: string): Person {
    if (!this.orgIds.has(raw.orgId)) throw new RecordError(position, 'orgId', `refers to unknown org ${JSON.stringify(raw.orgId)}`);
    const siteUrls = raw.siteUrls ?? [];
    siteUrls.forEach((site, i) => {
      if (this.sites.get(site) !== raw.orgId) throw new RecordError(position, `siteUrls.${i}`, `is not a site of org ${JSON.stringify(raw.orgId)}`);
    });
    const preferred = raw.preferredSiteUrl ?? null;
    if (preferred !== null && this.sites.get(preferred) !== raw.orgId) {
      throw new RecordError(position, 'preferredSiteUrl', `is not a site of org ${JSON.stringify(raw.orgId)}`);
    }
    const owner = this.emails.get(raw.email.toLowerCase());
    if (owner !== undefined && owner !== raw.id) throw new RecordError(position, 'email', `is already used by person ${JSON.stringify(owner)}`);
    this.emails.set(raw.email.toLowerCase(), raw.id);
    this.people.set(raw.id, raw.orgId);
    return { id: raw.id, orgId: raw.orgId, email: raw.email, displayName: raw.displayName, siteUrls, preferredSiteUrl: preferred };
  }

  token(raw: RawToken, position: string, now: number): TokenSeed {
    if (!this.people.has(raw.personId)) throw new RecordError(position, 'personId', `refers to unknown person ${JSON.stringify(raw.personId)}`);
    return {
      id: newTokenId(),
      hash: hashToken(raw.token),
      personId: raw.personId,
      scopes: raw.scopes,
      clientId: raw.clientId ?? null,
      createdAt: now,
      expiresAt: raw.expiresAt === undefined || raw.expiresAt === null ? null : importInstant(raw.expiresAt, 'expiresAt', position),
    };
  }

  recording(value: unknown, position: string): Recording {
    const raw = checkShape<ImportRecording>('recordings', value, position);
    const orgId = this.sites.get(raw.siteUrl);
    if (orgId === undefined) throw new RecordError(position, 'siteUrl', `refers to unknown site ${JSON.stringify(raw.siteUrl)}`);
    return toRecording(raw, orgId, position);
  }
}

const SECTIONS = ['orgs', 'sites', 'people', 'tokens', 'recordings'] as const;

/**
 * Validates a whole import document (the SPEC format) into a dataset, in dependency order.
 * Throws a RecordError at the first bad record, naming e.g. `recordings[12]` and the field.
 */
export function parseImportDocument(doc: unknown, known: KnownEntities, now: number): Dataset {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new RecordError('document', '(root)', 'must be a JSON object with orgs, sites, people, tokens and recordings arrays');
  }
  const sections = doc as Record<string, unknown>;
  for (const key of Object.keys(sections)) {
    if (!(SECTIONS as readonly string[]).includes(key)) throw new RecordError('document', key, 'is not a known section');
  }
  const list = (name: (typeof SECTIONS)[number]): unknown[] => {
    const value = sections[name];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new RecordError('document', name, 'must be an array');
    return value;
  };
  const refs = new ReferenceResolver(known);
  const at = (name: string, i: number) => `${name}[${i}]`;
  const seenRecordingIds = new Set<string>();
  return {
    orgs: list('orgs').map((v, i) => refs.org(checkShape<RawOrg>('orgs', v, at('orgs', i)))),
    sites: list('sites').map((v, i) => refs.site(checkShape<RawSite>('sites', v, at('sites', i)), at('sites', i))),
    people: list('people').map((v, i) => refs.person(checkShape<RawPerson>('people', v, at('people', i)), at('people', i))),
    tokens: list('tokens').map((v, i) => refs.token(checkShape<RawToken>('tokens', v, at('tokens', i)), at('tokens', i), now)),
    recordings: list('recordings').map((v, i) => {
      const recording = refs.recording(v, at('recordings', i));
      if (seenRecordingIds.has(recording.id)) throw new RecordError(at('recordings', i), 'id', 'repeats an id given earlier in the file');
      seenRecordingIds.add(recording.id);
      return recording;
    }),
  };
}
