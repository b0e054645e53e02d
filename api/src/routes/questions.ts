import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { decodedRow } from '../db/client';
import { answers, questions, sites, type QuestionRow, type User } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { afterCursor, keysetOrder, pageOf } from '../lib/cursor';
import { forbidden, invalid, notFound } from '../lib/errors';
import { recordEvent } from '../lib/events';
import { indexQuestionsSoon, similarQuestionIds } from '../lib/fts';
import { refuseRepeat } from '../lib/duplicates';
import { createOnce } from '../lib/idempotency';
import { questionVoteMarks, setMark } from '../lib/marks';
import { newContentId, nowIso } from '../lib/ids';
import { bearerAuth, errorResponses, IdempotencyHeaders, IdParam, json, jsonBody } from '../lib/openapi';
import { isExpertOf, presentAnswer, presentedQuestions, presentQuestion, questionDetail } from '../lib/questions';
import { canSee, premoderated, published, recountAnswers, unpublishedVisibleTo, visibleTo } from '../lib/moderation';
import { cachedJson } from '../lib/response-cache';
import { validationHook } from '../lib/validation';
import { txRow, writeTransaction, type Tx } from '../lib/write-lock';
import {
  AcceptRequest,
  Answer,
  NewAnswer,
  NewQuestion,
  Question,
  QuestionDetail,
  QuestionListQuery,
  QuestionPage,
  SimilarQuery,
  SimilarQuestions,
  VoteRequest,
  VoteResult,
} from '../schemas';

/** The question `id` of the signed-in user's site, for a write: 404 unless the user may see it. */
async function questionForWrite(tx: Tx, user: User, id: string) {
  const row = await txRow(tx, 'select * from questions where id = ? and site_id = ?', [id, user.siteId]);
  const q = row && decodedRow(questions, row);
  if (!q || !canSee(q, q.authorId, user)) throw notFound('question');
  return q;
}

/** The signed-in user's site, read in the write's own transaction (prepared once: write-lock.ts txRow). */
async function siteForWrite(tx: Tx, user: User) {
  const row = await txRow(tx, 'select * from sites where id = ?', [user.siteId]);
  if (!row) throw notFound(`site ${user.siteId}`);
  return decodedRow(sites, row);
}

/** Text as SQLite stores it (UTF-8, a lone surrogate as U+FFFD), for a row that is not read back. */
const storedText = (text: string) => (text as string & { toWellFormed(): string }).toWellFormed();
/**
 * What a new question's columns hold by default (db/schema/questions.ts): its row is these and
 * what the ask gives, not read back from the insert (`returning *` was 2 % of an ask).
 */
