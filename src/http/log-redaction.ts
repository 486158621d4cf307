import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Query parameters whose values are secrets when a script puts a token in the URL. */
const SECRET_PARAMS = /^(access_token|token|auth|authorization|api_key|apikey|key|secret|password|bearer)$/i;

/** The URL with secret-looking query values replaced by `[REDACTED]`; other parameters stay, for debugging. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed name is logged as sent.
      }
      return eq !== -1 && SECRET_PARAMS.test(name) ? `${rawName}=[REDACTED]` : part;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** Fastify's request serializer (method, url, host, remote address) with the URL redacted. */
function safeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Logger options that never write a token: the `Authorization` header is redacted (were it ever
 * serialized) and token-like query parameters are masked in the logged URL.
 */
export function withSafeLogging(options: LoggerOptions | false): LoggerOptions | false {
  if (options === false) return false;
  const redact = Array.isArray(options.redact) ? options.redact : options.redact?.paths ?? [];
  return {
    ...options,
    redact: [...new Set([...redact, 'req.headers.authorization', 'headers.authorization'])],
    serializers: { req: safeRequest as never, ...options.serializers },
  };
}
