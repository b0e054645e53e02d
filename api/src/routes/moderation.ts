import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { answers, auditLog, questions, sites, tips, tipTags, users } from '../db/schema/index';
import type { AppEnv } from '../env';
import { signedIn } from '../lib/auth';
import { nowIso } from '../lib/ids';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { forbidden, invalid, notFound } from '../lib/errors';
import { recordEvent } from '../lib/events';
import {
  audit,
  contentOf,
  eventsOfItem,
  moderates,
  moderationItem,
  recountAnswers,
  refreshEventVisibility,
  resolveReports,
  setModeration,
  type Content,
} from '../lib/moderation';
import { bearerAuth, errorResponses, json, jsonBody } from '../lib/openapi';
import { presentAnswer, presentQuestion, publicUser } from '../lib/questions';
import { revokeSessionsOf } from '../lib/sessions';
import { kudosOfSite } from '../lib/kudos';
import { presentTip } from '../lib/tips';
import { validationHook } from '../lib/validation';
import { writeTransaction, type Tx } from '../lib/write-lock';
import {
  AuditPage,
  AuditQuery,
  BlockResult,
  ContentType,
  ModerationItem,
  ModerationQueue,
  ModerationQueueQuery,
  ModerationRequest,
  OptionalReasonRequest,
} from '../schemas';

/**
 * Moderators and admins of the session's own site only. Roles come from the
 * host's identity token; a `site` other than the session's is refused rather
 * than read as the session's.
 */
const requireModerator = createMiddleware<AppEnv>(async (c, next) => {
  const user = signedIn(c);
  if (!moderates(user, user.siteId)) {
    const message = 'only moderators and admins of this site may do this';
    throw forbidden(message, [{ field: 'roles', rule: 'moderator_only', message }]);
  }
  const site = c.req.query('site');
  if (site !== undefined && site !== user.siteId) {
    const message = 'you may only moderate your own site';
    throw forbidden(message, [{ field: 'site', rule: 'own_site', message }]);
  }
  await next();
});

const ContentParams = z.object({
  type: ContentType.openapi({ param: { name: 'type', in: 'path' } }),
  id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }),
});
const UserParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

/** Logs the event a pending record would have had when it was written, now that a moderator approved it. */
async function announce(tx: Tx, content: Content): Promise<void> {
  const [author] = await tx.select().from(users).where(eq(users.id, content.authorId));
  if (content.type === 'question') {
    const [q] = await tx.select().from(questions).where(eq(questions.id, content.id));
    await recordEvent(tx, q!.siteId, { type: 'question.asked', topic: q!.topic, question: presentQuestion(q!, author!, null, false) });
  } else if (content.type === 'answer') {
    const [row] = await tx.select({ a: answers, q: questions }).from(answers).innerJoin(questions, eq(questions.id, answers.questionId)).where(eq(answers.id, content.id));
    const { a, q } = row!;
    await recordEvent(tx, q.siteId, { type: 'answer.posted', topic: q.topic, questionId: q.id, answer: presentAnswer(a, author!, q, null, false) });
  } else if (content.type === 'tip') {
    const [t] = await tx.select().from(tips).where(eq(tips.id, content.id));
    const tags = await tx.select({ tag: tipTags.tag }).from(tipTags).where(eq(tipTags.tipId, t!.id)).orderBy(tipTags.position);
    await recordEvent(tx, t!.siteId, { type: 'tip.shared', topic: t!.topic, tip: presentTip(t!, tags.map((r) => r.tag), author!, null, false) });
  } else {
    const [site] = await tx.select().from(sites).where(eq(sites.id, content.siteId));
    const given = await kudosOfSite(tx, site!, content.id, null);
    await recordEvent(tx, content.siteId, { type: 'kudos.given', wall: given.wall, kudos: given });
  }
}

/** Logs that a record was hidden, so the pages showing it drop it. */
async function announceHidden(tx: Tx, content: Content): Promise<void> {
  await recordEvent(
    tx,
    content.siteId,
    content.type === 'kudos'
      ? { type: 'kudos.hidden', wall: content.wall!, id: content.id }
      : { type: 'item.hidden', topic: content.topic!, itemType: content.type, id: content.id, questionId: content.type === 'answer' ? content.questionId : null },
  );
}

