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
    // A site's recordings carry its org; moving the site alone would leave them visible to no one.
    const owner = this.sites.get(raw.siteUrl);
    if (owner !== undefined && owner !== raw.orgId) {
      throw new RecordError(position, 'orgId', `would move site ${JSON.stringify(raw.siteUrl)} from org ${JSON.stringify(owner)}, which holds its recordings; sites cannot change org`);
    }
    this.sites.set(raw.siteUrl, raw.orgId);
    return { siteUrl: raw.siteUrl, orgId: raw.orgId };
  }

  person(raw: RawPerson, position: string): Person {
    if (!this.orgIds.has(raw.orgId)) throw new RecordError(position, 'orgId', `refers to unknown org ${JSON.stringify(raw.orgId)}`);
    // The person's tokens would follow into the other org's catalogue.
    const org = this.people.get(raw.id);
    if (org !== undefined && org !== raw.orgId) {
      throw new RecordError(position, 'orgId', `would move person ${JSON.stringify(raw.id)} from org ${JSON.stringify(org)}; people cannot change org`);
    }
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

  /** `textMayBeDefective: false` when the caller knows the source text cannot hold NUL or a lone surrogate (see importNdjson). */
  recording(value: unknown, position: string, textMayBeDefective = true): Recording {
    const raw = checkShape<ImportRecording>('recordings', value, position, textMayBeDefective);
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
  // A record given twice is refused in every section: with "last one wins" the counts printed
  // were wrong, and two tokens with one secret silently became one.
  const once = <T>(name: (typeof SECTIONS)[number], field: string, key: (record: T) => string, read: (value: unknown, position: string) => T): T[] => {
    const seen = new Set<string>();
    return list(name).map((value, i) => {
      const record = read(value, at(name, i));
      const k = key(record);
      if (seen.has(k)) throw new RecordError(at(name, i), field, `repeats ${field === 'id' ? 'an id' : `a ${field}`} given earlier in the file`);
      seen.add(k);
      return record;
    });
  };
  return {
    orgs: once('orgs', 'id', (o: Org) => o.id, (v, p) => refs.org(checkShape<RawOrg>('orgs', v, p))),
    sites: once('sites', 'siteUrl', (s: Site) => s.siteUrl, (v, p) => refs.site(checkShape<RawSite>('sites', v, p), p)),
    people: once('people', 'id', (person: Person) => person.id, (v, p) => refs.person(checkShape<RawPerson>('people', v, p), p)),
    tokens: once('tokens', 'token', (t: TokenSeed) => t.hash.toString('base64'), (v, p) => refs.token(checkShape<RawToken>('tokens', v, p), p, now)),
    recordings: once('recordings', 'id', (r: Recording) => r.id, (v, p) => refs.recording(v, p)),
  };
}
