import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { assertMayReadDetails, getRecordingDetails } from '../../domain/recording-details.js';
import type { RouteContext } from '../app.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';
import { errorResponses, RecordingItemSchema, TimezoneHeader } from '../schemas.js';
import { checkCallerFirst } from '../caller-check.js';

export function registerRecordingDetailsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/v1/recordings/:recordingId',
    {
      schema: {
        summary: 'Get recording details',
        description: 'One recording in the same shape as a list item, with times in the request time zone.',
        tags: ['Recordings'],
        params: Type.Object({ recordingId: Type.String({ minLength: 1, maxLength: 256 }) }),
        headers: TimezoneHeader,
        response: { 200: Type.Ref(RecordingItemSchema), ...errorResponses(400, 401, 403, 404, 429, 503) },
      },
      // The scope before the path and the time zone: a token that may not read details gets a 403.
      preParsing: checkCallerFirst(async (request) => assertMayReadDetails(await ctx.principal(request))),
    },
    async (request, reply) => {
      const principal = await ctx.principal(request);
      const { recordingId } = request.params as { recordingId: string };
      const timezone = request.headers.timezone;
      const item = await getRecordingDetails(principal, recordingId, typeof timezone === 'string' ? timezone : undefined, ctx.store);
      // Written as the list writes its items (the renderer's field order), not by the response
      // schema's serializer, which orders fields as the schema lists them: one shape, one order.
      return reply.type(JSON_CONTENT_TYPE).send(JSON.stringify(item));
    },
  );
}
