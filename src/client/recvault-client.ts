import type { CallerProfile, SiteList, SiteListEntry } from '../domain/types.js';
import { checkTimeZoneName, checkToken } from './header-values.js';
import { HttpTransport, type FetchLike, type RetryEvent } from './http-transport.js';
import { RecordingsApi, parseJson } from './recordings-api.js';
import { RetryPolicy, type RetryOptions } from './retry-policy.js';
import type { CallOptions } from './types.js';

export interface RecvaultClientOptions {
  /** Server root, e.g. `https://recordings.example.com` (a path prefix is kept). Webex: `https://webexapis.com`. */
  readonly baseUrl: string | URL;
  /** Bearer token. */
  readonly token: string;
  /** Retry settings, a ready policy, or `false` for no retries. */
  readonly retry?: RetryOptions | RetryPolicy | false;
  /** A `fetch` to use instead of the global one (proxies, tests). */
  readonly fetch?: FetchLike;
  /** IANA zone sent as the `timezone` header and used to split windows; default: none (server: UTC). */
  readonly timezone?: string;
  /** Per-attempt timeout in ms (default 30 000); a timeout is retried like a connection error. */
  readonly timeoutMs?: number;
  /** Called before each retry's wait (logging, progress). */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Client for recvault's (and the Webex-compatible) recordings API.
 *
 * @example
 * import { RecvaultClient } from 'recvault/client';
 * const client = new RecvaultClient({ baseUrl: 'http://127.0.0.1:8080', token: process.env.RECVAULT_TOKEN! });
 * const year = await client.recordings.list({ from: '2024-01-01', to: '2025-01-01' }).toArray({ limit: 10_000 });
 */
export class RecvaultClient {
  readonly recordings: RecordingsApi;
  readonly baseUrl: URL;
  private readonly http: HttpTransport;

  constructor(options: RecvaultClientOptions) {
    const base = new URL(String(options.baseUrl));
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`baseUrl must be http(s), got ${base.protocol}`);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    const token = checkToken(options.token);
    if (options.timezone !== undefined) checkTimeZoneName(options.timezone, 'timezone');
    const policy =
      options.retry === false ? new RetryPolicy({ maxRetries: 0 }) : options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry ?? {});
    const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
    this.baseUrl = base;
    this.http = new HttpTransport({ baseUrl: base, token, fetch: fetchImpl, policy, timeoutMs: options.timeoutMs ?? 30_000, onRetry: options.onRetry });
    this.recordings = new RecordingsApi(this.http, options.timezone);
  }

  /**
   * The sites the caller may see; exactly one has `default: true`.
   *
   * @example
   * const preferred = (await client.sites()).find((s) => s.default)?.siteUrl;
   */
  async sites(options: CallOptions = {}): Promise<SiteListEntry[]> {
    const response = await this.http.send({ method: 'GET', url: 'v1/meetingPreferences/sites', signal: options.signal });
    return parseJson<SiteList>(response).sites;
  }

  /**
   * Who the token belongs to (person, org, role, scopes, recycle-bin access) and the server's
   * clock. A recvault extension (`GET /v1/recvault/me`): Webex answers it with a 404.
   *
   * @example
   * const me = await client.me();
   * if (me.recycleBin !== 'none') showDeleteButton();
   */
  async me(options: CallOptions = {}): Promise<CallerProfile> {
    const response = await this.http.send({ method: 'GET', url: 'v1/recvault/me', signal: options.signal });
    return parseJson<CallerProfile>(response);
  }
}
