import { index, primaryKey, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users';

/**
 * The first response to a write sent with an `Idempotency-Key`, so that a
 * retry by the same user returns it instead of creating a second record.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** Method and path the key was first used with; another route with the same key conflicts. */
    route: text('route').notNull(),
    /** SHA-256 of the route and the validated body: the same key with another body is refused. */
    requestHash: text('request_hash'),
    status: integer('status').notNull(),
    response: text('response', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);
