import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { forbidden } from '../lib/errors';
import { bearerAuth, errorResponses, json } from '../lib/openapi';
import { peopleByNamePrefix } from '../lib/people';
import { validationHook } from '../lib/validation';
import { UserList, UserSearchQuery } from '../schemas';

export const usersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['people'],
    summary:
      "People of your site whose name starts with `q` (case and accents ignored), alphabetically, yourself left out. " +
      "Signed-in only, and only within the session's own site: it lists the names of a site's people.",
    security: bearerAuth,
    middleware: [requireSession] as const,
    request: { query: UserSearchQuery },
    responses: { 200: json(UserList, 'The people found'), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const user = signedIn(c);
    const query = c.req.valid('query');
    if (query.site !== undefined && query.site !== user.siteId) {
      const message = 'you may only search the people of your own site';
      throw forbidden(message, [{ field: 'site', rule: 'own_site', message }]);
    }
    return c.json({ items: await peopleByNamePrefix(c.get('db'), user.siteId, query.q, query.limit, user.id) }, 200);
  },
);
