import { and, eq, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { answers, answerVotes, questions, questionVotes, tipHelpful, tips } from '../db/schema/index';
import { nowIso } from './ids';
import type { Tx } from './write-lock';

/**
 * A table of marks that each user sets at most once on a record (an upvote,
 * a "helpful"), and the column of that record which keeps their count.
 */
export interface MarkKind {
  marks: SQLiteTable;
  markTarget: SQLiteColumn;
  markUser: SQLiteColumn;
  markCreatedAt: SQLiteColumn;
  records: SQLiteTable;
  recordId: SQLiteColumn;
  recordCount: SQLiteColumn;
}

export const questionVoteMarks: MarkKind = {
  marks: questionVotes,
  markTarget: questionVotes.questionId,
  markUser: questionVotes.userId,
  markCreatedAt: questionVotes.createdAt,
  records: questions,
  recordId: questions.id,
  recordCount: questions.votes,
};

export const answerVoteMarks: MarkKind = {
  marks: answerVotes,
  markTarget: answerVotes.answerId,
  markUser: answerVotes.userId,
  markCreatedAt: answerVotes.createdAt,
  records: answers,
  recordId: answers.id,
  recordCount: answers.votes,
};

export const tipHelpfulMarks: MarkKind = {
  marks: tipHelpful,
  markTarget: tipHelpful.tipId,
  markUser: tipHelpful.userId,
  markCreatedAt: tipHelpful.createdAt,
  records: tips,
  recordId: tips.id,
  recordCount: tips.helpfulCount,
};

const name = (column: SQLiteColumn) => sql.identifier(column.name);

/**
 * Sets (`on`) or takes back `userId`'s mark on record `targetId`, inside the
 * caller's transaction, and returns the record's new count. Setting a mark
 * twice or taking back a missing one changes nothing.
 */
export async function setMark(tx: Tx, kind: MarkKind, targetId: string, userId: string, on: boolean): Promise<number> {
  if (on) {
    await tx.run(sql`insert into ${kind.marks} (${name(kind.markTarget)}, ${name(kind.markUser)}, ${name(kind.markCreatedAt)})
      values (${targetId}, ${userId}, ${nowIso()}) on conflict do nothing`);
  } else {
    await tx.delete(kind.marks).where(and(eq(kind.markTarget, targetId), eq(kind.markUser, userId)));
  }
  // Recounted, not incremented: a repeated mark can never skew the count.
  const [row] = await tx.all<{ count: number }>(sql`update ${kind.records}
    set ${name(kind.recordCount)} = (select count(*) from ${kind.marks} where ${kind.markTarget} = ${targetId})
    where ${kind.recordId} = ${targetId}
    returning ${name(kind.recordCount)} as count`);
  return row!.count;
}
