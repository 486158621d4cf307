import type { RecordingFormat, RecordingStatus, ServiceType } from '../domain/constants.js';
import type { Dataset, TokenSeed } from '../domain/dataset.js';
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

export interface TokenWithPerson {
  readonly token: TokenRecord;
  /** The stored digest, re-compared in constant time by the caller. */
  readonly hash: Buffer;
  readonly person: Person;
}

export interface KnownEntities {
  readonly orgIds: ReadonlySet<string>;
  /** site URL → org id */
  readonly sites: ReadonlyMap<string, string>;
  /** person id → org id */
  readonly people: ReadonlyMap<string, string>;
}

export interface ImportSession {
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


/** The one storage seam: every engine implements it and passes the same tests. */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  close(): Promise<void>;

  getMeta(key: string): Promise<string | null>;
  /** Sets the value only if the key is absent, and returns whichever value is stored. */
  initMeta(key: string, value: string): Promise<string>;

  findToken(hash: Buffer): Promise<TokenWithPerson | null>;
  orgSiteUrls(orgId: string): Promise<string[]>;
  getOrg(orgId: string): Promise<Org | null>;
  findPerson(idOrEmail: string): Promise<Person | null>;

  listRecordings(query: RecordingPageQuery): Promise<Recording[]>;
  countRecordings(): Promise<number>;

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