const NEW_QUESTION = { status: 'open', acceptedAnswerId: null, votes: 0, answerCount: 0, hiddenAt: null } as const;
const INSERT_QUESTION = `insert into questions (id, site_id, topic, title, body, anonymous, author_id, pending, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const questionsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['questions'],
      summary: 'Questions of a topic, newest or most voted first, a page at a time',
      request: { query: QuestionListQuery },
      responses: { 200: json(QuestionPage, 'A page of questions'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      return cachedJson(c, siteId, ['questions', query], async () => {
        // A session of another site matches none of this site's authors or votes; presenting reads it as nobody.
        const reader = c.get('viewer');
        const conditions: (SQL | undefined)[] = [eq(questions.siteId, siteId), eq(questions.topic, query.topic)];
        if (query.status !== 'all') conditions.push(eq(questions.status, query.status));
        if (query.mine) conditions.push(eq(questions.authorId, reader?.id ?? ''));
        const keyset = { createdAt: questions.createdAt, id: questions.id, ...(query.sort === 'votes' ? { count: questions.votes } : {}) };
        if (query.cursor) conditions.push(afterCursor(query.cursor, keyset));
        const order = keysetOrder(keyset);
        const limit = query.limit + 1;
        const first = (kind: SQL | undefined, index = '') =>
          sql`select id from (select ${questions.id} as id from ${questions}${sql.raw(index)} where ${and(...conditions, kind)} order by ${sql.join(order, sql`, `)} limit ${limit})`;
        // A moderator, or a signed-in author, may see questions not published: the page's first rows of either kind, each
        // read from its own partial index (questions_unpublished_idx, questions_held_idx), and merged (no list index holds
        // both kinds).
        const more = unpublishedVisibleTo(questions, questions.authorId, reader, siteId);
        const where = query.mine
          ? // One learner's questions, a few among a topic's many: found by their author, whatever the order (an author of
            // thousands pays for them on every page).
            sql`${questions.id} in (${first(visibleTo(questions, questions.authorId, reader, siteId), ' indexed by questions_author_idx')})`
          : more
            ? sql`${questions.id} in (${first(published(questions))} union all ${first(more)})`
            : and(...conditions, published(questions));
        const { rows, items } = await presentedQuestions(c.get('db'), reader, where, order, limit);
        return pageOf(rows, items, query.limit, (q) => ({ createdAt: q.createdAt, id: q.id, ...(keyset.count ? { count: q.votes } : {}) }));
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/similar',
      tags: ['questions'],
      summary: 'Questions of the topic like the one being typed, best match first',
      request: { query: SimilarQuery },
      responses: { 200: json(SimilarQuestions, 'The closest questions'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const siteId = query.site ?? c.get('defaultSite');
      return cachedJson(c, siteId, ['similar', query], async () => {
        const ids = await similarQuestionIds(c.get('db'), siteId, query.topic, query.q, query.limit, c.get('viewer'));
        if (ids.length === 0) return { items: [] };
        const order = new Map(ids.map((id, i) => [id, i]));
        const { items } = await presentedQuestions(c.get('db'), c.get('viewer'), sql`${questions.id} in ${ids}`, [], ids.length);
        items.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
        return { items };
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['questions'],
      summary: 'Ask a question, anonymously to peers where the site allows it',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { headers: IdempotencyHeaders, body: jsonBody(NewQuestion) },
      responses: { 201: json(Question, 'The question asked'), ...errorResponses(400, 401, 403, 409, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const input = c.req.valid('json');
      const { body, replayed } = await createOnce(c.var, user, c.req.header('idempotency-key'), 'POST /v1/questions', input, async (tx) => {
        const site = await siteForWrite(tx, user);
        if (input.anonymous && !site.anonymousQuestionsAllowed) {
          throw forbidden(`site ${site.id} does not allow anonymous questions`, [
            { field: 'anonymous', rule: 'not_allowed', message: 'anonymous questions are not allowed on this site' },
          ]);
        }
        const pending = premoderated(site, user);
        const [title, body] = [storedText(input.title), storedText(input.body)];
        await refuseRepeat(tx, 'question', user.id, [title, body]);
        const at = nowIso();
        const { topic, anonymous } = input;
        const q: QuestionRow = { id: newContentId(), siteId: site.id, topic, title, body, authorId: user.id, anonymous, pending, createdAt: at, updatedAt: at, ...NEW_QUESTION };
        await txRow(tx, INSERT_QUESTION, [q.id, q.siteId, q.topic, q.title, q.body, q.anonymous, q.authorId, q.pending, q.createdAt, q.updatedAt]);
        // Pending content is announced when a moderator approves it.
        if (!pending) await recordEvent(tx, site.id, { type: 'question.asked', topic: q.topic, question: presentQuestion(q, user, null, false) });
        return presentQuestion(q, user, user, false);
      });
      indexQuestionsSoon(c.get('db'));
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['questions'],
      summary: 'A question with its answers: the accepted one first, then by votes, then oldest',
      request: { params: IdParam },
      responses: { 200: json(QuestionDetail, 'The question'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => c.json(await questionDetail(c.get('db'), null, c.req.valid('param').id, c.get('viewer')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/answers',
      tags: ['questions'],
      summary: 'Answer a question',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, headers: IdempotencyHeaders, body: jsonBody(NewAnswer) },
      responses: { 201: json(Answer, 'The answer posted'), ...errorResponses(400, 401, 404, 409, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const route = `POST /v1/questions/${id}/answers`;
      const { body, replayed } = await createOnce(c.var, user, c.req.header('idempotency-key'), route, input, async (tx) => {
        const pending = premoderated(await siteForWrite(tx, user), user);
        const q = await questionForWrite(tx, user, id);
        await refuseRepeat(tx, 'answer', user.id, [input.body]);
        const at = nowIso();
        const [a] = await tx
          .insert(answers)
          .values({ id: newContentId(), questionId: q.id, authorId: user.id, body: input.body, expert: isExpertOf(user, q.topic), pending, createdAt: at })
          .returning();
        await recountAnswers(tx, q.id);
        const [updated] = await tx.update(questions).set({ updatedAt: at }).where(eq(questions.id, q.id)).returning();
        if (!pending) await recordEvent(tx, q.siteId, {
          type: 'answer.posted',
          topic: q.topic,
          questionId: q.id,
          answer: presentAnswer(a!, user, updated!, null, false),
        });
        return presentAnswer(a!, user, updated!, user, false);
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/accept',
      tags: ['questions'],
      summary: 'Accept an answer: the asker or an expert of the topic',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, body: jsonBody(AcceptRequest) },
      responses: { 200: json(QuestionDetail, 'The question, now answered'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const { answerId } = c.req.valid('json');
      await writeTransaction(c.var, async (tx) => {
        const q = await questionForWrite(tx, user, id);
        if (q.authorId !== user.id && !isExpertOf(user, q.topic)) {
          throw forbidden('only the asker or an expert of the topic may accept an answer');
        }
        const [answer] = await tx.select().from(answers).where(eq(answers.id, answerId));
        if (!answer || !canSee({ ...answer, siteId: q.siteId }, answer.authorId, user)) throw notFound('answer');
        if (answer.questionId !== q.id) throw invalid('answerId', 'not_of_question', 'answerId must be an answer to this question');
        if (q.acceptedAnswerId === answerId) return; // accepting it again changes nothing
        await tx
          .update(questions)
          .set({ acceptedAnswerId: answerId, status: 'answered', updatedAt: nowIso() })
          .where(eq(questions.id, q.id));
        await recordEvent(tx, q.siteId, { type: 'answer.accepted', topic: q.topic, questionId: q.id, answerId });
      });
      return c.json(await questionDetail(c.get('db'), user.siteId, id, user), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/vote',
      tags: ['questions'],
      summary: 'Vote a question up (1) or take the vote back (0); one vote per user',
      security: bearerAuth,
      middleware: [requireSession] as const,
      request: { params: IdParam, body: jsonBody(VoteRequest) },
      responses: { 200: json(VoteResult, 'The new count and your vote'), ...errorResponses(400, 401, 404, 413, 415, 429) },
    }),
    async (c) => {
      const user = signedIn(c);
      const { id } = c.req.valid('param');
      const { value } = c.req.valid('json');
      const votes = await writeTransaction(c.var, async (tx) => {
        const q = await questionForWrite(tx, user, id);
        return setMark(tx, questionVoteMarks, q.id, user.id, value === 1);
      });
      return c.json({ votes, myVote: value }, 200);
    },
  );

