import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { LiveEvent } from '../../schemas';

/**
 * The durable log of what the live stream reports. Written in the same
 * transaction as the record it reports; its ids are the SSE event ids, so a
 * client that reconnects with `Last-Event-ID` is sent every later row.
 * AUTOINCREMENT: an id is never reused, even after the newest rows are deleted.
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: text('site_id').notNull(),
    type: text('type').$type<LiveEvent['type']>().notNull(),
    /** What a client subscribes to: `topic:<key>` or `wall:<key>`. */
    scope: text('scope').notNull(),
    payload: text('payload', { mode: 'json' }).$type<LiveEvent>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('events_site_id_idx').on(t.siteId, t.id)],
);

export type EventRow = typeof events.$inferSelect;
