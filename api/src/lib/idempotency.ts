import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { idempotencyKeys, type User } from '../db/schema/index';
import { ApiError, invalid } from './errors';
import { nowIso } from './ids';
import { writeTransaction, type RequestWrites, type Tx } from './write-lock';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** How long a key is remembered: a retry comes within minutes; a day later the same key is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const hashOf = (route: string, request: unknown) => createHash('sha256').update(route).update('\n').update(JSON.stringify(request)).digest('base64url');

export interface Created<T> {
  body: T;
  /** The response repeats the first one sent with the same key. */
  replayed: boolean;
}

/**
 * Runs a create in one write transaction. With an `Idempotency-Key`, the
 * first response is stored in the same transaction, and a retry with that
 * key by the same user returns it without creating anything: the widget
 * resends a draft that may already have arrived. The same key with another
 * route or body is 409 (rule `idempotency_key_reused`); keys older than
 * 24 hours are forgotten (and pruned as new ones are stored).
 */
export async function createOnce<T>(
  on: RequestWrites,
  user: User,
  key: string | undefined,
  route: string,
  request: unknown,
  create: (tx: Tx) => Promise<T>,
): Promise<Created<T>> {
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw invalid('Idempotency-Key', 'pattern', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  }
  // Only a key's request is remembered: without one, nothing is hashed.
  const requestHash = key === undefined ? null : hashOf(route, request);
  return writeTransaction(on, async (tx) => {
    if (key !== undefined) {
      const expired = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
      const mine = and(eq(idempotencyKeys.userId, user.id), eq(idempotencyKeys.key, key));
      const [earlier] = await tx.select().from(idempotencyKeys).where(mine);
      if (earlier && earlier.createdAt < expired) await tx.delete(idempotencyKeys).where(mine);
      else if (earlier) {
        if (earlier.route !== route || (earlier.requestHash !== null && earlier.requestHash !== requestHash)) {
          const message = 'this Idempotency-Key was already used for another request: use a new key for a new request';
          throw new ApiError(409, 'conflict', message, [{ field: 'Idempotency-Key', rule: 'idempotency_key_reused', message }]);
        }
        return { body: earlier.response as T, replayed: true };
      }
    }
    const body = await create(tx);
    if (key !== undefined) {
      if (Math.random() < 0.01) await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()));
      await tx.insert(idempotencyKeys).values({ userId: user.id, key, route, requestHash, status: 201, response: body, createdAt: nowIso() });
    }
    return { body, replayed: false };
  });
}
