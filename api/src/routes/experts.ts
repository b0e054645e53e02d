import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../env';
import { errorResponses, json } from '../lib/openapi';
import { siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { ExpertList, SiteId, TopicKey } from '../schemas';

export const expertsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['experts'],
    summary: 'The experts of a topic, most accepted answers first',
    request: { query: z.object({ site: SiteId.optional(), topic: TopicKey }) },
    responses: { 200: json(ExpertList, 'The experts'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const site = await siteOrNotFound(c.get('db'), query.site ?? c.get('defaultSite'));
    const rows = await c.get('db').all<{ id: string; name: string; picture: string | null; accepted: number }>(sql`
      select u.id, u.name, u.picture,
        (select count(*) from answers a join questions q on q.accepted_answer_id = a.id
          where a.author_id = u.id and q.site_id = u.site_id and q.topic = ${query.topic}
            and q.pending = 0 and q.hidden_at is null and a.pending = 0 and a.hidden_at is null
            -- An anonymous asker's own accepted answer would show up in their count.
            and not (q.anonymous and q.author_id = u.id)) as accepted
      from users u
      where u.site_id = ${site.id}
        and exists (select 1 from json_each(u.expert_topics) where json_each.value = ${query.topic})
      order by accepted desc, u.name asc
      limit 100`);
    return c.json(
      { items: rows.map((r) => ({ id: r.id, name: r.name, picture: r.picture ?? null, acceptedAnswers: Number(r.accepted) })) },
      200,
    );
  },
);
