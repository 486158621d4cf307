import type { RecordingFormat, RecordingStatus, ServiceType } from '../domain/constants.js';
import type { Dataset, TokenSeed } from '../domain/dataset.js';
import type { StatusChange } from '../domain/lifecycle.js';
import type { Org, Person, Recording, Site, TokenRecord } from '../domain/types.js';

/** What a list page asks of the store; visibility has already been decided by the domain. */
export interface RecordingPageQuery {
  readonly orgId: string;
  /** Sites to read from: the one requested site, or every visible site for a `meetingId` query. */
  readonly siteUrls: readonly string[];
  /** Matches `meetingSeriesId`, `scheduledMeetingId` or `meetingId`. */
  readonly meetingId: string | null;
  readonly window: { readonly from: number; readonly to: number } | null;
  readonly status: RecordingStatus;
  readonly topicKey: string | null;
  readonly format: RecordingFormat | null;
  readonly serviceType: ServiceType | null;
  /** Tag filter: the tag must be client-less or created by `clientId`. */
  readonly integrationTag: { readonly tag: string; readonly clientId: string | null } | null;
  /** Keyset position: only items strictly after it in (createTime desc, id desc) order. */
  readonly after: { readonly createTime: number; readonly id: string } | null;
  readonly limit: number;
}

/**
 * The page size as an integer safe to write into SQL text (engines inline it: SQLite plans a
 * literal LIMIT better than a bound one). The domain has bounded it already; checked again here.
 */
export function inlinePageLimit(q: RecordingPageQuery): number {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000) throw new RangeError(`page limit out of range: ${q.limit}`);
  return q.limit;
}

export interface TokenWithPerson {
  readonly token: TokenRecord;
  /** The stored digest, re-compared in constant time by the caller. */
  readonly hash: Buffer;
  readonly person: Person;
  /** Every site of the person's org (sorted), read with the token: authentication is one lookup. */
  readonly orgSiteUrls: readonly string[];
}

export interface KnownEntities {
  readonly orgIds: ReadonlySet<string>;
  /** site URL → org id */
  readonly sites: ReadonlyMap<string, string>;
  /** person id → org id */
  readonly people: ReadonlyMap<string, string>;
  /** lower-cased email → person id */
  readonly emails: ReadonlyMap<string, string>;
}

export interface ImportSession {
  /**
   * Whether the catalogue holds no org, as seen inside this session. Sessions that ask are
   * serialized (a lock held until they end), so of two processes seeding an empty catalogue at
   * once, the second sees the first one's data and can step back.
   */
  catalogueIsEmpty(): Promise<boolean>;
  write(part: Partial<Dataset>): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface ImportCounts {
  readonly orgs: number;
  readonly sites: number;
  readonly people: number;
  readonly tokens: number;
  readonly recordings: number;
}


/** Who made a change, for the audit trail. */
export interface AuditContext {
  readonly at: number;
  readonly orgId: string;
  readonly personId: string | null;
  readonly tokenId: string | null;
  readonly trackingId: string | null;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: number;
  readonly orgId: string;
  readonly personId: string | null;
  readonly tokenId: string | null;
  readonly action: string;
  readonly recordingId: string;
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  readonly trackingId: string | null;
}

/** Which rows a lifecycle batch reads before planning: given ids, or the recycle bin of some sites. */
export type LifecycleSelection =
  | { readonly kind: 'ids'; readonly orgId: string; readonly ids: readonly string[] }
  | { readonly kind: 'recycleBin'; readonly orgId: string; readonly siteUrls: readonly string[] };

export interface IngestRecord {
  readonly recording: Recording;
  /** When the record leaves `status` out, an existing recording keeps its lifecycle state. */
  readonly statusGiven: boolean;
}

export interface IngestCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** The store cannot serve the request right now (locked by a long write, unreachable): a 503. */
export class StoreUnavailableError extends Error {
  constructor(message = 'The catalogue is busy; retry shortly.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}


/** A connection pool right now: connections open, of which idle, and callers waiting for one. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** The one storage seam: every engine implements it and passes the same tests. */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /**
   * Resolves when the store can serve: it answers a query (SQLite reads its schema table and
   * checks that its file is still the one it opened); rejects (StoreUnavailableError) when not.
   */
  ping(): Promise<void>;
  /** Connection-pool figures for `/metrics` by pool name, read at scrape time; engines without a pool omit it (or return null). */
  poolStats?(): Readonly<Record<string, PoolStats>> | null;
  /** Schema versions applied to this database, oldest first. */
  appliedMigrations(): Promise<number[]>;
  /** Applies pending migrations now and returns the versions applied (SQLite applies them as it opens, and reports those once). */
  migrate(): Promise<number[]>;

  getMeta(key: string): Promise<string | null>;
  /** Sets the value only if the key is absent, and returns whichever value is stored. */
  initMeta(key: string, value: string): Promise<string>;

  findToken(hash: Buffer): Promise<TokenWithPerson | null>;
  orgSiteUrls(orgId: string): Promise<string[]>;
  getOrg(orgId: string): Promise<Org | null>;
  findPerson(idOrEmail: string): Promise<Person | null>;

  listRecordings(query: RecordingPageQuery): Promise<Recording[]>;
  countRecordings(): Promise<number>;
  getRecording(orgId: string, id: string): Promise<Recording | null>;

  /**
   * Runs one lifecycle batch in a single transaction: reads the selected rows, lets the pure
   * `plan` decide (it may throw, and then nothing is written), applies the changes and appends
   * one audit row per change.
   */
  applyLifecycle(selection: LifecycleSelection, action: string, plan: (rows: Recording[]) => StatusChange[], audit: AuditContext): Promise<StatusChange[]>;
  /** Idempotent upsert by id in one transaction, with an audit row per created or updated recording. */
  ingestRecordings(records: readonly IngestRecord[], audit: AuditContext): Promise<IngestCounts>;
  listAudit(since: number | null, limit: number): Promise<AuditEntry[]>;

  /** Ids of what already exists, so an import can check references before writing. */
  knownEntities(): Promise<KnownEntities>;
  /** Opens one write transaction for a streamed import: `commit` writes all of it, `rollback` none. */
  beginImport(): Promise<ImportSession>;
  /** Upserts a whole dataset in one transaction: all of it is written or none. */
  importDataset(dataset: Dataset): Promise<ImportCounts>;
  /** Appends recordings in one transaction (generator fast path; ids must be new). */
  insertRecordings(recordings: readonly Recording[]): Promise<void>;

  createToken(token: TokenSeed): Promise<void>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string, at: number): Promise<boolean>;
}

export type { Site };
