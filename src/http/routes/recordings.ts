import type { FastifyInstance } from 'fastify';
import { listRecordings } from '../../domain/list-recordings.js';
import type { RawQuery } from '../../domain/query-params.js';
import type { RouteContext } from '../app.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';
import { errorResponses, ListRecordingsQuery, RecordingListSchema, TimezoneHeader } from '../schemas.js';
import { Type } from '@sinclair/typebox';

/** The query is validated by the domain parser (see domain/list-query.ts), whose rules — a repeated
 * parameter is a 400, an empty value is absent, dates are read in the request zone — go beyond
 * JSON Schema; the schema documents the same constants. */
const domainValidated = () => (value: unknown) => ({ value });

export function registerRecordingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/v1/admin/recordings',
    {
      schema: {
        summary: 'List recordings for an admin or compliance officer',
        description:
          'Recordings of one site (or of one meeting at any level), newest first, in pages linked by `Link: <url>; rel="next"`.',
        tags: ['Recordings'],
        querystring: ListRecordingsQuery,
        headers: TimezoneHeader,
        response: { 200: Type.Ref(RecordingListSchema), ...errorResponses(400, 401, 403, 429, 503) },
      },
      validatorCompiler: domainValidated,
    },
    async (request, reply) => {
      const principal = await ctx.principal(request);
      const timezone = request.headers.timezone;
      const result = await listRecordings(
        principal,
        request.query as RawQuery,
        typeof timezone === 'string' ? timezone : undefined,
        { store: ctx.store, cursors: ctx.cursors, now: ctx.now },
      );
      if (result.nextQuery !== null) {
        reply.header('Link', `<${ctx.baseUrl(request)}/v1/admin/recordings?${result.nextQuery}>; rel="next"`);
      }
      // Bytes with a known length, spliced from per-item JSON (see domain/item-json.ts), so the
      // response schema's serializer is not run again over items built to that schema.
      return reply.type(JSON_CONTENT_TYPE).send(result.body);
    },
  );
}
