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
    /** The record the event reports (`question`, `answer`, `tip`, `kudos`) and its question, if any. */
    itemType: text('item_type'),
    itemId: text('item_id'),
    questionId: text('question_id'),
    /**
     * The record (or its question) is hidden or pending: the stream neither
     * replays nor sends the event. Kept in step by lib/moderation.ts.
     */
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('events_site_id_idx').on(t.siteId, t.id),
    index('events_item_idx').on(t.itemId),
    index('events_question_idx').on(t.questionId),
  ],
);

export type EventRow = typeof events.$inferSelect;
