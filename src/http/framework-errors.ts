import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../domain/errors.js';
import { sendError } from './error-handler.js';
import { decodedPath } from './request-path.js';
import { applySecurityHeaders } from './security-headers.js';

/**
 * Where requests refused outside the hook chain are counted: no `onResponse` hook sees them, so
 * without this they would be missing from `/metrics`.
 */
export interface RejectionObserver {
  /** A request the router refused: it has a method; its time is from the refusal to the end of the answer (Fastify set no start time). */
  routed(method: string, status: number, seconds: number): void;
  /** Bytes Node's HTTP parser refused before they were a request (no method, no route). */
  unparsed(status: number): void;
}

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any hook runs — a path
 * with broken percent-encoding (`/v1/recordings/%E0%A4%A`, FST_ERR_BAD_URL) or a path parameter
 * longer than `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH; recvault's app sets that limit to
 * Node's request-line limit, so only a bare Fastify with a lower one meets it). Without it
 * Fastify answers in its own shape (`{error, code, message, statusCode}`) and without a TrackingID.
 */
export function frameworkErrorHandler(observer?: RejectionObserver): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    reply.header('TrackingID', request.id);
    applySecurityHeaders(reply, decodedPath(request.url));
    // Whatever the path looked like, an answer about a broken URL is never worth caching.
    reply.header('Cache-Control', 'no-store');
    const apiError =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiError('URI_TOO_LONG', 'A path segment of the URL is too long.')
        : error.code === 'FST_ERR_BAD_URL'
          ? new ApiError('BAD_REQUEST', 'The URL path is not validly percent-encoded.')
          : new ApiError('BAD_REQUEST', 'The request could not be routed.');
    request.log.info({ method: request.method, status: apiError.status, reason: apiError.message }, 'request rejected');
    if (observer !== undefined) {
      const started = performance.now();
      reply.raw.once('finish', () => observer.routed(request.method, apiError.status, (performance.now() - started) / 1000));
    }
    void sendError(reply, apiError);
  };
}

/** Reason phrases for the statuses written by hand below. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
};

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser rejects before Fastify sees a
 * request (request line plus headers over `--max-http-header-size`, 16 KiB by default; malformed
 * HTTP; header timeouts). Answers in the Webex error shape with a TrackingID header instead of
 * Fastify's own body: a request line that alone overflows the limit is a 414 (URL too long),
 * other header overflows a 431, anything else a 400 (408 for a timeout). Then closes the socket.
 */
export function clientErrorHandler(
  observer?: RejectionObserver,
): (this: FastifyInstance | undefined, error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => void {
  return function handleClientError(error, socket) {
    answerClientError(this, error, socket, observer);
  };
}

function answerClientError(
  app: FastifyInstance | undefined,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
  observer: RejectionObserver | undefined,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let message = 'The request is not valid HTTP.';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'The request took too long to arrive.';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
    const lineEnd = raw === undefined ? -1 : raw.indexOf('\r\n');
    // No end of the request line inside what was read: the URL itself is the oversized part.
    if (raw !== undefined && (lineEnd === -1 || lineEnd > 8 * 1024)) {
      status = 414;
      message = 'The URL is too long.';
    } else {
      status = 431;
      message = 'The request headers are too large.';
    }
  }
  const trackingId = `RECVAULT_${randomUUID()}`;
  // No request object exists yet, so no request log line either: this one carries the tracking id the client got.
  app?.log.info({ trackingId, status, reason: message, code: error.code, remoteAddress: socket.remoteAddress }, 'request rejected before parsing');
  observer?.unparsed(status);
  const body = JSON.stringify({ message, errors: [{ description: message }], trackingId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json;charset=UTF-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `TrackingID: ${trackingId}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n" +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
