import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';
import { users } from './users';

export type ContentType = 'question' | 'answer' | 'tip' | 'kudos';

/** A learner's report of a question, answer, tip or kudos; resolved by a moderator's action on it. */
export const reports = sqliteTable(
  'reports',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    itemType: text('item_type').$type<ContentType>().notNull(),
    itemId: text('item_id').notNull(),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull().default('open'),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by').references(() => users.id),
  },
  (t) => [
    // One open report per person and item: reporting again adds nothing until a moderator acts.
    uniqueIndex('reports_open_uq').on(t.itemType, t.itemId, t.reporterId).where(sql`status = 'open'`),
    index('reports_site_status_idx').on(t.siteId, t.status, t.createdAt),
    index('reports_item_idx').on(t.itemType, t.itemId),
  ],
);

/** Every moderator action: who did what to which record or person, why, and when. Never updated or deleted by the API. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    actorId: text('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action', { enum: ['hide', 'restore', 'approve', 'delete', 'block', 'unblock'] }).notNull(),
    targetType: text('target_type', { enum: ['question', 'answer', 'tip', 'kudos', 'user'] }).notNull(),
    targetId: text('target_id').notNull(),
    reason: text('reason'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('audit_log_site_idx').on(t.siteId, t.id)],
);

export type ReportRow = typeof reports.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
