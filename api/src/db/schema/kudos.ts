import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { answers } from './questions';
import { sites } from './sites';
import { users } from './users';

/** Thanks from one person of a site to another, on a wall. */
export const kudos = sqliteTable(
  'kudos',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    wall: text('wall').notNull(),
    fromUserId: text('from_user_id')
      .notNull()
      .references(() => users.id),
    toUserId: text('to_user_id')
      .notNull()
      .references(() => users.id),
    message: text('message').notNull(),
    badge: text('badge').notNull(),
    /** The answer this thanks for, when the asker thanked its author from the question. */
    forAnswerId: text('for_answer_id').references(() => answers.id, { onDelete: 'set null' }),
    /** Held for a moderator's approval (pre-moderation): only its author and moderators see it. */
    pending: integer('pending', { mode: 'boolean' }).notNull().default(false),
    /** Hidden by a moderator: gone for everyone but moderators until restored. */
    hiddenAt: text('hidden_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('kudos_wall_recent_idx').on(t.siteId, t.wall, t.createdAt, t.id),
    // Leaderboards count kudos per recipient over a period: of a wall, or of the whole site.
    index('kudos_wall_recipient_idx').on(t.siteId, t.wall, t.toUserId, t.createdAt),
    index('kudos_site_recipient_idx').on(t.siteId, t.toUserId, t.createdAt),
    index('kudos_from_idx').on(t.fromUserId, t.createdAt),
    index('kudos_pending_idx').on(t.siteId, t.createdAt).where(sql`pending = 1`),
  ],
);

/** One row per person and emoji on a kudos; reacting again with the same emoji deletes it. */
export const kudosReactions = sqliteTable(
  'kudos_reactions',
  {
    kudosId: text('kudos_id')
      .notNull()
      .references(() => kudos.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kudosId, t.userId, t.emoji] })],
);

export type KudosRow = typeof kudos.$inferSelect;
