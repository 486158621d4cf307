import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { MAX_BATCH_IDS } from '../../domain/constants.js';
import { assertMayAdminDelete, assertMayChangeRecordings, runAdminDelete, runBulkAction, type BulkBody } from '../../domain/recycle-bin.js';
import type { RouteContext } from '../app.js';
import { refuseContentEncoding } from '../content-encoding.js';
import { errorResponses } from '../schemas.js';
import { checkCallerFirst } from '../caller-check.js';

const RecordingIds = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
  maxItems: MAX_BATCH_IDS,
  description: `1 to ${MAX_BATCH_IDS} recording ids, all on the site given by siteUrl.`,
});
const SiteUrl = Type.String({ minLength: 1, maxLength: 512, description: 'Site of the recordings; default: the caller’s preferred site.' });

const BODIES = {
  softDelete: Type.Object({ recordingIds: RecordingIds, siteUrl: Type.Optional(SiteUrl) }, { title: 'BulkSoftDeleteRecordingObject' }),
  restore: Type.Object(
    {
      restoreAll: Type.Optional(Type.Boolean({ description: 'Restore everything in the recycle bin; recordingIds must then be empty.' })),
      recordingIds: Type.Optional(RecordingIds),
      siteUrl: Type.Optional(SiteUrl),
    },
    { title: 'BulkRestoreRecordingObject' },
  ),
  purge: Type.Object(
    {
      purgeAll: Type.Optional(Type.Boolean({ description: 'Purge everything in the recycle bin; recordingIds must then be empty.' })),
      recordingIds: Type.Optional(RecordingIds),
      siteUrl: Type.Optional(SiteUrl),
    },
    { title: 'BulkPurgeRecordingObject' },
  ),
} as const;

const SUMMARIES = {
  softDelete: 'Move recordings to the recycle bin',
  restore: 'Restore recordings from the recycle bin',
  purge: 'Purge recordings from the recycle bin',
} as const;

const HostEmailQuery = Type.Object({
  hostEmail: Type.Optional(Type.String({ maxLength: 320, description: 'Admins only: act on this host’s recordings.' })),
});

/** Write bodies are small; a larger one is a 413 long before it is parsed. */
const LIFECYCLE_BODY_LIMIT = 64 * 1024;

export function registerLifecycleRoutes(app: FastifyInstance, ctx: RouteContext): void {
  for (const action of ['softDelete', 'restore', 'purge'] as const) {
    app.post(
      `/v1/recordings/${action}`,
      {
        bodyLimit: LIFECYCLE_BODY_LIMIT,
        schema: {
          summary: SUMMARIES[action],
          tags: ['Recycle bin'],
          body: BODIES[action],
          querystring: HostEmailQuery,
          response: { 204: Type.Null({ description: 'Done; a batch is all or nothing.' }), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503) },
        },
        // Authentication and the scope check come before the body is even parsed: an anonymous
        // caller gets a 401 and a token without a write scope a 403, never a 400 or 415 that
        // would tell them about the body rules.
        preParsing: [checkCallerFirst(async (request) => assertMayChangeRecordings(await ctx.principal(request))), refuseContentEncoding],
      },
      async (request, reply) => {
        const principal = await ctx.principal(request);
        const query = request.query as { hostEmail?: string };
        await runBulkAction(principal, action, request.body as BulkBody, query.hostEmail, ctx, String(request.id));
        return reply.code(204).send();
      },
    );
  }
  // DELETE carries no body, but many clients send `Content-Type: application/json` (even with an
  // empty body) on every call: in this scope any body is accepted and ignored.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LIFECYCLE_BODY_LIMIT }, (_request, _body, done) => done(null, undefined));
    scope.delete(
      '/v1/admin/recordings/:recordingId',
      {
        schema: {
          summary: 'Delete a recording as an admin',
          description: 'The recording disappears for admins for good; compliance officers still see it, as purged.',
          tags: ['Recycle bin'],
          params: Type.Object({ recordingId: Type.String({ minLength: 1, maxLength: 256 }) }),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 429, 503) },
        },
        preParsing: checkCallerFirst(async (request) => assertMayAdminDelete(await ctx.principal(request))),
      },
      async (request, reply) => {
        const principal = await ctx.principal(request);
        const { recordingId } = request.params as { recordingId: string };
        await runAdminDelete(principal, recordingId, ctx, String(request.id));
        return reply.code(204).send();
      },
    );
  });
}
