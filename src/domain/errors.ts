/**
 * The closed catalogue of error codes. Domain code throws `ApiError`s; exactly one HTTP error
 * handler maps them to a status and the Webex error body.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra response headers, e.g. `Allow` on a 405 or `Retry-After` on a 429. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.headers = headers;
  }
}

export const badRequest = (message: string): ApiError => new ApiError('BAD_REQUEST', message);
export const forbidden = (message: string): ApiError => new ApiError('FORBIDDEN', message);
export const notFound = (message: string): ApiError => new ApiError('NOT_FOUND', message);
export const conflict = (message: string): ApiError => new ApiError('CONFLICT', message);

/** Quotes a user-supplied value for an error message, bounded so a huge input cannot bloat the response. */
export function quoteValue(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return JSON.stringify(shown);
}
