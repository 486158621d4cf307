import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { callerProfile } from '../../domain/caller-profile.js';
import type { RouteContext } from '../app.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';
import { CallerProfileSchema, errorResponses } from '../schemas.js';

/** Not a Webex endpoint: Webex clients learn this from their OAuth grant, recvault's console from here. */
export const ME_PATH = '/v1/recvault/me';

export function registerMeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    ME_PATH,
    {
      schema: {
        summary: 'Who am I (recvault extension)',
        description:
          'The person and organization the bearer token belongs to, its scopes, its role on the admin list and which recycle-bin actions it may take. Any valid token may call it; it reveals nothing beyond the caller.',
        tags: ['recvault'],
        response: { 200: Type.Ref(CallerProfileSchema), ...errorResponses(401, 429, 503) },
      },
    },
    async (request, reply) => {
      const principal = await ctx.principal(request);
      const org = await ctx.store.getOrg(principal.person.orgId);
      return reply.type(JSON_CONTENT_TYPE).send(callerProfile(principal, org, ctx.now()));
    },
  );
}
