import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../domain/constants.js';
import { requireScope } from '../../domain/principal.js';
import { auditContext } from '../../domain/recycle-bin.js';
import { badRequest } from '../../domain/errors.js';
import { parseIngestBody } from '../../ingest/ingest-body.js';
import { jsonNestsDeeperThan, MAX_INGEST_JSON_DEPTH } from '../../ingest/json-depth.js';
import type { RouteContext } from '../app.js';
import { refuseContentEncoding } from '../content-encoding.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';
import { errorResponses } from '../schemas.js';
import { checkCallerFirst } from '../caller-check.js';
import type { IngestGate } from '../ingest-gate.js';

export const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

const IngestResult = Type.Object(
  {
    created: Type.Integer({ description: 'Recordings that did not exist before.' }),
    updated: Type.Integer({ description: 'Existing recordings whose fields changed.' }),
    unchanged: Type.Integer({ description: 'Records identical to what is stored (idempotent re-sends).' }),
  },
  { title: 'IngestResult' },
);

/** recvault's own endpoint for recording systems (not a Webex API): idempotent upsert by id. */
export async function registerIngestRoutes(app: FastifyInstance, ctx: RouteContext, gate: IngestGate): Promise<void> {
  await app.register(async (scope) => {
    // JSON bodies are measured before Fastify's own parser (and its prototype-poisoning checks) runs.
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (request, body, done) => {
      const text = body as string;
      if (jsonNestsDeeperThan(text, MAX_INGEST_JSON_DEPTH)) {
        done(badRequest(`The body nests more than ${MAX_INGEST_JSON_DEPTH} arrays or objects.`), undefined);
        return;
      }
      parseJson(request, text, done);
    });
    // A leading byte-order mark is dropped, as `recvault import` does for files.
    scope.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => {
      const text = body as string;
      done(null, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    scope.post(
      '/v1/ingest/recordings',
      {
        bodyLimit: INGEST_BODY_LIMIT,
        schema: {
          summary: 'Ingest recordings (recvault extension)',
          description:
            'For recording systems: a JSON array (application/json) or NDJSON (application/x-ndjson) of recordings in the import format, at most 10,000 per request. Idempotent by id; all or nothing.',
          tags: ['Ingest'],
          response: { 200: IngestResult, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
        },
        // The scope before the body is parsed: a token without it gets a 403, not a 400 or 415.
        preParsing: [
          checkCallerFirst(async (request) => requireScope(await ctx.principal(request), [SCOPES.ingest], 'ingest recordings')),
          refuseContentEncoding,
          gate.hook,
        ],
      },
      async (request, reply) => {
        const principal = await ctx.principal(request);
        const records = parseIngestBody(request.body, principal);
        const counts = await ctx.store.ingestRecordings(records, auditContext(principal, ctx.now(), String(request.id)));
        return reply.type(JSON_CONTENT_TYPE).send(counts);
      },
    );
  });
}
