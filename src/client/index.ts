/**
 * recvault SDK (`recvault/client`): a typed client for the Webex-compatible recordings API,
 * sharing the server's wire types.
 *
 * @example
 * import { RecvaultClient, RateLimitError } from 'recvault/client';
 * const client = new RecvaultClient({ baseUrl: 'http://127.0.0.1:8080', token, timezone: 'Europe/Paris' });
 * for await (const recording of client.recordings.list({ from: '2024-01-01', to: '2025-01-01' })) {
 *   console.log(recording.id, recording.topic);
 * }
 */
export { RecvaultClient, type RecvaultClientOptions } from './recvault-client.js';
export { RecordingsApi } from './recordings-api.js';
export { RecordingIterator } from './recording-iterator.js';
export { RetryPolicy, type AttemptFailure, type RetryOptions } from './retry-policy.js';
export { abortableSleep, type Sleep } from './sleep.js';
export { parseNextLink } from './link-header.js';
export { parseRetryAfter } from './retry-after.js';
export { splitWindow } from './windows.js';
export type { FetchLike, RetryEvent } from './http-transport.js';
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  errorFromResponse,
  NotFoundError,
  PermissionError,
  RateLimitError,
  RecvaultError,
  ServerError,
  type RecvaultErrorInit,
  type ResponseHeaders,
} from './errors.js';
export type {
  BatchResult,
  CallerProfile,
  CallOptions,
  InstantInput,
  LifecycleOptions,
  ListCheckpoint,
  ListOptions,
  ListRecordingsParams,
  RecordingFormat,
  RecordingItem,
  RecordingList,
  RecordingPage,
  RecordingStatus,
  ServiceType,
  Site,
  SiteList,
  SiteListEntry,
  WebexErrorBody,
} from './types.js';
