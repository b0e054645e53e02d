import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { errorResponses, json } from '../lib/openapi';
import { publicSite, siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { PublicSite, SiteId } from '../schemas';

export const sitesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'get',
      path: '/site',
      tags: ['sites'],
      summary: 'The site named by `site`, or the server default: how a widget with no `site` attribute learns its site id',
      request: { query: z.object({ site: SiteId.optional() }) },
      responses: { 200: json(PublicSite, 'The site'), ...errorResponses(400, 404) },
    }),
    async (c) => c.json(publicSite(await siteOrNotFound(c.get('db'), c.req.valid('query').site ?? c.get('defaultSite'))), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/sites/{id}',
      tags: ['sites'],
      summary: 'What a widget may know of a site: whether guests and anonymous questions are allowed',
      request: { params: z.object({ id: SiteId.openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: json(PublicSite, 'The site'), ...errorResponses(400, 404) },
    }),
    async (c) => c.json(publicSite(await siteOrNotFound(c.get('db'), c.req.valid('param').id)), 200),
  );
