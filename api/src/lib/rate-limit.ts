import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimits } from '../db/schema/index';
import { ApiError } from './errors';
import { writeTransaction } from './write-lock';

export interface Limit {
  limit: number;
  windowMs: number;
}

/** About one hit in this many also deletes counters whose window ended long ago. */
const PRUNE_ONE_IN = 200;

/**
 * Counts one hit on `key` in the current fixed window (an upsert in the
 * database, so every API process counts into the same row) and refuses it
 * with 429 and Retry-After once the window holds more than `limit` hits.
 */
export async function hit(db: Db, key: string, { limit, windowMs }: Limit, what: string): Promise<void> {
  const now = Date.now();
  const windowStart = now - (now % windowMs);
  const row = await writeTransaction(db, async (tx) => {
    if (Math.random() * PRUNE_ONE_IN < 1) await tx.delete(rateLimits).where(lt(rateLimits.windowStart, windowStart - windowMs));
    const [row] = await tx
      .insert(rateLimits)
      .values({ key, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} = excluded.window_start then ${rateLimits.count} + 1 else 1 end`,
          windowStart: sql`excluded.window_start`,
        },
      })
      .returning();
    return row!;
  });
  if (row.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((row.windowStart + windowMs - now) / 1000));
    throw new ApiError(429, 'rate_limited', `too many ${what}: retry in ${retryAfter} s`, [
      { field: 'Retry-After', rule: 'rate_limited', message: `retry in ${retryAfter} s` },
    ]).withHeaders({ 'Retry-After': String(retryAfter) });
  }
}
