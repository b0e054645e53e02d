import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { invalid } from './errors';

/** Keyset position after the last item of a page: opaque to clients. */
export interface CursorPosition {
  createdAt: string;
  id: string;
  /** The leading count of a count-first order (votes, helpful marks). */
  count?: number;
}

export const encodeCursor = (p: CursorPosition): string => Buffer.from(JSON.stringify([p.createdAt, p.id, p.count ?? null])).toString('base64url');

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const count = value[2];
      if (count === null) return { createdAt: value[0], id: value[1] };
      if (typeof count === 'number' && Number.isInteger(count)) return { createdAt: value[0], id: value[1], count };
    }
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw invalid('cursor', 'invalid', 'cursor is not one this API returned');
}

/** The columns a list pages through: newest first, or most `count` first and then newest. */
export interface KeysetColumns {
  createdAt: SQLiteColumn;
  id: SQLiteColumn;
  count?: SQLiteColumn;
}

export const keysetOrder = (k: KeysetColumns): SQL[] => [...(k.count ? [desc(k.count)] : []), desc(k.createdAt), desc(k.id)];

/** The rows that come after `cursor` in `keysetOrder(k)`. */
export function afterCursor(cursor: string, k: KeysetColumns): SQL {
  const at = decodeCursor(cursor);
  const older = or(lt(k.createdAt, at.createdAt), and(eq(k.createdAt, at.createdAt), lt(k.id, at.id)))!;
  if (!k.count) return older;
  if (at.count === undefined) throw invalid('cursor', 'invalid', 'cursor belongs to another sort order');
  return or(lt(k.count, at.count), and(eq(k.count, at.count), older))!;
}

/**
 * A page of the `items` presented from `rows`, which were fetched with one
 * row more than `limit` to learn whether another page follows.
 */
export function pageOf<R, I>(rows: R[], items: I[], limit: number, positionOf: (row: R) => CursorPosition) {
  const last = rows[limit - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(positionOf(last)) : null;
  return { items: items.slice(0, limit), nextCursor };
}
