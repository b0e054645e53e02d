import type { Db } from '../db/client';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const tails = new WeakMap<Db, Promise<unknown>>();
const commitListeners = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` after every write transaction on `db` commits; returns the way to stop. */
export function onCommit(db: Db, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (!listeners) commitListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

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
  run.then(
    () => commitListeners.get(db)?.forEach((listener) => listener()),
    () => undefined,
  );
  return run;
}
