import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { answers, answerVotes, questions, questionVotes, users, type AnswerRow, type QuestionRow, type User } from '../db/schema/index';
import type { Answer, Me, PublicUser, Question, QuestionDetail } from '../schemas';
import type { Tx } from './write-lock';
import { notFound } from './errors';
import { canSee, moderationMarks, visibleTo } from './moderation';

type Reader = Db | Tx;

export const isModerator = (viewer: User | null): boolean =>
  !!viewer && (viewer.roles.includes('moderator') || viewer.roles.includes('admin'));

export const isExpertOf = (user: User | null, topic: string): boolean => !!user && user.expertTopics.includes(topic);

export const publicUser = (u: Pick<User, 'id' | 'name' | 'picture'>): PublicUser => ({ id: u.id, name: u.name, picture: u.picture ?? null });

export const me = (u: User): Me => ({
  id: u.id,
  site: u.siteId,
  name: u.name,
  picture: u.picture ?? null,
  guest: u.guest,
  roles: u.roles,
  expertTopics: u.expertTopics,
});

/** Stands in for the asker of an anonymous question wherever they would otherwise appear. */
const ANONYMOUS_ASKER: PublicUser = { id: 'anonymous', name: 'Anonymous', picture: null };

/** Whether `viewer` may see who asked `q`. Anonymity holds against everyone but moderators. */
const mayIdentifyAsker = (q: QuestionRow, viewer: User | null) => !q.anonymous || isModerator(viewer);

/** A session of another site reads as nobody in particular (its roles do not apply here). */
const readerOf = (q: QuestionRow, viewer: User | null) => (viewer && viewer.siteId === q.siteId ? viewer : null);

export function presentQuestion(q: QuestionRow, author: User, anyViewer: User | null, voted: boolean): Question {
  const viewer = readerOf(q, anyViewer);
  return {
    id: q.id,
    site: q.siteId,
    topic: q.topic,
    title: q.title,
    body: q.body,
    anonymous: q.anonymous,
    author: mayIdentifyAsker(q, viewer) ? publicUser(author) : null,
    mine: !!viewer && viewer.id === q.authorId,
    status: q.status,
    acceptedAnswerId: q.acceptedAnswerId ?? null,
    votes: q.votes,
    myVote: voted ? 1 : 0,
    answerCount: q.answerCount,
    createdAt: q.createdAt,
    updatedAt: q.updatedAt,
    ...moderationMarks(q),
  };
}

export function presentAnswer(a: AnswerRow, author: User, q: QuestionRow, anyViewer: User | null, voted: boolean): Answer {
  const viewer = readerOf(q, anyViewer);
  // The anonymous asker answering their own question must not unmask them.
  const hideAuthor = a.authorId === q.authorId && !mayIdentifyAsker(q, viewer);
  return {
    id: a.id,
    questionId: a.questionId,
    body: a.body,
    author: hideAuthor ? ANONYMOUS_ASKER : publicUser(author),
    // The experts of a topic are public: "an expert" would narrow the hidden asker down to them.
    expert: hideAuthor ? false : a.expert,
    accepted: q.acceptedAnswerId === a.id,
    mine: !!viewer && viewer.id === a.authorId,
    votes: a.votes,
    myVote: voted ? 1 : 0,
    createdAt: a.createdAt,
    ...moderationMarks(a),
  };
}

/** Questions matching `where`, with their authors and the viewer's votes, presented for the viewer. */
export async function presentedQuestions(
  db: Reader,
  viewer: User | null,
  where: SQL | undefined,
  orderBy: SQL[],
  limit: number,
): Promise<{ rows: QuestionRow[]; items: Question[] }> {
  const rows = await db
    .select({ q: questions, author: users, voter: questionVotes.userId })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .leftJoin(questionVotes, and(eq(questionVotes.questionId, questions.id), eq(questionVotes.userId, viewer?.id ?? '')))
    .where(where)
    .orderBy(...orderBy)
    .limit(limit);
  return {
    rows: rows.map((r) => r.q),
    items: rows.map((r) => presentQuestion(r.q, r.author, viewer, r.voter !== null)),
  };
}

/**
 * A question of `siteId` with its answers (those the viewer may see):
 * accepted first, then most votes, then oldest. 404 for a question the
 * viewer may not see, pending or hidden.
 */
export async function questionDetail(db: Reader, siteId: string | null, id: string, viewer: User | null): Promise<QuestionDetail> {
  const where = siteId ? and(eq(questions.id, id), eq(questions.siteId, siteId)) : eq(questions.id, id);
  const { rows, items } = await presentedQuestions(db, viewer, where, [], 1);
  const q = rows[0];
  if (!q || !canSee(q, q.authorId, viewer)) throw notFound('question');
  const answerRows = await db
    .select({ a: answers, author: users, voter: answerVotes.userId })
    .from(answers)
    .innerJoin(users, eq(users.id, answers.authorId))
    .leftJoin(answerVotes, and(eq(answerVotes.answerId, answers.id), eq(answerVotes.userId, viewer?.id ?? '')))
    .where(and(eq(answers.questionId, q.id), visibleTo(answers, answers.authorId, viewer, q.siteId)))
    .orderBy(
      desc(sql`${answers.id} = ${q.acceptedAnswerId ?? ''}`),
      desc(answers.votes),
      asc(answers.createdAt),
      asc(answers.id),
    );
  return { ...items[0]!, answers: answerRows.map((r) => presentAnswer(r.a, r.author, q, viewer, r.voter !== null)) };
}
