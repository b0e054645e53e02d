import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { answers, questions } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { notFound } from '../lib/errors';
import { canSee } from '../lib/moderation';
import { answerVoteMarks, setMark } from '../lib/marks';
import { bearerAuth, errorResponses, IdParam, json, jsonBody } from '../lib/openapi';
import { validationHook } from '../lib/validation';
import { writeTransaction } from '../lib/write-lock';
import { VoteRequest, VoteResult } from '../schemas';

export const answersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'post',
    path: '/{id}/vote',
    tags: ['answers'],
    summary: 'Vote an answer up (1) or take the vote back (0); one vote per user',
    security: bearerAuth,
    middleware: [requireSession] as const,
    request: { params: IdParam, body: jsonBody(VoteRequest) },
    responses: { 200: json(VoteResult, 'The new count and your vote'), ...errorResponses(400, 401, 404, 413, 415, 429) },
  }),
  async (c) => {
    const user = signedIn(c);
    const { id } = c.req.valid('param');
    const { value } = c.req.valid('json');
    const votes = await writeTransaction(c.var.db, async (tx) => {
      const [row] = await tx
        .select({ a: answers, q: questions })
        .from(answers)
        .innerJoin(questions, eq(questions.id, answers.questionId))
        .where(and(eq(answers.id, id), eq(questions.siteId, user.siteId)));
      const answer = row && canSee(row.q, row.q.authorId, user) && canSee({ ...row.a, siteId: row.q.siteId }, row.a.authorId, user) ? row.a : undefined;
      if (!answer) throw notFound('answer');
      return setMark(tx, answerVoteMarks, answer.id, user.id, value === 1);
    });
    return c.json({ votes, myVote: value }, 200);
  },
);
