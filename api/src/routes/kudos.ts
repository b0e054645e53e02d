import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, gte, type SQL } from 'drizzle-orm';
import { answers, kudos, kudosReactions, questions, users } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { afterCursor, keysetOrder, pageOf } from '../lib/cursor';
import { forbidden, invalid, notFound } from '../lib/errors';
import { recordEvent } from '../lib/events';
import { refuseRepeat } from '../lib/duplicates';
import { createOnce } from '../lib/idempotency';
import { newContentId, nowIso } from '../lib/ids';
import { kudosOfSite, presentedKudos, reactionsOf, siteEmoji } from '../lib/kudos';
import { bearerAuth, errorResponses, IdempotencyHeaders, IdParam, json, jsonBody } from '../lib/openapi';
import { canSee, premoderated, published, visibleTo } from '../lib/moderation';
import { publicUser } from '../lib/questions';
import { cachedJson } from '../lib/response-cache';
import { siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { writeTransaction, type Tx } from '../lib/write-lock';
import { Kudos, KudosListQuery, KudosPage, Leaderboard, LeaderboardQuery, NewKudos, ReactionRequest, ReactionResult } from '../schemas';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Leaderboard periods are rolling windows ending now (from the start of the hour, 7 or 30 days before), not calendar weeks or months. */
const PERIOD_DAYS = { week: 7, month: 30, all: null } as const;

/**
 * Checks thanks "for" an answer: only the asker of its question may send
 * them, only to the answer's author, and never for an anonymous question,
 * where `from` plus the link back would name the anonymous asker to everyone.
 */
async function answerThankedFor(tx: Tx, siteId: string, answerId: string, senderId: string, recipientId: string): Promise<string> {
  const [row] = await tx
    .select({ answerAuthor: answers.authorId, asker: questions.authorId, anonymous: questions.anonymous })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(eq(answers.id, answerId), eq(questions.siteId, siteId)));
  if (!row) throw invalid('for.answerId', 'unknown_answer', 'for.answerId must be an answer of this site');
  if (row.asker !== senderId) {
    const message = 'only the asker of the question may thank for one of its answers';
    throw forbidden(message, [{ field: 'for.answerId', rule: 'asker_only', message }]);
  }
  if (row.anonymous) {
    const message = 'for.answerId must not be an answer to an anonymous question: the thanks would show who asked it';
    throw forbidden(message, [{ field: 'for.answerId', rule: 'anonymous_question', message }]);
  }
  if (row.answerAuthor !== recipientId) throw invalid('to', 'answer_author', 'to must be the author of the answer thanked for');
  return answerId;
}

