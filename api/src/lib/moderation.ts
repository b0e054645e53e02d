import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { answers, auditLog, events, kudos, questions, reports, tips, users, type AuditRow, type Site, type User } from '../db/schema/index';
import type { ContentType, ModerationItem } from '../schemas';
import { notFound } from './errors';
import { nowIso } from './ids';
import { isModerator, publicUser } from './questions';
import { statementText, type Tx } from './write-lock';

type Reader = Db | Tx;

/** `viewer` is a moderator or admin of `siteId` (roles of another site's session do not apply). */
export const moderates = (viewer: User | null, siteId: string): boolean => !!viewer && viewer.siteId === siteId && isModerator(viewer);

/** Whose new content waits for approval on `site`: moderators are never held. */
export function premoderated(site: Site, user: User): boolean {
  if (isModerator(user)) return false;
  return site.premoderation === 'everyone' || (site.premoderation === 'guests' && user.guest);
}

interface Moderated {
  pending: SQLiteColumn;
  hiddenAt: SQLiteColumn;
}

/**
 * Neither pending nor hidden: what everyone may see. Literal values rather than
 * bound ones, so SQLite may answer it from the partial `*_published_*` indexes.
 */
export const published = (t: Moderated): SQL => sql`(${t.pending} = 0 and ${t.hiddenAt} is null)`;

/**
 * The rows of `t` (content of `siteId`, written by `author`) that `viewer`
 * may see: everything for a moderator of the site; published rows and their
 * own pending ones for anybody else. Undefined means no condition.
 */
export function visibleTo(t: Moderated, author: SQLiteColumn, viewer: User | null, siteId: string): SQL | undefined {
  if (moderates(viewer, siteId)) return undefined;
  if (!viewer || viewer.siteId !== siteId) return published(t);
  return or(published(t), and(isNull(t.hiddenAt), eq(author, viewer.id)));
}

/**
 * The rows of `visibleTo` that are not published, or undefined when `viewer` may see none: all of
 * them for a moderator, their own pending ones for an author. With `published`, the two halves of
 * `visibleTo` without overlap, for a list that reads each from its own partial index (questions'
 * `questions_unpublished_idx` and `questions_held_idx`, whose conditions these terms name literally).
 */
export function unpublishedVisibleTo(t: Moderated, author: SQLiteColumn, viewer: User | null, siteId: string): SQL | undefined {
  if (moderates(viewer, siteId)) return sql`(${t.pending} = 1 or ${t.hiddenAt} is not null)`;
  if (!viewer || viewer.siteId !== siteId) return undefined;
  return sql`(${t.pending} = 1 and ${t.hiddenAt} is null and ${author} = ${viewer.id})`;
}

/** The same rule for one row already read. */
export const canSee = (row: { pending: boolean; hiddenAt: string | null; siteId: string }, authorId: string, viewer: User | null): boolean =>
  moderates(viewer, row.siteId) || (!row.hiddenAt && (!row.pending || (!!viewer && viewer.siteId === row.siteId && viewer.id === authorId)));

/** The `pending` and `hidden` marks of a presented record, present only when true. */
export const moderationMarks = (row: { pending: boolean; hiddenAt: string | null }): { pending?: true; hidden?: true } => ({
  ...(row.pending ? { pending: true as const } : {}),
  ...(row.hiddenAt ? { hidden: true as const } : {}),
});

/** A question's answer count: the answers everyone may see. */
export async function recountAnswers(tx: Tx, questionId: string): Promise<void> {
  await tx
    .update(questions)
    .set({ answerCount: sql`(select count(*) from ${answers} where ${answers.questionId} = ${questionId} and ${published(answers)})` })
    .where(eq(questions.id, questionId));
}

const withheld = (table: string, id: string) => `exists (select 1 from ${table} where id = ${id} and (pending = 1 or hidden_at is not null))`;

/**
 * Whether the event in row `row` (its question_id, item_type and item_id) is
 * withheld from the stream: while its record or that record's question is
 * pending or hidden.
 */
const eventHidden = (row: string) =>
  sql.raw(`(
    (${row}.question_id is not null and ${withheld('questions', `${row}.question_id`)})
    or (${row}.item_type = 'answer' and ${withheld('answers', `${row}.item_id`)})
    or (${row}.item_type = 'tip' and ${withheld('tips', `${row}.item_id`)})
    or (${row}.item_type = 'kudos' and ${withheld('kudos', `${row}.item_id`)})
  )`);

/** Recomputes `events.hidden` for the events of one record (and, for a question, of its answers). */
export async function refreshEventVisibility(tx: Tx, where: SQL): Promise<void> {
  await tx.run(sql`update ${events} set hidden = ${eventHidden('events')} where ${where}`);
}

/**
 * The insert of one event, its `hidden` set as refreshEventVisibility would
 * set it, in the same statement: every write that records an event runs it
 * (prepared once: write-lock.ts txRow). Its values, in order: site_id, type,
 * scope, payload, item_type, item_id, question_id, created_at.
 */
