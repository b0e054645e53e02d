import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { events, tipHelpful, tips, tipTags, type User } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { afterCursor, keysetOrder, pageOf } from '../lib/cursor';
import { forbidden, invalid, notFound } from '../lib/errors';
import { recordEvent } from '../lib/events';
import { ftsQuery } from '../lib/fts';
import { refuseRepeat } from '../lib/duplicates';
import { createOnce } from '../lib/idempotency';
import { newContentId, nowIso } from '../lib/ids';
import { setMark, tipHelpfulMarks } from '../lib/marks';
import { bearerAuth, errorResponses, IdempotencyHeaders, IdParam, json, jsonBody } from '../lib/openapi';
import { audit, canSee, eventsOfItem, moderates, premoderated, published, refreshEventVisibility, visibleTo } from '../lib/moderation';
import { siteOrNotFound } from '../lib/sites';
import { cachedJson } from '../lib/response-cache';
import { presentedTips, presentTip, replaceTags, tipOfSite } from '../lib/tips';
import { validationHook } from '../lib/validation';
import { writeTransaction, type Tx } from '../lib/write-lock';
import { HelpfulRequest, HelpfulResult, NewTip, TagList, TagListQuery, Tip, TipEdit, TipListQuery, TipPage } from '../schemas';

/** Tags suggested for a topic, at most. */
const TAG_SUGGESTIONS = 20;

/** The tip `id` of the signed-in user's site, for a write: 404 unless the user may see it. */
async function tipForWrite(tx: Tx, user: User, id: string) {
  const [tip] = await tx.select().from(tips).where(and(eq(tips.id, id), eq(tips.siteId, user.siteId)));
  if (!tip || !canSee(tip, tip.authorId, user)) throw notFound('tip');
  return tip;
}

