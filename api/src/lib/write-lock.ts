import type { Db } from '../db/client';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const tails = new WeakMap<Db, Promise<unknown>>();

/**
 * Runs `fn` in one write transaction, one at a time per database handle.
 *
 * An embedded database's connections are synchronous: a second connection of
 * this process waiting for the write lock would block the event loop that the
 * first transaction needs to finish. Queuing writes here avoids that; other
 * processes are kept apart by SQLite's lock and busy_timeout, and a libSQL
 * server by the server itself.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const previous = tails.get(db) ?? Promise.resolve();
  const run = previous.then(
    () => db.transaction(fn),
    () => db.transaction(fn),
  );
  tails.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}
