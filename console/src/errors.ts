import { RecvaultError } from '../../src/client/errors.js';

/** What the console shows for a failure: the API's own message and the tracking id to quote. */
export interface Problem {
  readonly message: string;
  readonly trackingId: string | null;
  readonly status: number | null;
}

export function problemFrom(error: unknown): Problem {
  if (error instanceof RecvaultError) {
    // A connection error (status 0) already names the server it could not reach.
    return { message: error.message, trackingId: error.trackingId, status: error.status };
  }
  return { message: error instanceof Error ? error.message : String(error), trackingId: null, status: null };
}

/** An abort from our own AbortController (a newer request replaced this one, or Cancel). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