type ContentAction = 'hide' | 'restore' | 'approve';

const contentActions: Record<ContentAction, { summary: string; requireReason: boolean }> = {
  hide: { summary: 'Hide a record from everyone but moderators; its open reports are resolved', requireReason: true },
  restore: { summary: 'Restore a hidden record (or keep a reported one: its open reports are resolved)', requireReason: false },
  approve: { summary: 'Approve a pending record: it appears for everyone and its live event is sent now', requireReason: false },
};

const contentActionRoute = (action: ContentAction) =>
  createRoute({
    method: 'post',
    path: `/{type}/{id}/${action}`,
    tags: ['moderation'],
    summary: contentActions[action].summary,
    security: bearerAuth,
    middleware: [requireModerator] as const,
    request: { params: ContentParams, body: jsonBody(contentActions[action].requireReason ? ModerationRequest : OptionalReasonRequest) },
    responses: { 200: json(ModerationItem, 'The record as moderators now see it'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
  });

const contentAction = (action: ContentAction) => async (c: import('hono').Context<AppEnv>) => {
  const moderator = signedIn(c);
  const { type, id } = ContentParams.parse(c.req.param());
  const { reason } = (await c.req.json()) as { reason?: string };
  const item = await writeTransaction(c.var, async (tx) => {
    const content = await contentOf(tx, moderator.siteId, type, id);
    const wasPending = content.pending;
    if (action === 'hide') await setModeration(tx, type, id, { hiddenAt: content.hiddenAt ?? nowIso() });
    if (action === 'restore') await setModeration(tx, type, id, { hiddenAt: null });
    if (action === 'approve') await setModeration(tx, type, id, { pending: false });
    if (type === 'answer') await recountAnswers(tx, content.questionId!);
    await refreshEventVisibility(tx, eventsOfItem(type, id));
    // Pages showing the record learn of the change live: it goes, or it arrives as if just written.
    if (action === 'hide' && !content.hiddenAt) await announceHidden(tx, content);
    if ((action === 'approve' && wasPending && !content.hiddenAt) || (action === 'restore' && content.hiddenAt && !content.pending)) await announce(tx, content);
    await resolveReports(tx, type, id, moderator);
    await audit(tx, moderator, action, type, id, reason?.trim());
    return moderationItem(tx, await contentOf(tx, moderator.siteId, type, id));
  });
  return c.json(item, 200);
};

type UserAction = 'block' | 'unblock';

const userActionRoute = (action: UserAction) =>
  createRoute({
    method: 'post',
    path: `/users/{id}/${action}`,
    tags: ['moderation'],
    summary:
      action === 'block'
        ? 'Block a person of your site: every session of theirs ends, and they may read but not write (403 rule blocked)'
        : 'Unblock a person of your site',
    security: bearerAuth,
    middleware: [requireModerator] as const,
    request: { params: UserParams, body: jsonBody(action === 'block' ? ModerationRequest : OptionalReasonRequest) },
    responses: { 200: json(BlockResult, 'The person and whether they are blocked now'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
  });

const userAction = (action: UserAction) => async (c: import('hono').Context<AppEnv>) => {
  const moderator = signedIn(c);
  const { id } = UserParams.parse(c.req.param());
  const { reason } = (await c.req.json()) as { reason?: string };
  const target = await writeTransaction(c.var, async (tx) => {
    const [target] = await tx.select().from(users).where(and(eq(users.id, id), eq(users.siteId, moderator.siteId)));
    if (!target) throw notFound('user');
    if (target.id === moderator.id) {
      const message = 'you may not block or unblock yourself';
      throw forbidden(message, [{ field: 'id', rule: 'not_self', message }]);
    }
    if (target.roles.length > 0 && !moderator.roles.includes('admin')) {
      const message = 'only an admin may block or unblock a moderator or admin';
      throw forbidden(message, [{ field: 'id', rule: 'admin_only', message }]);
    }
    const blockedAt = action === 'block' ? (target.blockedAt ?? nowIso()) : null;
    await tx.update(users).set({ blockedAt }).where(eq(users.id, target.id));
    if (action === 'block') await revokeSessionsOf(tx, target.id);
    await audit(tx, moderator, action, 'user', target.id, reason?.trim());
    return { ...target, blockedAt };
  });
  return c.json({ user: publicUser(target), blocked: target.blockedAt !== null }, 200);
};

/** The queue's keyset: newest activity first, then by record. */
const entryKey = (type: string, id: string) => `${type}:${id}`;

export const moderationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'get',
      path: '/queue',
      tags: ['moderation'],
      summary:
        'Reported and pending records of your site, newest activity first, each with its real author (anonymous askers too), ' +
        'its marks and every report. `status=open`: open reports and pending records; `resolved`: records whose reports were resolved.',
      security: bearerAuth,
      middleware: [requireModerator] as const,
      request: { query: ModerationQueueQuery },
      responses: { 200: json(ModerationQueue, 'A page of the queue'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const moderator = signedIn(c);
      const query = c.req.valid('query');
      const site = moderator.siteId;
      const pendingRows =
        query.status === 'open'
          ? sql`
            union all select 'question', id, created_at from questions where site_id = ${site} and pending = 1
            union all select 'answer', answers.id, answers.created_at from answers join questions on questions.id = answers.question_id
              where questions.site_id = ${site} and answers.pending = 1
            union all select 'tip', id, created_at from tips where site_id = ${site} and pending = 1
            union all select 'kudos', id, created_at from kudos where site_id = ${site} and pending = 1`
          : sql``;
      let after = sql``;
      if (query.cursor) {
        const at = decodeCursor(query.cursor);
        after = sql`having max(at) < ${at.createdAt} or (max(at) = ${at.createdAt} and (item_type || ':' || item_id) < ${at.id})`;
      }
      const rows = await c.get('db').all<{ item_type: ContentType; item_id: string; at: string }>(sql`
        select item_type, item_id, max(at) as at from (
          select item_type, item_id, created_at as at from reports where site_id = ${site} and status = ${query.status}
          ${pendingRows}
        ) group by item_type, item_id
        ${after}
        order by at desc, (item_type || ':' || item_id) desc
        limit ${query.limit + 1}`);
      const items: ModerationItem[] = [];
      for (const row of rows.slice(0, query.limit)) items.push(await moderationItem(c.get('db'), await contentOf(c.get('db'), site, row.item_type, row.item_id)));
      const last = rows[query.limit - 1];
      const nextCursor = rows.length > query.limit && last ? encodeCursor({ createdAt: last.at, id: entryKey(last.item_type, last.item_id) }) : null;
      return c.json({ items, nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['moderation'],
      summary: "Every moderator action on your site, newest first: who did what to which record or person, and why",
      security: bearerAuth,
      middleware: [requireModerator] as const,
      request: { query: AuditQuery },
      responses: { 200: json(AuditPage, 'A page of the audit log'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const moderator = signedIn(c);
      const query = c.req.valid('query');
      let before: number | undefined;
      if (query.cursor) {
        before = Number(decodeCursor(query.cursor).id);
        if (!Number.isInteger(before)) throw invalid('cursor', 'invalid', 'cursor is not one this API returned');
      }
      const rows = await c.get('db')
        .select({ entry: auditLog, actor: users })
        .from(auditLog)
        .innerJoin(users, eq(users.id, auditLog.actorId))
        .where(and(eq(auditLog.siteId, moderator.siteId), before !== undefined ? lt(auditLog.id, before) : undefined))
        .orderBy(desc(auditLog.id))
        .limit(query.limit + 1);
      const items = rows.slice(0, query.limit).map(({ entry, actor }) => ({
        id: String(entry.id),
        actor: publicUser(actor),
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        reason: entry.reason,
        createdAt: entry.createdAt,
      }));
      const last = rows[query.limit - 1];
      const nextCursor = rows.length > query.limit && last ? encodeCursor({ createdAt: last.entry.createdAt, id: String(last.entry.id) }) : null;
      return c.json({ items, nextCursor }, 200);
    },
  )
  .openapi(userActionRoute('block'), userAction('block'))
  .openapi(userActionRoute('unblock'), userAction('unblock'))
  .openapi(contentActionRoute('hide'), contentAction('hide'))
  .openapi(contentActionRoute('restore'), contentAction('restore'))
  .openapi(contentActionRoute('approve'), contentAction('approve'));

