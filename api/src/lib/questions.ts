import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { decodedRow, readQuery, type Db } from '../db/client';
import { answers, answerVotes, questions, questionVotes, users, type AnswerRow, type QuestionRow, type User } from '../db/schema/index';
import type { Answer, Me, PublicUser, Question, QuestionDetail } from '../schemas';
import { notFound } from './errors';
import { canSee, moderationMarks, visibleTo } from './moderation';


/** A moderator or admin, and not blocked: a blocked one signs in and reads as anyone, and sees no more than anyone. */
export const isModerator = (viewer: User | null): boolean =>
  !!viewer && !viewer.blockedAt && (viewer.roles.includes('moderator') || viewer.roles.includes('admin'));

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

export function presentQuestion(q: QuestionRow, author: Pick<User, 'id' | 'name' | 'picture'>, anyViewer: User | null, voted: boolean): Question {
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

/**
 * Questions matching `where`, with their authors and the viewer's votes, presented for the viewer.
 * Read as one statement whose text depends only on the shape of `where` and `orderBy` (every value
 * a parameter, the limit too), through readQuery: prepared once and run on the hot reads' connection
 * of a file. Through drizzle's query builder and @libsql/client, each read built and prepared its
 * statement anew: most of an uncached list's time and a fifth of similar questions'.
 */
export async function presentedQuestions(
  db: Db,
  viewer: User | null,
  where: SQL | undefined,
  orderBy: SQL[],
  limit: number,
): Promise<{ rows: QuestionRow[]; items: Question[] }> {
  const found = await readQuery(db, sql`select ${questions}.*, ${users.name} as author_name, ${users.picture} as author_picture, ${questionVotes.userId} as voter
    from ${questions} join ${users} on ${users.id} = ${questions.authorId}
    left join ${questionVotes} on ${questionVotes.questionId} = ${questions.id} and ${questionVotes.userId} = ${viewer?.id ?? ''}
    where ${where ?? sql`1`}${orderBy.length ? sql` order by ${sql.join(orderBy, sql`, `)}` : sql``} limit ${limit}`);
  const rows = found.map((row) => decodedRow(questions, row));
  return {
    rows,
    items: rows.map((q, i) => {
      const { author_name: name, author_picture: picture, voter } = found[i]!;
      return presentQuestion(q, { id: q.authorId, name: String(name), picture: picture == null ? null : String(picture) }, viewer, voter != null);
    }),
  };
}

/**
 * A question of `siteId` with its answers (those the viewer may see):
 * accepted first, then most votes, then oldest. 404 for a question the
 * viewer may not see, pending or hidden.
 */
export async function questionDetail(db: Db, siteId: string | null, id: string, viewer: User | null): Promise<QuestionDetail> {
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
