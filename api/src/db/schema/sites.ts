import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DEFAULT_BADGES, DEFAULT_REACTIONS } from '../../schemas';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** One embedding customer: who may embed the widgets and how learners sign in. */
export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Allowed CORS origins; a port may be `*` (`http://localhost:*`). */
  origins: text('origins', { mode: 'json' }).$type<string[]>().notNull(),
  guestsAllowed: integer('guests_allowed', { mode: 'boolean' }).notNull().default(false),
  anonymousQuestionsAllowed: integer('anonymous_questions_allowed', { mode: 'boolean' })
    .notNull()
    .default(true),
  /** The kudos badges learners choose from, in display order. */
  kudosBadges: text('kudos_badges', { mode: 'json' }).$type<string[]>().notNull().default([...DEFAULT_BADGES]),
  /** The emoji allowed as reactions on kudos, in display order. */
  reactions: text('reactions', { mode: 'json' }).$type<string[]>().notNull().default([...DEFAULT_REACTIONS]),
  /** Whose new content waits for a moderator's approval: nobody's, guests', or everyone's but moderators'. */
  premoderation: text('premoderation', { enum: ['off', 'guests', 'everyone'] }).notNull().default('off'),
  /**
   * Raised by triggers (migration 0008) in every transaction that changes what
   * a read of the site's questions returns, so every API process keys its
   * response cache and ETags by it and never serves a page older than a write.
   */
  contentVersion: integer('content_version').notNull().default(0),
  /**
   * Raised by triggers (migration 0011) in every transaction that changes a
   * session of the site's people (signed out, revoked) or one of those people
   * (renamed, blocked, given a role): each API process keeps the sessions it
   * has read while it stays the same (lib/sessions.ts).
   */
  peopleVersion: integer('people_version').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
});

/** HS256 secrets a site's host server signs identity tokens with; several at once for rotation. */
export const siteSecrets = sqliteTable(
  'site_secrets',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('site_secrets_site_idx').on(t.siteId)],
);

/**
 * Secrets of the API itself (the session-token signing key). Kept in the
 * database so that every API process serving it signs and verifies alike.
 */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export type Site = typeof sites.$inferSelect;
