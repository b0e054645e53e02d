import { getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { answers, answerVotes, questions, questionVotes, tipHelpful, tips } from '../db/schema/index';
import { nowIso } from './ids';
import { txRow, type Tx } from './write-lock';

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

/** The statements of a kind of mark, as text: prepared once on an embedded file (write-lock.ts txRow). */
interface MarkStatements {
  set: string;
  takeBack: string;
  recount: string;
}

const statementsOf = new WeakMap<MarkKind, MarkStatements>();

function markStatements(kind: MarkKind): MarkStatements {
  let statements = statementsOf.get(kind);
  if (!statements) {
    const marks = `"${getTableName(kind.marks)}"`;
    const [target, user, createdAt] = [kind.markTarget, kind.markUser, kind.markCreatedAt].map((column) => `"${column.name}"`);
    const count = `"${kind.recordCount.name}"`;
    statements = {
      set: `insert into ${marks} (${target}, ${user}, ${createdAt}) values (?, ?, ?) on conflict do nothing`,
      takeBack: `delete from ${marks} where ${target} = ? and ${user} = ?`,
      // Recounted, not incremented: a repeated mark can never skew the count.
      recount: `update "${getTableName(kind.records)}" set ${count} = (select count(*) from ${marks} where ${target} = ?)
        where "${kind.recordId.name}" = ? returning ${count} as count`,
    };
    statementsOf.set(kind, statements);
  }
  return statements;
}

/**
 * Sets (`on`) or takes back `userId`'s mark on record `targetId`, inside the
 * caller's transaction, and returns the record's new count. Setting a mark
 * twice or taking back a missing one changes nothing.
 */
export async function setMark(tx: Tx, kind: MarkKind, targetId: string, userId: string, on: boolean): Promise<number> {
  const statements = markStatements(kind);
  if (on) await txRow(tx, statements.set, [targetId, userId, nowIso()]);
  else await txRow(tx, statements.takeBack, [targetId, userId]);
  const row = await txRow<{ count: number }>(tx, statements.recount, [targetId, targetId]);
  return Number(row!.count);
}
