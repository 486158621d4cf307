import { ConnectionError, errorFromResponse, RecvaultError, type ResponseHeaders } from './errors.js';
import { randomId } from './random-id.js';
import { parseRetryAfter } from './retry-after.js';
import type { RetryPolicy } from './retry-policy.js';

/** The part of `fetch` the SDK uses; the global `fetch` fits, and so does a test wrapper. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  readonly baseUrl: URL;
  readonly token: string;
  readonly fetch: FetchLike;
  readonly policy: RetryPolicy;
  /** Per-attempt timeout in ms; a timed-out attempt counts as a connection error. */
  readonly timeoutMs: number;
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** Reported before each retry's wait. */
export interface RetryEvent {
  readonly retry: number;
  readonly delayMs: number;
  readonly error: RecvaultError;
  readonly url: string;
}

export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** A path under the base URL (`v1/…`) or an absolute URL already rebased onto it. */
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly trackingId: string | null;
  readonly text: string;
  readonly url: string;
}

/**
 * Sends one logical request with the retry policy around it. Each attempt carries its own
 * `TrackingID` (`<client id>_<request>.<attempt>`); recvault keeps a well-formed client tracking
 * id, so client and server logs line up.
 */
export class HttpTransport {
  private readonly clientId = `recvault-sdk_${randomId()}`;
  private sequence = 0;

  constructor(private readonly config: TransportConfig) {}

  /** Resolves a path against the base URL, keeping any path prefix the base URL has. */
  resolve(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.config.baseUrl);
  }

  /**
   * Rebases a `Link` URL onto the base URL: its path from `/v1/` on and its query are kept, its
   * origin is replaced. The bearer token therefore never goes to another host, and a server whose
   * public URL differs from the address the client uses (behind a proxy) still pages correctly.
   */
  rebase(link: string): URL {
    const parsed = new URL(link, this.config.baseUrl);
    const at = parsed.pathname.indexOf('/v1/');
    const path = at >= 0 ? parsed.pathname.slice(at + 1) : parsed.pathname;
    const url = this.resolve(path);
    url.search = parsed.search;
    return url;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const { policy } = this.config;
    const url = typeof request.url === 'string' ? this.resolve(request.url).href : request.url.href;
    const requestId = `${this.clientId}_${++this.sequence}`;
    // fetch would refuse these only at the first attempt, with an error that looks like a network failure.
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError(`the ${name} header may hold printable ASCII only`);
    }
    for (let retry = 0; ; retry++) {
      request.signal?.throwIfAborted();
      let error: RecvaultError;
      let delay: number | null;
      try {
        const response = await this.attempt(request, url, `${requestId}.${retry}`);
        if (response.status < 400) return response;
        error = errorFromResponse(response.status, response.headers, response.text, policy.now());
        const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], policy.now());
        delay = policy.delayBeforeRetry(retry, { kind: 'response', status: response.status, retryAfterSeconds });
      } catch (thrown) {
        if (request.signal?.aborted === true) throw request.signal.reason;
        if (!(thrown instanceof ConnectionError)) throw thrown;
        error = thrown;
        delay = policy.delayBeforeRetry(retry, { kind: 'connection' });
      }
      if (delay === null) throw error;
      this.config.onRetry?.({ retry: retry + 1, delayMs: delay, error, url });
      await policy.sleep(delay, request.signal);
    }
  }

  private async attempt(request: TransportRequest, url: string, trackingId: string): Promise<TransportResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.token}`,
      accept: 'application/json',
      trackingid: trackingId,
      ...request.headers,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    try {
      const response = await this.config.fetch(url, { method: request.method, headers, body, signal });
      const text = await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return { status: response.status, headers: responseHeaders, trackingId: responseHeaders['trackingid'] ?? null, text, url };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      const reason = timeout.aborted ? `timed out after ${this.config.timeoutMs} ms` : describeCause(error);
      throw new ConnectionError(`Cannot reach ${new URL(url).origin}: ${reason}`, error);
    }
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause !== undefined && cause !== null) {
    if (typeof cause.code === 'string') return cause.code;
    if (typeof cause.message === 'string') return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
