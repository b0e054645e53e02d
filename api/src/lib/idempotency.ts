import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyKeys, type User } from '../db/schema/index';
import { ApiError, invalid } from './errors';
import { nowIso } from './ids';
import { writeTransaction, type Tx } from './write-lock';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export interface Created<T> {
  body: T;
  /** The response repeats the first one sent with the same key. */
  replayed: boolean;
}

/**
 * Runs a create in one write transaction. With an `Idempotency-Key`, the
 * first response is stored in the same transaction, and a retry with that
 * key by the same user returns it without creating anything: the widget
 * resends a draft that may already have arrived.
 */
export async function createOnce<T>(
  db: Db,
  user: User,
  key: string | undefined,
  route: string,
  create: (tx: Tx) => Promise<T>,
): Promise<Created<T>> {
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw invalid('Idempotency-Key', 'pattern', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  }
  return writeTransaction(db, async (tx) => {
    if (key !== undefined) {
      const [earlier] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, user.id), eq(idempotencyKeys.key, key)));
      if (earlier) {
        if (earlier.route !== route) throw new ApiError(409, 'conflict', 'this Idempotency-Key was already used for another request');
        return { body: earlier.response as T, replayed: true };
      }
    }
    const body = await create(tx);
    if (key !== undefined) {
      await tx.insert(idempotencyKeys).values({ userId: user.id, key, route, status: 201, response: body, createdAt: nowIso() });
    }
    return { body, replayed: false };
  });
}
