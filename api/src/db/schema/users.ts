import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** A learner of one site, as the host's identity token (or a guest name) described them last. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** The host's `sub`; a fresh random one for each guest. */
    subject: text('subject').notNull(),
    name: text('name').notNull(),
    /** `name` folded for prefix search (lib/people.ts `nameKey`): lower case, no accents. */
    nameKey: text('name_key').notNull(),
    picture: text('picture'),
    email: text('email'),
    guest: integer('guest', { mode: 'boolean' }).notNull().default(false),
    roles: text('roles', { mode: 'json' }).$type<Array<'moderator' | 'admin'>>().notNull(),
    expertTopics: text('expert_topics', { mode: 'json' }).$type<string[]>().notNull(),
    /** Blocked by a moderator: may read, may not write. */
    blockedAt: text('blocked_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('users_site_subject_uq').on(t.siteId, t.subject), index('users_site_name_key_idx').on(t.siteId, t.nameKey, t.id)],
);

export type User = typeof users.$inferSelect;
