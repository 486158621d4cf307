import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../domain/constants.js';
import { defaultSite, requireScope, visibleSites } from '../../domain/principal.js';
import type { RouteContext } from '../app.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';
import { errorResponses, SiteListSchema } from '../schemas.js';

export function registerSiteRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/v1/meetingPreferences/sites',
    {
      schema: {
        summary: 'Get Site List',
        description: 'The sites the caller may see, with exactly one marked as the default (preferred) site.',
        tags: ['Sites'],
        response: { 200: Type.Ref(SiteListSchema), ...errorResponses(401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const principal = await ctx.principal(request);
      requireScope(principal, [SCOPES.preferencesRead, SCOPES.adminPreferencesRead, SCOPES.adminRead, SCOPES.complianceRead], 'read the site list');
      const preferred = defaultSite(principal);
      const sites = visibleSites(principal).map((siteUrl) => ({ siteUrl, default: siteUrl === preferred }));
      return reply.type(JSON_CONTENT_TYPE).send({ sites });
    },
  );
}
