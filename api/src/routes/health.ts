import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../env';
import { json } from '../lib/openapi';
import { validationHook } from '../lib/validation';
import { Health } from '../schemas';

export const health = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['health'],
    summary: 'Liveness, with a database round trip',
    responses: { 200: json(Health, 'The API and its database answer') },
  }),
  async (c) => {
    await c.get('db').run(sql`select 1`);
    return c.json({ ok: true, version: c.get('version') }, 200);
  },
);
