import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { reports } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { ApiError, notFound } from '../lib/errors';
import { newId, nowIso } from '../lib/ids';
import { canSee, contentOf } from '../lib/moderation';
import { bearerAuth, errorResponses, json, jsonBody } from '../lib/openapi';
import { validationHook } from '../lib/validation';
import { writeTransaction } from '../lib/write-lock';
import { NewReport, Report } from '../schemas';

export const reportsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['moderation'],
    summary: "Report a question, answer, tip or kudos of your site to its moderators; one open report per person and item",
    security: bearerAuth,
    middleware: [requireSession] as const,
    request: { body: jsonBody(NewReport) },
    responses: { 201: json(Report, 'The report filed'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429) },
  }),
  async (c) => {
    const user = signedIn(c);
    const input = c.req.valid('json');
    const report = await writeTransaction(c.var, async (tx) => {
      const content = await contentOf(tx, user.siteId, input.type, input.id);
      // What the reporter cannot see does not exist for them.
      if (!canSee(content, content.authorId, user)) throw notFound(input.type);
      const [row] = await tx
        .insert(reports)
        .values({ id: newId(), siteId: user.siteId, itemType: input.type, itemId: input.id, reporterId: user.id, reason: input.reason, createdAt: nowIso() })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        const message = 'you have already reported this; a moderator will look at it';
        throw new ApiError(409, 'conflict', message, [{ field: 'id', rule: 'already_reported', message }]);
      }
      return row;
    });
    return c.json({ id: report.id, type: report.itemType, itemId: report.itemId, reason: report.reason, status: report.status, createdAt: report.createdAt }, 201);
  },
);
