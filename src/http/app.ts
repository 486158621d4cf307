import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LoggerOptions } from 'pino';
import { CursorCodec } from '../domain/cursor.js';
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Store } from '../store/store.js';
import { authenticate } from './authenticate.js';
import { installConsole } from './console.js';
import { installErrorHandling, sendError } from './error-handler.js';
import { clientErrorHandler, frameworkErrorHandler, type RejectionObserver } from './framework-errors.js';
import { withSafeLogging } from './log-redaction.js';
import { installSecurityHeaders } from './security-headers.js';
import { installRateLimit } from './rate-limit.js';
import type { RateLimitConfig } from './rate-limit-config.js';
import { RouteTable } from './method-not-allowed.js';
import { registerRecordingRoutes } from './routes/recordings.js';
import { registerSiteRoutes } from './routes/sites.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerMeRoutes } from './routes/me.js';
import { registerLifecycleRoutes } from './routes/lifecycle.js';
import { registerRecordingDetailsRoutes } from './routes/recording-details.js';
import { registerHealthRoutes } from './routes/health.js';
import { IngestGate } from './ingest-gate.js';
import { describeWire, type OpenApiDocument } from './openapi-wire.js';
import { installMetrics, UNMATCHED_ROUTE, type MetricsConfig } from './metrics-endpoint.js';
import { Metrics } from '../observability/metrics.js';
import { instrumentStore } from '../observability/instrument-store.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { trackingIdFor } from './tracking-id.js';
import { segmentedPath } from './request-path.js';

export interface AppConfig {
  /** Base of absolute URLs in `Link` headers; default: the request's own scheme and host. */
  readonly publicUrl?: string | undefined;
  /** Secret that signs cursors; every instance behind one load balancer must share it. */
  readonly cursorSecret: string;
  readonly bodyLimitBytes?: number;
  /** Time a client has to send a whole request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Per-token request limit; omitted or `false` turns it off (tests), `serve` turns it on. */
  readonly rateLimit?: RateLimitConfig | false;
  /** Prometheus metrics at `/metrics` and store timing; omitted or `false` turns them off (tests), `serve` turns them on. */
  readonly metrics?: MetricsConfig | false;
  readonly logger?: LoggerOptions | false;
  /** Directory of the built web console, served at `/`; omitted: the API only (`/` is a 404). */
  readonly consoleDir?: string | undefined;
}

export interface AppDeps {
  readonly store: Store;
  readonly now: () => number;
  readonly config: AppConfig;
}

/** What route modules need from the app. */
export interface RouteContext {
  readonly store: Store;
  readonly now: () => number;
  readonly cursors: CursorCodec;
  readonly principal: (request: FastifyRequest) => Promise<Principal>;
  readonly baseUrl: (request: FastifyRequest) => string;
}

export type App = FastifyInstance;

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Node's default `--max-http-header-size`, which bounds the request line and so every path segment. */
const MAX_PATH_PARAM_LENGTH = 16 * 1024;

