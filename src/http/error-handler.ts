import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode } from '../domain/errors.js';
import type { WebexErrorBody } from '../domain/types.js';
import { StoreUnavailableError } from '../store/store.js';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Fastify's own error codes that are the client's fault, mapped onto the catalogue. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'BAD_REQUEST',
};

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  const body: WebexErrorBody = {
    message: error.message,
    errors: [{ description: error.message }],
    trackingId: String(reply.request.id),
  };
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).type(JSON_CONTENT_TYPE).send(body);
}

/** Converts anything thrown into the catalogue; unknown failures become a 500 without internals. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) return new ApiError('UNAVAILABLE', error.message, { 'Retry-After': '1' });
  const fastifyError = error as Partial<FastifyError>;
  const code = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (code !== undefined) return new ApiError(code, describeFastifyError(fastifyError, code));
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Parser-level rejections (bad JSON, bad encodings) carry a 4xx and a safe message.
    return new ApiError('BAD_REQUEST', 'The request could not be read.');
  }
  return new ApiError('INTERNAL', 'Something went wrong on the server. Quote the tracking id when reporting it.');
}

function describeFastifyError(error: Partial<FastifyError>, code: ErrorCode): string {
  switch (code) {
    case 'PAYLOAD_TOO_LARGE':
      return 'The request body is too large.';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'The request body must be JSON (Content-Type: application/json).';
    case 'BAD_REQUEST':
      if (error.validation !== undefined) {
        const first = error.validation[0];
        const part = error.validationContext ?? 'body';
        const where = first?.instancePath ? `${part}${first.instancePath.replace(/\//g, '.')}` : part;
        return `Invalid request: ${where} ${first?.message ?? 'is invalid'}.`;
      }
      return 'The request body is not valid JSON.';
    default:
      return 'The request could not be processed.';
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.status === 503) {
      // Unavailable is a state, not a bug (draining, a store outage): one warning line per request
      // without a stack, or a balancer polling /readyz during a drain fills the log with traces.
      const cause = error instanceof ApiError ? undefined : (error as Error).message;
      request.log.warn({ status: 503, reason: apiError.message, ...(cause === undefined ? {} : { cause }) }, 'request refused: unavailable');
    } else if (apiError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ status: apiError.status, reason: apiError.message }, 'request rejected');
    }
    return sendError(reply, apiError);
  });
}