export const INSERT_EVENT = statementText(sql`insert into ${events} (site_id, type, scope, payload, item_type, item_id, question_id, created_at, hidden)
  select site_id, type, scope, payload, item_type, item_id, question_id, created_at, ${eventHidden('event')}
  from (select ? as site_id, ? as type, ? as scope, ? as payload, ? as item_type, ? as item_id, ? as question_id, ? as created_at) as event`);

export const eventsOfItem = (type: ContentType, id: string): SQL =>
  type === 'question' ? eq(events.questionId, id) : and(eq(events.itemType, type), eq(events.itemId, id))!;

/** One record under moderation, whatever its type. */
export interface Content {
  type: ContentType;
  id: string;
  siteId: string;
  authorId: string;
  pending: boolean;
  hiddenAt: string | null;
  topic: string | null;
  wall: string | null;
  questionId: string | null;
  title: string | null;
  text: string;
  anonymous: boolean;
  createdAt: string;
}

/** Record `id` of `type` on `siteId`, or 404: a record of another site is as unknown as a missing one. */
export async function contentOf(db: Reader, siteId: string, type: ContentType, id: string): Promise<Content> {
  const base = { type, id };
  if (type === 'question') {
    const [q] = await db.select().from(questions).where(and(eq(questions.id, id), eq(questions.siteId, siteId)));
    if (q) return { ...base, siteId, authorId: q.authorId, pending: q.pending, hiddenAt: q.hiddenAt, topic: q.topic, wall: null, questionId: q.id, title: q.title, text: q.body, anonymous: q.anonymous, createdAt: q.createdAt };
  } else if (type === 'answer') {
    const [row] = await db
      .select({ a: answers, topic: questions.topic })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(eq(answers.id, id), eq(questions.siteId, siteId)));
    if (row) {
      const a = row.a;
      return { ...base, siteId, authorId: a.authorId, pending: a.pending, hiddenAt: a.hiddenAt, topic: row.topic, wall: null, questionId: a.questionId, title: null, text: a.body, anonymous: false, createdAt: a.createdAt };
    }
  } else if (type === 'tip') {
    const [t] = await db.select().from(tips).where(and(eq(tips.id, id), eq(tips.siteId, siteId)));
    if (t) return { ...base, siteId, authorId: t.authorId, pending: t.pending, hiddenAt: t.hiddenAt, topic: t.topic, wall: null, questionId: null, title: null, text: t.body, anonymous: false, createdAt: t.createdAt };
  } else {
    const [k] = await db.select().from(kudos).where(and(eq(kudos.id, id), eq(kudos.siteId, siteId)));
    if (k) return { ...base, siteId, authorId: k.fromUserId, pending: k.pending, hiddenAt: k.hiddenAt, topic: null, wall: k.wall, questionId: null, title: null, text: k.message, anonymous: false, createdAt: k.createdAt };
  }
  throw notFound(type);
}

const tableOf = { question: questions, answer: answers, tip: tips, kudos } as const;

/** Sets a record's moderation state (`pending`, `hiddenAt`). */
export async function setModeration(tx: Tx, type: ContentType, id: string, state: { pending?: boolean; hiddenAt?: string | null }): Promise<void> {
  const table = tableOf[type];
  await tx.update(table).set(state).where(eq(table.id, id));
}

/** Closes the open reports of a record: a moderator has acted on it. */
export async function resolveReports(tx: Tx, type: ContentType, id: string, moderator: User): Promise<void> {
  await tx
    .update(reports)
    .set({ status: 'resolved', resolvedAt: nowIso(), resolvedBy: moderator.id })
    .where(and(eq(reports.itemType, type), eq(reports.itemId, id), eq(reports.status, 'open')));
}

export async function audit(
  tx: Tx,
  actor: User,
  action: AuditRow['action'],
  targetType: AuditRow['targetType'],
  targetId: string,
  reason: string | undefined,
): Promise<void> {
  await tx.insert(auditLog).values({ siteId: actor.siteId, actorId: actor.id, action, targetType, targetId, reason: reason ?? null, createdAt: nowIso() });
}

/** A record as the moderation queue shows it: real author, marks and every report, newest first. */
export async function moderationItem(db: Reader, content: Content): Promise<ModerationItem> {
  const [author] = await db.select().from(users).where(eq(users.id, content.authorId));
  const rows = await db
    .select({ r: reports, reporter: users })
    .from(reports)
    .innerJoin(users, eq(users.id, reports.reporterId))
    .where(and(eq(reports.itemType, content.type), eq(reports.itemId, content.id)))
    .orderBy(desc(reports.createdAt), desc(reports.id));
  return {
    type: content.type,
    id: content.id,
    site: content.siteId,
    topic: content.topic,
    wall: content.wall,
    questionId: content.questionId,
    title: content.title,
    text: content.text,
    author: publicUser(author!),
    authorBlocked: !!author!.blockedAt,
    anonymous: content.anonymous,
    hidden: !!content.hiddenAt,
    pending: content.pending,
    createdAt: content.createdAt,
    reports: rows.map(({ r, reporter }) => ({
      id: r.id,
      reporter: publicUser(reporter),
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
    })),
  };
}