/** A `Host` header safe to echo into a `Link`: a host name (RFC 3986's unreserved characters), an IPv4 or a bracketed IPv6 address, and a port. */
const SAFE_HOST = /^[A-Za-z0-9.\-_~]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Builds the HTTP app without listening, so tests drive it with `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const ingestGate = new IngestGate();
  const metricsConfig = deps.config.metrics === false ? undefined : deps.config.metrics;
  const metrics = metricsConfig === undefined ? null : new Metrics(deps.store, () => ingestGate.inProgress);
  const rejections: RejectionObserver = {
    routed: (method, status, seconds) => metrics?.observeRequest(method, UNMATCHED_ROUTE, status, seconds),
    unparsed: (status) => metrics?.observeUnparsed(status),
  };
  const app = Fastify({
    logger: deps.config.logger === undefined ? false : withSafeLogging(deps.config.logger),
    genReqId: trackingIdFor,
    logController: new LogController({ requestIdLogLabel: 'trackingId' }),
    requestIdHeader: false,
    bodyLimit: deps.config.bodyLimitBytes ?? 1024 * 1024,
    // Slow-client defence: a request must arrive whole within `requestTimeoutMs` (headers within
    // half of it). Node checks these deadlines on an interval, set here to a fraction of them.
    serverFactory: (handler) => {
      const requestTimeout = deps.config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      return createServer(
        {
          requestTimeout,
          headersTimeout: Math.ceil(requestTimeout / 2),
          connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))),
        },
        handler,
      );
    },
    // No lower than Node's request-line limit (16 KiB by default): an over-long id must reach the
    // token check (anonymous: 401) and then the schema (400), as every other bad input does,
    // rather than be refused by the router first with a 414 the API does not otherwise use.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Errors Fastify and Node raise before routing (a malformed URL, oversized headers) get the
    // TrackingID header and Webex error body too.
    frameworkErrors: frameworkErrorHandler(rejections),
    clientErrorHandler: clientErrorHandler(rejections),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // While draining, requests that still arrive on open connections are served (with
    // `Connection: close`) rather than given Fastify's bare 503, which has no TrackingID and
    // not the Webex error shape; /readyz turns 503 so balancers stop sending work.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Write endpoints take JSON only (ingest adds NDJSON in its own scope): any other media type is a 415.
  app.removeContentTypeParser('text/plain');
  const routes = new RouteTable();
  routes.attach(app);
  installErrorHandling(app);
  installSecurityHeaders(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('TrackingID', request.id);
    done();
  });
  let store = deps.store;
  if (metrics !== null && metricsConfig !== undefined) {
    store = instrumentStore(deps.store, (method) => metrics.storeObserver(method));
    installMetrics(app, metrics, metricsConfig);
  }
  // One authentication per request, even when the rate limiter, a hook and the handler all need the caller.
  const principals = new WeakMap<FastifyRequest, Promise<Principal>>();
  const principalOf = (request: FastifyRequest): Promise<Principal> => {
    let principal = principals.get(request);
    if (principal === undefined) {
      principal = authenticate(request, store, deps.now());
      principals.set(request, principal);
    }
    return principal;
  };
  if (deps.config.rateLimit !== undefined && deps.config.rateLimit !== false) await installRateLimit(app, deps.config.rateLimit, principalOf);
  app.setNotFoundHandler((request, reply) => {
    const path = segmentedPath(request.url);
    const allowed = routes.allowedMethods(path);
    if (allowed !== null) {
      const allow = allowed.join(', ');
      return sendError(reply, new ApiError('METHOD_NOT_ALLOWED', `Method ${request.method} is not allowed here; use ${allow}.`, { Allow: allow }));
    }
    return sendError(reply, new ApiError('NOT_FOUND', `No API resource at ${JSON.stringify(path.slice(0, 200))}.`));
  });

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'recvault API',
        version: '1',
        description:
          'A self-hosted recordings catalog, wire-compatible with the Webex recordings API for admins and compliance officers.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // Only the `openapi` document is generated here (no Swagger 2.0 `swaggerObject`).
    transformObject: (generated) => ('openapiObject' in generated ? describeWire(generated.openapiObject as OpenApiDocument) : generated.swaggerObject) as object,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // The plugin's policy asks browsers to upgrade every request to HTTPS: served over plain
    // HTTP on a non-loopback address (`--host 0.0.0.0`), the page's own scripts then fail and
    // /docs stays blank. TLS, where used, is terminated in front of recvault and needs no upgrade.
    transformStaticCSP: (header: string) => header.replace(/\s*upgrade-insecure-requests;?/g, ''),
  });
  if (deps.config.consoleDir !== undefined) await installConsole(app, deps.config.consoleDir);

  const cursors = new CursorCodec(deps.config.cursorSecret);
  const context: RouteContext = {
    store,
    now: deps.now,
    cursors,
    principal: principalOf,
    baseUrl: (request) => {
      if (deps.config.publicUrl !== undefined) return deps.config.publicUrl.replace(/\/+$/, '');
      const host = request.host;
      return `${request.protocol}://${SAFE_HOST.test(host) ? host : connectionHost(request)}`;
    },
  };
  registerRecordingRoutes(app, context);
  registerSiteRoutes(app, context);
  registerRecordingDetailsRoutes(app, context);
  registerLifecycleRoutes(app, context);
  registerMeRoutes(app, context);
  await registerIngestRoutes(app, context, ingestGate);
  registerDocsRoutes(app);
  registerHealthRoutes(app, store);
  return app;
}

/**
 * The address and port the request's connection reached, for links when its `Host` header
 * cannot be echoed (not a host name, or missing): a link that reaches this same server, where
 * `localhost` without the port reached nothing.
 */
function connectionHost(request: FastifyRequest): string {
  const { localAddress, localPort } = request.socket;
  if (localAddress === undefined || localPort === undefined) return 'localhost';
  return `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
}
