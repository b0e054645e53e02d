import { getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { answers, kudos, questions, tips } from '../db/schema/index';
import { ApiError } from './errors';
import { txRow, type Tx } from './write-lock';

/** Text as a repeat is recognised: case, white space and compatibility forms aside. */
const comparable = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

interface Authored {
  table: SQLiteTable;
  author: SQLiteColumn;
  createdAt: SQLiteColumn;
  text: SQLiteColumn[];
}

const kinds = {
  question: { table: questions, author: questions.authorId, createdAt: questions.createdAt, text: [questions.title, questions.body] },
  answer: { table: answers, author: answers.authorId, createdAt: answers.createdAt, text: [answers.body] },
  tip: { table: tips, author: tips.authorId, createdAt: tips.createdAt, text: [tips.body] },
  // The same thanks to someone else, or for another answer, is no repeat ("Thank you for your answer!").
  kudos: { table: kudos, author: kudos.fromUserId, createdAt: kudos.createdAt, text: [kudos.toUserId, kudos.forAnswerId, kudos.message] },
} satisfies Record<string, Authored>;

const latestTexts = new Map<Authored, string>();

/** The statement that reads the text of an author's latest record of a kind (prepared once: write-lock.ts txRow). */
function latestText(k: Authored): string {
  let text = latestTexts.get(k);
  if (!text) {
    const columns = k.text.map((column) => `"${column.name}"`).join(', ');
    text = `select ${columns} from "${getTableName(k.table)}" where "${k.author.name}" = ? order by "${k.createdAt.name}" desc limit 1`;
    latestTexts.set(k, text);
  }
  return text;
}

/**
 * Refuses (409, rule `duplicate`) the same text posted twice in a row by one
 * person: a double submit or a flood. Compared with the person's latest record
 * of the same kind only, through the (author, created_at) index. A retry with
 * the same Idempotency-Key is answered before this runs.
 */
export async function refuseRepeat(tx: Tx, kind: keyof typeof kinds, authorId: string, text: string[]): Promise<void> {
  const latest = await txRow(tx, latestText(kinds[kind]), [authorId]);
  if (!latest) return;
  if (comparable(Object.values(latest).join('\n')) === comparable(text.join('\n'))) {
    const message = `you just posted this same ${kind}`;
    throw new ApiError(409, 'conflict', message, [{ field: kind === 'kudos' ? 'message' : 'body', rule: 'duplicate', message }]);
  }
}
