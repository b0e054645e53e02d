import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';
import { users } from './users';

export const tips = sqliteTable(
  'tips',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull(),
    body: text('body').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    /** Denormalised count of tip_helpful rows, recomputed in the transaction that changes them. */
    helpfulCount: integer('helpful_count').notNull().default(0),
    /** Held for a moderator's approval (pre-moderation): only its author and moderators see it. */
    pending: integer('pending', { mode: 'boolean' }).notNull().default(false),
    /** Hidden by a moderator: gone for everyone but moderators until restored. */
    hiddenAt: text('hidden_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('tips_topic_recent_idx').on(t.siteId, t.topic, t.createdAt, t.id),
    index('tips_topic_helpful_idx').on(t.siteId, t.topic, t.helpfulCount, t.createdAt, t.id),
    index('tips_author_idx').on(t.authorId, t.createdAt),
    index('tips_pending_idx').on(t.siteId, t.createdAt).where(sql`pending = 1`),
  ],
);

/**
 * A tip's tags, one row each. Site and topic are copied from the tip (which
 * never changes them) so that "tips of a topic with tag X" and "tags of a
 * topic by use" are both answered from one index.
 */
export const tipTags = sqliteTable(
  'tip_tags',
  {
    tipId: text('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    siteId: text('site_id').notNull(),
    topic: text('topic').notNull(),
    tag: text('tag').notNull(),
    /** The tag's place in the author's list, which is the order shown. */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tipId, t.tag] }), index('tip_tags_topic_tag_idx').on(t.siteId, t.topic, t.tag, t.tipId)],
);

/** One row per user who marked a tip helpful; taking the mark back deletes the row. */
export const tipHelpful = sqliteTable(
  'tip_helpful',
  {
    tipId: text('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tipId, t.userId] })],
);

export type TipRow = typeof tips.$inferSelect;
