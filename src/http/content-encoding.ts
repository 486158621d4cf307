import type { preParsingHookHandler } from 'fastify';
import { ApiError } from '../domain/errors.js';

/**
 * A `preParsing` hook for the write routes: their bodies are read as sent, so a compressed one
 * (`Content-Encoding: gzip`) would only fail later as bad JSON. It is refused as a 415 with
 * `Accept-Encoding: identity` (RFC 9110, 15.5.16), after authentication and the scope check,
 * which run in the `preParsing` hook before it (see caller-check.ts).
 */
export const refuseContentEncoding: preParsingHookHandler = (request, _reply, payload, done) => {
  const coding = request.headers['content-encoding'];
  if (coding === undefined || coding.trim() === '' || coding.trim().toLowerCase() === 'identity') {
    done(null, payload);
    return;
  }
  done(new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${JSON.stringify(coding.slice(0, 60))} is not supported: send the body uncompressed.`, { 'Accept-Encoding': 'identity' }));
};
