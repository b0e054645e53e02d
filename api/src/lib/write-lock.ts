import type { Db } from '../db/client';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const commitListeners = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` after every write transaction on `db` commits; returns the way to stop. */
export function onCommit(db: Db, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (!listeners) commitListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

interface Queue {
  jobs: Job[];
  running: boolean;
}

const queues = new WeakMap<Db, Queue>();

/** Writes committed together at most: bounds how long one transaction holds the lock. */
const MAX_BATCH = 256;

/**
 * Runs `fn` in a write transaction and resolves once that transaction has
 * committed (durably: WAL with synchronous=FULL, one fsync per commit).
 *
 * Group commit: writes run one at a time per database handle, and those that
 * arrive while a commit is under way share the next transaction, each in its
 * own savepoint. A write that throws is rolled back to its savepoint and
 * rejected alone; the others are acknowledged only after their shared commit,
 * so an acknowledged write is on disk and one that fails leaves no trace. An
 * idle server commits each write at once; a busy one pays one fsync per batch
 * instead of one per write.
 *
 * One at a time because an embedded database's connections are synchronous:
 * a second connection of this process waiting for the write lock would block
 * the event loop that the first transaction needs to finish. Other processes
 * are kept apart by SQLite's lock and busy_timeout, and a libSQL server by
 * the server itself.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = { jobs: [], running: false }));
  const q = queue;
  return new Promise<T>((resolve, reject) => {
    q.jobs.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    if (!q.running) void drain(db, q);
  });
}

async function drain(db: Db, queue: Queue): Promise<void> {
  queue.running = true;
  while (queue.jobs.length > 0) {
    const batch = queue.jobs.splice(0, MAX_BATCH);
    if (batch.length === 1) {
      // Alone: the transaction is the job's own, exactly as without batching.
      const job = batch[0]!;
      try {
        const value = await db.transaction(job.fn);
        job.resolve(value);
        committed(db);
      } catch (err) {
        job.reject(err);
      }
      continue;
    }
    const acknowledge: Array<() => void> = [];
    const waiting = new Set(batch);
    try {
      await db.transaction(async (tx) => {
        for (const job of batch) {
          try {
            const value = await tx.transaction((savepoint) => job.fn(savepoint));
            acknowledge.push(() => job.resolve(value));
          } catch (err) {
            waiting.delete(job);
            job.reject(err);
          }
        }
      });
      for (const ack of acknowledge) ack();
      committed(db);
    } catch (err) {
      // The shared commit failed: nothing of the batch was written.
      for (const job of waiting) job.reject(err);
    }
  }
  queue.running = false;
}

function committed(db: Db): void {
  commitListeners.get(db)?.forEach((listener) => listener());
}
