import type { WebexErrorBody } from '../domain/types.js';
import { parseRetryAfter } from './retry-after.js';

/** Response headers, names lower-cased. */
export type ResponseHeaders = Readonly<Record<string, string>>;

export interface RecvaultErrorInit {
  readonly message: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly trackingId?: string | null;
  readonly headers?: ResponseHeaders;
  readonly body?: WebexErrorBody | string | null;
  readonly cause?: unknown;
}

/**
 * Base of every error the SDK throws for a failed call. Carries what a support request needs:
 * the HTTP status, the server's tracking id, the response headers and the raw body.
 *
 * @example
 * try {
 *   await client.recordings.get('nope');
 * } catch (error) {
 *   if (error instanceof RecvaultError) console.error(error.status, error.trackingId, error.message);
 * }
 */
export class RecvaultError extends Error {
  readonly status: number;
  readonly trackingId: string | null;
  readonly headers: ResponseHeaders;
  /** The Webex error body when the server sent one, else the raw text (or `null`). */
  readonly body: WebexErrorBody | string | null;

  constructor(init: RecvaultErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.trackingId = init.trackingId ?? null;
    this.headers = init.headers ?? {};
    this.body = init.body ?? null;
  }
}

/** 400: a parameter or body the server rejected; the message names it. */
export class BadRequestError extends RecvaultError {}
/** 401: missing, unknown, expired or revoked token. */
export class AuthenticationError extends RecvaultError {}
/** 403: the token lacks a scope, or the site is not one the caller may see. */
export class PermissionError extends RecvaultError {}
/** 404: unknown path or resource (foreign ids look unknown too). */
export class NotFoundError extends RecvaultError {}
/** 409: an impossible recycle-bin transition (e.g. purging an available recording). */
export class ConflictError extends RecvaultError {}
/** 5xx after the retry policy gave up. */
export class ServerError extends RecvaultError {}

/** 429 after the retry policy gave up; `retryAfter` is the server's requested wait in seconds. */
export class RateLimitError extends RecvaultError {
  readonly retryAfter: number | null;

  constructor(init: RecvaultErrorInit & { readonly retryAfter: number | null }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** No HTTP response: DNS, refused or reset connection, TLS failure or a timeout. `status` is 0. */
export class ConnectionError extends RecvaultError {
  constructor(message: string, cause?: unknown) {
    super({ message, status: 0, cause });
  }
}

type ErrorClass = new (init: RecvaultErrorInit) => RecvaultError;

const CLASS_BY_STATUS: Readonly<Record<number, ErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionError,
  404: NotFoundError,
  409: ConflictError,
};

function isWebexErrorBody(value: unknown): value is WebexErrorBody {
  const v = value as Partial<WebexErrorBody> | null;
  return typeof v === 'object' && v !== null && typeof v.message === 'string';
}

/**
 * The one place that turns a failed HTTP response into an error class.
 *
 * @example
 * const error = errorFromResponse(429, { 'retry-after': '1' }, '{"message":"slow down","errors":[],"trackingId":"T1"}');
 * error instanceof RateLimitError; // true, error.retryAfter === 1
 */
export function errorFromResponse(status: number, headers: ResponseHeaders, text: string, now: number = Date.now()): RecvaultError {
  let body: WebexErrorBody | string | null = text === '' ? null : text;
  try {
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (isWebexErrorBody(parsed)) body = parsed;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text.
  }
  const trackingId = headers['trackingid'] ?? (typeof body === 'object' && body !== null ? body.trackingId : undefined) ?? null;
  const message = typeof body === 'object' && body !== null && body.message !== '' ? body.message : `HTTP ${status}`;
  const init: RecvaultErrorInit = { message, status, trackingId, headers, body };
  if (status === 429) return new RateLimitError({ ...init, retryAfter: parseRetryAfter(headers['retry-after'], now) });
  const Class = CLASS_BY_STATUS[status] ?? (status >= 500 ? ServerError : RecvaultError);
  return new Class(init);
}