export const tipsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['tips'],
      summary: 'Tips of a topic, most helpful or newest first, optionally with a tag or matching a search, a page at a time',
      request: { query: TipListQuery },
      responses: { 200: json(TipPage, 'A page of tips'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      return cachedJson(c, siteId, ['tips', query], async () => {
        const conditions: (SQL | undefined)[] = [eq(tips.siteId, siteId), eq(tips.topic, query.topic), visibleTo(tips, tips.authorId, c.get('viewer'), siteId)];
        if (query.tag) {
          const tagged = c.get('db')
            .select({ tipId: tipTags.tipId })
            .from(tipTags)
            .where(and(eq(tipTags.siteId, siteId), eq(tipTags.topic, query.topic), eq(tipTags.tag, query.tag)));
          conditions.push(inArray(tips.id, tagged));
        }
        if (query.q !== undefined) {
          // A search narrows the list (every word must match); the order stays the chosen sort, so pages stay stable.
          const match = ftsQuery(query.q, 'all');
          if (!match) return { items: [], nextCursor: null };
          conditions.push(sql`${tips.id} in (select tip_id from tips_fts where tips_fts match ${match})`);
        }
        const keyset = { createdAt: tips.createdAt, id: tips.id, ...(query.sort === 'helpful' ? { count: tips.helpfulCount } : {}) };
        if (query.cursor) conditions.push(afterCursor(query.cursor, keyset));
        const { rows, items } = await presentedTips(c.get('db'), c.get('viewer'), and(...conditions), keysetOrder(keyset), query.limit + 1);
        return pageOf(rows, items, query.limit, (t) => ({ createdAt: t.createdAt, id: t.id, ...(keyset.count ? { count: t.helpfulCount } : {}) }));
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tags',
      tags: ['tips'],
      summary: `The tags used in a topic, most used first (at most ${TAG_SUGGESTIONS})`,
      request: { query: TagListQuery },
      responses: { 200: json(TagList, 'Tags with the number of tips carrying each'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      // Counted over the tips everyone may see, whoever asks (cached per reader all the same, as every cached read is).
      return cachedJson(c, siteId, ['tags', query], async () => {
        const items = await c.get('db')
          .select({ tag: tipTags.tag, count: count() })
          .from(tipTags)
          .innerJoin(tips, eq(tips.id, tipTags.tipId))
          .where(and(eq(tipTags.siteId, siteId), eq(tipTags.topic, query.topic), published(tips)))
          .groupBy(tipTags.tag)
          .orderBy(desc(count()), asc(tipTags.tag))
          .limit(TAG_SUGGESTIONS);
        return { items };
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['tips'],
      summary: 'Share a tip',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { headers: IdempotencyHeaders, body: jsonBody(NewTip) },
      responses: { 201: json(Tip, 'The tip shared'), ...errorResponses(400, 401, 409, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const input = c.req.valid('json');
      const pending = premoderated(await siteOrNotFound(c.get('db'), user.siteId), user);
      const { body, replayed } = await createOnce(c.var, user, c.req.header('idempotency-key'), 'POST /v1/tips', input, async (tx) => {
        await refuseRepeat(tx, 'tip', user.id, [input.body]);
        const at = nowIso();
        const [tip] = await tx
          .insert(tips)
          .values({ id: newContentId(), siteId: user.siteId, topic: input.topic, body: input.body, authorId: user.id, pending, createdAt: at, updatedAt: at })
          .returning();
        await replaceTags(tx, tip!, input.tags);
        if (!pending) await recordEvent(tx, tip!.siteId, { type: 'tip.shared', topic: tip!.topic, tip: presentTip(tip!, input.tags, user, null, false) });
        return presentTip(tip!, input.tags, user, user, false);
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['tips'],
      summary: 'Edit a tip: its author only',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, body: jsonBody(TipEdit) },
      responses: { 200: json(Tip, 'The tip as edited'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const edit = c.req.valid('json');
      if (edit.body === undefined && edit.tags === undefined) throw invalid('body', 'required', 'an edit needs body, tags or both');
      // An approved tip edited into something else would skip pre-moderation: the edit waits for approval again.
      const pending = premoderated(await siteOrNotFound(c.get('db'), user.siteId), user);
      const tip = await writeTransaction(c.var, async (tx) => {
        const tip = await tipForWrite(tx, user, id);
        if (tip.authorId !== user.id) {
          throw forbidden('only the author may edit a tip', [{ field: 'id', rule: 'author_only', message: 'only the author may edit a tip' }]);
        }
        await tx
          .update(tips)
          .set({ ...(edit.body !== undefined ? { body: edit.body } : {}), ...(pending ? { pending } : {}), updatedAt: nowIso() })
          .where(eq(tips.id, tip.id));
        if (edit.tags) await replaceTags(tx, tip, edit.tags);
        if (pending) await refreshEventVisibility(tx, eventsOfItem('tip', tip.id));
        // The stream's replay of the tip (a week of it) says what the tip says now: what an edit took out
        // (a password pasted by mistake, say) goes from the log too. As presented to anyone, without marks.
        const { pending: _pending, hidden: _hidden, ...shown } = await tipOfSite(tx, user.siteId, tip.id, null);
        await tx
          .update(events)
          .set({ payload: { type: 'tip.shared', topic: shown.topic, tip: shown } })
          .where(and(eq(events.type, 'tip.shared'), eventsOfItem('tip', tip.id)));
        return tipOfSite(tx, user.siteId, tip.id, user);
      });
      return c.json(tip, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags: ['tips'],
      summary: 'Delete a tip with its tags and helpful marks: its author, or a moderator or admin of the site',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      await writeTransaction(c.var, async (tx) => {
        const tip = await tipForWrite(tx, user, id);
        if (tip.authorId !== user.id) {
          if (!moderates(user, tip.siteId)) {
            const message = 'only the author or a moderator may delete a tip';
            throw forbidden(message, [{ field: 'id', rule: 'author_or_moderator', message }]);
          }
          await audit(tx, user, 'delete', 'tip', tip.id, undefined);
        }
        // Explicit rather than left to ON DELETE CASCADE, which a connection without foreign_keys would skip.
        await tx.delete(tipHelpful).where(eq(tipHelpful.tipId, tip.id));
        // The stream must not replay a deleted tip.
        await tx.update(events).set({ hidden: true }).where(eventsOfItem('tip', tip.id));
        await tx.delete(tipTags).where(eq(tipTags.tipId, tip.id));
        await tx.delete(tips).where(eq(tips.id, tip.id));
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/helpful',
      tags: ['tips'],
      summary: 'Mark a tip helpful (true) or take the mark back (false); one mark per user, never on your own tip',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, body: jsonBody(HelpfulRequest) },
      responses: { 200: json(HelpfulResult, 'The new count and your mark'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const { helpful } = c.req.valid('json');
      const helpfulCount = await writeTransaction(c.var, async (tx) => {
        const tip = await tipForWrite(tx, user, id);
        if (helpful && tip.authorId === user.id) {
          const message = 'you may not mark your own tip helpful';
          throw forbidden(message, [{ field: 'helpful', rule: 'not_own_tip', message }]);
        }
        return setMark(tx, tipHelpfulMarks, tip.id, user.id, helpful);
      });
      return c.json({ helpfulCount, myHelpful: helpful }, 200);
    },
  );
