import { and, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimits } from '../db/schema/index';
import { ApiError } from './errors';
import type { InValue } from '@libsql/client';
import { txRows, writeTransaction, type Prelude, type Tx } from './write-lock';

export interface Limit {
  limit: number;
  windowMs: number;
}

/**
 * One counter a request counts into: its key, limit, and what the 429 says is
 * too many. The key's prefix up to its first `:` names the kind of counter,
 * and every key of one kind is counted with the same limit.
 */
export interface Hit {
  key: string;
  limit: Limit;
  what: string;
}

/** The upsert of `n` counters in one statement: each a row of the VALUES, each returned with its new count. */
function countHitsText(n: number): string {
  return `insert into rate_limits (key, window_start, count) values ${Array.from({ length: n }, () => '(?, ?, 1)').join(', ')}
  on conflict (key) do update set
    count = case when window_start = excluded.window_start then count + 1 else 1 end,
    window_start = excluded.window_start
  returning key, count, window_start as windowStart`;
}

/** Statement texts by number of counters (a request counts one or two): built once, prepared once. */
const countHitsTexts: string[] = [];

/** About one hit in this many also deletes counters whose window ended long ago. */
const PRUNE_ONE_IN = 200;

/**
 * Counts one hit on each of `hits` in its current fixed window, in `tx`, by
 * one upsert in the database (so every API process counts into the same
 * rows), and refuses the request with 429 and Retry-After if a window now
 * holds more than its limit: the first of `hits` over its limit is named.
 * A refusal rolls the counts back with the rest of the request's work.
 */
export async function countHits(tx: Tx, hits: Hit[]): Promise<void> {
  const now = Date.now();
  const args: InValue[] = [];
  for (const { key, limit: { windowMs } } of hits) {
    const windowStart = now - (now % windowMs);
    if (Math.random() * PRUNE_ONE_IN < 1) {
      // Only counters of this hit's own kind (the key's prefix names its limit): another kind's window may be
      // longer, and its current counter older than this window, so pruning it would forgive its hits.
      const kind = key.slice(0, key.indexOf(':') + 1);
      await tx
        .delete(rateLimits)
        .where(and(lt(rateLimits.windowStart, windowStart - windowMs), gte(rateLimits.key, kind), lt(rateLimits.key, `${kind}\uffff`)));
    }
    args.push(key, windowStart);
  }
  // One statement, its text the same every time (prepared once on an embedded file): the hottest of every write.
  const text = (countHitsTexts[hits.length] ??= countHitsText(hits.length));
  const rows = await txRows<{ key: string; count: number; windowStart: number }>(tx, text, args);
  for (const { key, limit: { limit, windowMs }, what } of hits) {
    const row = rows.find((r) => r.key === key)!;
    if (Number(row.count) > limit) {
      const retryAfter = Math.max(1, Math.ceil((Number(row.windowStart) + windowMs - now) / 1000));
      throw new ApiError(429, 'rate_limited', `too many ${what}: retry in ${retryAfter} s`, [
        { field: 'Retry-After', rule: 'rate_limited', message: `retry in ${retryAfter} s` },
      ]).withHeaders({ 'Retry-After': String(retryAfter) });
    }
  }
}

/** Counts one hit on each of `hits`, in order, in a write transaction of its own (429 at the first over its limit). */
export async function hit(db: Db, ...hits: Hit[]): Promise<void> {
  await writeTransaction(db, (tx) => countHits(tx, hits));
}

/**
 * Runs a request's handling (`next`) with `hits` counted: at the start of its
 * first write transaction, in that transaction, so that a write pays for its
 * limits with no commit of their own, and a 429 refuses it before it writes
 * anything. A request that commits no write (refused, not found, invalid, or
 * one whose write failed and was rolled back with its counts) is counted
 * afterwards in a transaction of its own, and answered 429 if that passes a
 * limit: every request counts, as when the limits were counted up front.
 */
export async function countedRequest(db: Db, hits: Hit[], next: (prelude: Prelude) => Promise<void>): Promise<void> {
  const prelude: Prelude = {
    claimed: false,
    done: false,
    run: (tx) => countHits(tx, hits),
  };
  await next(prelude);
  if (!prelude.done) await hit(db, ...hits);
}
