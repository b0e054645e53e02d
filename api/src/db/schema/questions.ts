import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';
import { users } from './users';

export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['open', 'answered'] }).notNull().default('open'),
    /** Not a foreign key: answers reference questions, and the accept route checks ownership. */
    acceptedAnswerId: text('accepted_answer_id'),
    /** Denormalised counters, recomputed in the transaction that changes them. */
    votes: integer('votes').notNull().default(0),
    /** Answers that everyone may see (neither pending nor hidden). */
    answerCount: integer('answer_count').notNull().default(0),
    /** Held for a moderator's approval (pre-moderation): only its author and moderators see it. */
    pending: integer('pending', { mode: 'boolean' }).notNull().default(false),
    /** Hidden by a moderator: gone for everyone but moderators until restored. */
    hiddenAt: text('hidden_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('questions_author_idx').on(t.authorId, t.createdAt),
    // What everyone sees, in list order, with the status filter inside the index: a page reads
    // only the rows it returns. Partial, so the query's literal `pending = 0 and hidden_at is null`
    // (lib/moderation.ts `published`) selects it.
    index('questions_published_recent_idx')
      .on(t.siteId, t.topic, t.createdAt, t.id, t.status)
      .where(sql`pending = 0 and hidden_at is null`),
    index('questions_published_votes_idx')
      .on(t.siteId, t.topic, t.votes, t.createdAt, t.id, t.status)
      .where(sql`pending = 0 and hidden_at is null`),
    // The rest, pending or hidden, which only moderators see: a moderator's list reads the published
    // rows and these, each from its own index, and merges the two (routes/questions.ts); sorted by
    // votes, these few are sorted as read. Not full indexes beside the published ones: every ask
    // would write two more index pages.
    index('questions_unpublished_idx')
      .on(t.siteId, t.topic, t.createdAt, t.id)
      .where(sql`pending = 1 or hidden_at is not null`),
    // An author's own questions held for approval, which the author sees too: read the same way for
    // every signed-in reader's list, in a few entries, whatever else the topic holds.
    index('questions_held_idx')
      .on(t.authorId, t.siteId, t.topic, t.createdAt, t.id)
      .where(sql`pending = 1 and hidden_at is null`),
    // The moderation queue's pending records: few, so a partial index stays tiny.
    index('questions_pending_idx').on(t.siteId, t.createdAt).where(sql`pending = 1`),
  ],
);

/**
 * Questions written since the full-text index (`questions_fts`, migrations 0001 and 0009) last
 * caught up: the triggers of migration 0013 list a question here as it is asked or edited, and
 * lib/fts.ts indexes the list in bulk shortly after; the search reads the list besides the index. A
 * question indexed in its own request's transaction cost that request a segment of the index and
 * its merging, about a fifth of an ask. No foreign key: a question deleted takes its row along in
 * its trigger, and the list is read in `id` order, the order of the writes.
 */
export const questionsFtsPending = sqliteTable('questions_fts_pending', {
  id: integer('id').primaryKey(),
  questionId: text('question_id').notNull(),
});

export const answers = sqliteTable(
  'answers',
  {
    id: text('id').primaryKey(),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    /** The author was an expert of the question's topic when answering. */
    expert: integer('expert', { mode: 'boolean' }).notNull().default(false),
    votes: integer('votes').notNull().default(0),
    /** Held for a moderator's approval (pre-moderation): only its author and moderators see it. */
    pending: integer('pending', { mode: 'boolean' }).notNull().default(false),
    /** Hidden by a moderator: gone for everyone but moderators until restored. */
    hiddenAt: text('hidden_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('answers_question_idx').on(t.questionId),
    index('answers_author_idx').on(t.authorId, t.createdAt),
    index('answers_pending_idx').on(t.questionId).where(sql`pending = 1`),
  ],
);

/** One row per user who voted a question up; a vote of 0 deletes the row. */
export const questionVotes = sqliteTable(
  'question_votes',
  {
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] })],
);

export const answerVotes = sqliteTable(
  'answer_votes',
  {
    answerId: text('answer_id')
      .notNull()
      .references(() => answers.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] })],
);

export type QuestionRow = typeof questions.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;