export const kudosRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['kudos'],
      summary: 'Kudos of a wall, newest first, a page at a time',
      request: { query: KudosListQuery },
      responses: { 200: json(KudosPage, 'A page of kudos'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      return cachedJson(c, siteId, ['kudos', query], async () => {
        // The whole site: its reactions are in every card.
        const site = await siteOrNotFound(c.get('db'), siteId);
        const keyset = { createdAt: kudos.createdAt, id: kudos.id };
        const conditions: (SQL | undefined)[] = [eq(kudos.wall, query.wall), visibleTo(kudos, kudos.fromUserId, c.get('viewer'), site.id)];
        if (query.cursor) conditions.push(afterCursor(query.cursor, keyset));
        const { rows, items } = await presentedKudos(c.get('db'), site, c.get('viewer'), and(...conditions), keysetOrder(keyset), query.limit + 1);
        return pageOf(rows, items, query.limit, (k) => ({ createdAt: k.createdAt, id: k.id }));
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/leaderboard',
      tags: ['kudos'],
      summary: 'The most thanked people of a wall (or of the whole site) in the last 7 days, 30 days or ever',
      request: { query: LeaderboardQuery },
      responses: { 200: json(Leaderboard, 'Most kudos first'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      const days = PERIOD_DAYS[query.period];
      // Counted from the start of the hour, so that the response cache can keep an answer for the hour (a wall's open
      // leaderboards all ask again when kudos arrive): the period starts up to an hour earlier.
      const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
      const since = days === null ? null : new Date(hour - days * DAY_MS).toISOString();
      return cachedJson(c, siteId, ['leaderboard', query, since], async () => {
        const site = await siteOrNotFound(c.get('db'), siteId);
        const received = count();
        const rows = await c.get('db')
          .select({ id: users.id, name: users.name, picture: users.picture, count: received })
          .from(kudos)
          .innerJoin(users, eq(users.id, kudos.toUserId))
          .where(
            and(
              eq(kudos.siteId, site.id),
              published(kudos),
              query.wall !== undefined ? eq(kudos.wall, query.wall) : undefined,
              since !== null ? gte(kudos.createdAt, since) : undefined,
            ),
          )
          .groupBy(kudos.toUserId)
          .orderBy(desc(received), asc(users.nameKey), asc(users.id))
          .limit(query.limit);
        return { items: rows.map((r) => ({ user: publicUser(r), count: r.count })) };
      }, since === null ? undefined : hour + HOUR_MS);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['kudos'],
      summary: "Thank a person of your site with a message and one of the site's badges, optionally for an answer to your question",
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { headers: IdempotencyHeaders, body: jsonBody(NewKudos) },
      responses: { 201: json(Kudos, 'The kudos given'), ...errorResponses(400, 401, 403, 409, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const input = c.req.valid('json');
      const site = await siteOrNotFound(c.get('db'), user.siteId);
      if (!site.kudosBadges.includes(input.badge)) {
        throw invalid('badge', 'invalid_value', `badge must be one of ${site.kudosBadges.join(', ')}`);
      }
      if (input.to === user.id) {
        const message = 'you may not give kudos to yourself';
        throw forbidden(message, [{ field: 'to', rule: 'not_self', message }]);
      }
      const pending = premoderated(site, user);
      const { body, replayed } = await createOnce(c.var, user, c.req.header('idempotency-key'), 'POST /v1/kudos', input, async (tx) => {
        await refuseRepeat(tx, 'kudos', user.id, [input.to, input.for?.answerId ?? '', input.message]);
        const [recipient] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, input.to), eq(users.siteId, site.id)));
        // A person of another site reads as unknown: the answer must not tell which ids exist elsewhere.
        if (!recipient) throw invalid('to', 'same_site', 'to must be a person of this site');
        const forAnswerId = input.for ? await answerThankedFor(tx, site.id, input.for.answerId, user.id, recipient.id) : null;
        const id = newContentId();
        await tx.insert(kudos).values({
          id,
          siteId: site.id,
          wall: input.wall,
          fromUserId: user.id,
          toUserId: recipient.id,
          message: input.message,
          badge: input.badge,
          forAnswerId,
          pending,
          createdAt: nowIso(),
        });
        const given = await kudosOfSite(tx, site, id, null);
        if (!pending) await recordEvent(tx, site.id, { type: 'kudos.given', wall: given.wall, kudos: given });
        return { ...given, mine: true };
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/reactions',
      tags: ['kudos'],
      summary: "React to a kudos with one of the site's emoji, or take that reaction back: each call toggles it",
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, body: jsonBody(ReactionRequest) },
      responses: { 200: json(ReactionResult, "The kudos' reactions now"), ...errorResponses(400, 401, 404, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const site = await siteOrNotFound(c.get('db'), user.siteId);
      const emoji = siteEmoji(site, c.req.valid('json').emoji);
      if (!emoji) throw invalid('emoji', 'invalid_value', `emoji must be one of ${site.reactions.join(' ')}`);
      const reactions = await writeTransaction(c.var, async (tx) => {
        const [k] = await tx.select().from(kudos).where(and(eq(kudos.id, id), eq(kudos.siteId, site.id)));
        if (!k || !canSee(k, k.fromUserId, user)) throw notFound('kudos');
        const mine = and(eq(kudosReactions.kudosId, k.id), eq(kudosReactions.userId, user.id), eq(kudosReactions.emoji, emoji));
        const removed = await tx.delete(kudosReactions).where(mine).returning({ emoji: kudosReactions.emoji });
        if (removed.length === 0) await tx.insert(kudosReactions).values({ kudosId: k.id, userId: user.id, emoji, createdAt: nowIso() });
        return (await reactionsOf(tx, site, [k.id], user)).get(k.id)!;
      });
      return c.json({ reactions }, 200);
    },
  );
