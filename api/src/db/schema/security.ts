import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';
import { users } from './users';

/**
 * The `jti` of every identity token exchanged for a session, kept until the
 * token expires: a second exchange of the same token is a replay. Rows whose
 * `exp` has passed are deleted whenever another token is exchanged.
 */
export const usedJtis = sqliteTable(
  'used_jtis',
  {
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    jti: text('jti').notNull(),
    /** The token's `exp`, in seconds since the epoch. */
    exp: integer('exp').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.jti] }), index('used_jtis_exp_idx').on(t.exp)],
);

/**
 * One row per session token issued (its `sid` claim), so that a session can
 * be revoked before it expires: by signing out, or by blocking its user.
 * Checked on every request through the primary key, together with the user.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Fixed-window write counters, one row per key (`user:<id>`, `address:<ip>`,
 * `session:<ip>`), shared by every API process on the database: a limit
 * holds however many processes serve it. A row whose window has passed is
 * restarted by the next hit; rows of keys gone quiet are pruned now and then.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    /** Start of the current window, in milliseconds since the epoch. */
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowStart)],
);
