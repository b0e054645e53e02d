import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { notFound } from '../lib/errors';
import { canSee } from '../lib/moderation';
import { answerVoteMarks, setMark } from '../lib/marks';
import { bearerAuth, errorResponses, IdParam, json, jsonBody } from '../lib/openapi';
import { validationHook } from '../lib/validation';
import { txRow, writeTransaction } from '../lib/write-lock';
import { VoteRequest, VoteResult } from '../schemas';

interface AnswerToVote extends Record<string, unknown> {
  author_id: string;
  pending: unknown;
  hidden_at: unknown;
  question_author_id: string;
  question_pending: unknown;
  question_hidden_at: unknown;
}

/** What a vote needs of an answer of the voter's site and of its question, to know whether the voter may see both (prepared once: txRow). */
const ANSWER_TO_VOTE = `select answers.author_id, answers.pending, answers.hidden_at,
    questions.author_id as question_author_id, questions.pending as question_pending, questions.hidden_at as question_hidden_at
  from answers join questions on questions.id = answers.question_id
  where answers.id = ? and questions.site_id = ?`;

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
    const votes = await writeTransaction(c.var, async (tx) => {
      const row = await txRow<AnswerToVote>(tx, ANSWER_TO_VOTE, [id, user.siteId]);
      const visible = (pending: unknown, hiddenAt: unknown) => ({ pending: Number(pending) === 1, hiddenAt: hiddenAt as string | null, siteId: user.siteId });
      if (
        !row ||
        !canSee(visible(row.question_pending, row.question_hidden_at), row.question_author_id, user) ||
        !canSee(visible(row.pending, row.hidden_at), row.author_id, user)
      ) {
        throw notFound('answer');
      }
      return setMark(tx, answerVoteMarks, id, user.id, value === 1);
    });
    return c.json({ votes, myVote: value }, 200);
  },
);
