import { close as closeFile, fsync, open } from 'node:fs';
import type { Client, InStatement, InValue, ResultSet, Row } from '@libsql/client';
import { is, Placeholder, sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import Database from 'libsql';
import { endTurn, fileOf, namedRow, renderedSql, type Db } from '../db/client';
import * as schema from '../db/schema/index';
import { Checkpointer } from './checkpoints';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const commitListeners = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` after every write transaction on `db` commits; returns the way to stop. */
export function onCommit(db: Db, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (!listeners) commitListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Work that a request asks to be done at the start of its first write
 * transaction, in that same transaction (lib/rate-limit.ts counts its hits
 * there, so a write pays one commit, not three). `done` is set once it has
 * run in a transaction that committed, or refused the request itself.
 */
export interface Prelude {
  run(tx: Tx): Promise<void>;
  claimed: boolean;
  done: boolean;
}

/**
 * Where a request's writes go: its database and its prelude (`c.var` of a
 * request, which has both). Passed along explicitly rather than found in an
 * AsyncLocalStorage: on Node 20 that turns on a hook for every promise the
 * process makes, about 8 % of a vote's CPU (measured).
 */
export interface RequestWrites {
  db: Db;
  prelude: Prelude | null;
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  prelude: Prelude | null;
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
 * committed durably (on a file: once an fsync of the WAL begun after the
 * commit has returned; see writerOf).
 *
 * Group commit: writes run one at a time per database handle, and those that
 * arrive in the same turn of the event loop, or while a commit is under way,
 * share the next transaction, each in its own savepoint. A write that throws is rolled back to its savepoint and
 * rejected alone; the others are acknowledged only after their shared commit,
 * so an acknowledged write is on disk and one that fails leaves no trace. An
 * idle server commits each write at the end of its turn; a busy one pays one fsync per batch
 * instead of one per write, and runs the next batch while that fsync is under
 * way. Given a request's `c.var` (RequestWrites) rather than a bare handle,
 * the request's first write begins with the request's prelude (its rate-limit
 * counters, lib/rate-limit.ts), in the same savepoint.
 *
 * One at a time because an embedded database's connections are synchronous:
 * a second connection of this process waiting for the write lock would block
 * the event loop that the first transaction needs to finish. Other processes
 * are kept apart by SQLite's lock and busy_timeout, and a libSQL server by
 * the server itself.
 *
 * On an embedded file, the transactions run on a `libsql` connection kept for
 * writing, whose statements are prepared once and reused (see PreparedWrites);
 * behind a server they go through the handle's client.
 */
export function writeTransaction<T>(on: Db | RequestWrites, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const [db, requestPrelude] = 'prelude' in on ? [on.db, on.prelude] : [on, null];
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = { jobs: [], running: false }));
  const q = queue;
  // The request's prelude goes with its first write only.
  let prelude = requestPrelude;
  if (prelude?.claimed) prelude = null;
  else if (prelude) prelude.claimed = true;
  return new Promise<T>((resolve, reject) => {
    q.jobs.push({ fn, prelude, resolve: resolve as (value: unknown) => void, reject });
    if (!q.running) {
      // Drained on the next turn of the event loop, so that the writes of every request read in this turn share
      // one transaction: on an embedded file a transaction runs start to commit without yielding to I/O, so no
      // write would ever arrive while another is under way, and each would pay a commit of its own.
      q.running = true;
      setImmediate(() => void drain(db, q));
      // Writes it refuses are answered in this check phase, and read (their CORS check): what they share ends with it.
      setImmediate(endTurn);
    }
  });
}

/** The job's prelude, then its work; a prelude that refuses the request counts as done (nothing more to count). */
async function runJob(job: Job, tx: Tx): Promise<unknown> {
  if (job.prelude) {
    try {
      await job.prelude.run(tx);
    } catch (err) {
      job.prelude.done = true;
      throw err;
    }
  }
  return job.fn(tx);
}

function acknowledged(job: Job, value: unknown): void {
  if (job.prelude) job.prelude.done = true;
  job.resolve(value);
}

/** How drain opens a transaction and a savepoint in it, each given the Tx its work runs in. */
interface Transactions {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  savepoint<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Through drizzle, which builds a transaction object (and its query builders) for each transaction and savepoint. */
const drizzleTransactions = (writer: Db): Transactions => ({
  transaction: (fn) => writer.transaction(fn),
  savepoint: (tx, fn) => tx.transaction(fn),
});

/**
 * On the writing connection of a file: BEGIN, SAVEPOINT and the rest said
 * to the connection itself, every job given the same Tx (its statements go
 * to the connection as they come; only nested transactions would tell it
 * apart, and jobs open none). drizzle's own built a transaction object with
 * a query builder per table for each job, about 2 % of a write's CPU.
 */
function directTransactions(direct: PreparedWrites, tx: Tx): Transactions {
  return {
    async transaction(fn) {
      direct.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(tx);
        direct.exec('COMMIT');
        return value;
      } catch (err) {
        direct.rollback();
        throw err;
      }
    },
    async savepoint(_tx, fn) {
      // Outside a transaction (one a failed statement ended) SAVEPOINT would begin one of its own: fail instead.
      if (!direct.inTransaction) throw new Error('the shared write transaction ended early');
      direct.exec('SAVEPOINT job');
      try {
        const value = await fn(tx);
        direct.exec('RELEASE job');
        return value;
      } catch (err) {
        // A statement that failed may have ended the whole transaction (SQLITE_FULL, IOERR): its own error is the one to tell.
        if (direct.inTransaction) {
          direct.exec('ROLLBACK TO job');
          direct.exec('RELEASE job');
        }
        throw err;
      }
    },
  };
}

async function drain(db: Db, queue: Queue): Promise<void> {
  queue.running = true;
  const writer = writerOf(db);
  const { durable, direct, checkpoints } = writer;
  try {
    writer.transactions ??= direct ? directTransactions(direct, await directTx(writer.db, direct)) : drizzleTransactions(writer.db);
  } catch (err) {
    // The shared Tx is taken from one empty transaction, whose BEGIN waits for another process's write lock at
    // most busy_timeout: then the writes queued fail, as their own BEGIN would have, and the next write tries again.
    for (const job of queue.jobs.splice(0)) job.reject(err);
    queue.running = false;
    return;
  }
  const { transaction, savepoint } = writer.transactions;
  // Each batch is acknowledged once its commit is on disk; meanwhile the next batch already runs.
  const once = (committedJobs: Array<[Job, unknown]>, failed: Set<Job>) =>
    durable().then(
      () => {
        for (const [job, value] of committedJobs) acknowledged(job, value);
        committed(db);
      },
      // Committed but not known to be on disk: none of them is acknowledged.
      (err: unknown) => {
        for (const [job] of committedJobs) if (!failed.has(job)) job.reject(err);
      },
    );
  while (queue.jobs.length > 0) {
    if (checkpoints?.pause) await checkpoints.pause;
    const batch = queue.jobs.splice(0, MAX_BATCH);
    if (batch.length === 1) {
      // Alone: the transaction is the job's own, exactly as without batching.
      const job = batch[0]!;
      try {
        const value = await transaction((tx) => runJob(job, tx));
        checkpoints?.committed();
        void once([[job, value]], new Set());
      } catch (err) {
        job.reject(err);
      }
      continue;
    }
    const done: Array<[Job, unknown]> = [];
    const failed = new Set<Job>();
    try {
      await transaction(async (tx) => {
        for (const job of batch) {
          try {
            done.push([job, await savepoint(tx, (inner) => runJob(job, inner))]);
          } catch (err) {
            failed.add(job);
            job.reject(err);
          }
        }
      });
      checkpoints?.committed();
      void once(done, failed);
    } catch (err) {
      // The shared commit failed: nothing of the batch was written.
      for (const job of batch) if (!failed.has(job)) job.reject(err);
    }
  }
  queue.running = false;
}

/**
 * The Tx every job on the writing connection runs with: drizzle's own, taken
 * from one empty transaction. It keeps no state of that transaction: its
 * statements go to PreparedWrites, which runs them on the connection.
 */
async function directTx(writer: Db, direct: PreparedWrites): Promise<Tx> {
  const tx = await writer.transaction(async (tx) => tx);
  directOf.set(tx, direct);
  return tx;
}

const closing = new WeakMap<Db, Promise<void>>();

/**
 * Resolves once what `db.$client.close()` began has ended: the checkpoint worker's last
 * checkpoint and its exit. A process waits for it before it exits.
 */
export function closed(db: Db): Promise<void> {
  return closing.get(db) ?? Promise.resolve();
}

function committed(db: Db): void {
  commitListeners.get(db)?.forEach((listener) => listener());
}

/** The writing connection a job's transaction runs on (embedded files only), set once for the shared Tx in `directTx`. */
const directOf = new WeakMap<Tx, PreparedWrites>();

/**
 * Runs `text`, one statement with `?` for each of `args` (in order, none
 * inside a string literal), in the transaction `tx` given to a
 * writeTransaction job, and returns its first row as an object by column
 * name (undefined when it returns none). On an embedded file it is prepared
 * once on the writing connection and run with no query building, for the
 * hottest statements of every write; behind a server (or in a nested
 * transaction) it goes through drizzle as any statement does.
 */
export async function txRow<T extends Record<string, unknown>>(tx: Tx, text: string, args: InValue[]): Promise<T | undefined> {
  const direct = directOf.get(tx);
  if (direct) return direct.row(text, args) as T | undefined;
  const [row] = await tx.all<T>(withArgs(text, args));
  return row;
}

/** txRow's every row: for a statement that returns several (an upsert of several rows, say). */
export async function txRows<T extends Record<string, unknown>>(tx: Tx, text: string, args: InValue[]): Promise<T[]> {
  const direct = directOf.get(tx);
  if (direct) return direct.rows(text, args) as T[];
  return tx.all<T>(withArgs(text, args));
}

/**
 * The text of drizzle `query` for txRow, to build once: every value in it
 * must be a `sql.placeholder`, each becoming a `?` bound in order.
 */
export function statementText(query: SQL): string {
  const { sql: text, params } = renderedSql(query);
  if (!params.every((param) => is(param, Placeholder))) throw new Error(`statementText takes placeholders only: ${text}`);
  return text;
}

/** `text` with its `?` bound to `args`, as drizzle SQL. */
function withArgs(text: string, args: InValue[]): SQL {
  const parts = text.split('?');
  if (parts.length !== args.length + 1) throw new Error(`${args.length} arguments for ${parts.length - 1} placeholders: ${text}`);
  return sql.join(parts.flatMap((part, i) => (i === 0 ? [sql.raw(part)] : [sql.param(args[i - 1]), sql.raw(part)])));
}

interface Writer {
  db: Db;
  /** On a file, the writing connection's prepared statements, for txRow; null behind a server. */
  direct: PreparedWrites | null;
  /** On a file, what checkpoints its WAL off the event loop (lib/checkpoints.ts); null behind a server. */
  checkpoints: Checkpointer | null;
  /** How drain runs transactions on `db`, set at its first drain. */
  transactions?: Transactions;
  /**
   * Resolves once every transaction committed so far is on disk: at the end
   * of an fsync begun after the call. One fsync at a time; the commits that
   * come during one share the next.
   */
  durable(): Promise<void>;
}

/** `durable` for `sync`, an fsync of everything written so far. */
function coalesced(sync: () => Promise<void>): () => Promise<void> {
  let running = false;
  let waiting: Array<{ resolve(): void; reject(err: unknown): void }> = [];
  const start = () => {
    running = true;
    const group = waiting;
    waiting = [];
    sync().then(
      () => group.forEach((w) => w.resolve()),
      (err: unknown) => group.forEach((w) => w.reject(err)),
    ).finally(() => {
      running = false;
      if (waiting.length > 0) start();
    });
  };
  return () =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (!running) start();
    });
}

/**
 * An fsync of the file at `path`, through one descriptor, opened by the first sync that finds the
 * file and kept until `release`: opening and closing it at every sync was about 2 % of a write's
 * event loop. A WAL file keeps its descriptor valid while the writing connection is open: SQLite
 * truncates it but deletes it only when the last connection to the database closes. `release`
 * closes the descriptor once no sync is using it (a sync still in the thread pool would
 * otherwise fail, or sync whatever file took its number); a sync after it opens one of its own.
 */
function fileSync(path: string): { sync(): Promise<void>; release(): void } {
  let fd: number | null = null;
  let syncing = 0;
  let released = false;
  const closeIfIdle = () => {
    if (!released || syncing > 0 || fd === null) return;
    closeFile(fd, () => undefined);
    fd = null;
  };
  return {
    sync: () =>
      new Promise<void>((resolve, reject) => {
        syncing++;
        const done = (err: NodeJS.ErrnoException | null) => {
          syncing--;
          closeIfIdle();
          if (err) reject(err);
          else resolve();
        };
        if (fd !== null) return fsync(fd, done);
        open(path, 'r', (err, opened) => {
          // No WAL file: nothing was written to one, or everything was checkpointed into the database file and synced there.
          if (err) return done(err.code === 'ENOENT' ? null : err);
          // (One sync at a time (coalesced), so no other opened one meanwhile.)
          fd = opened;
          fsync(opened, done);
        });
      }),
    release() {
      released = true;
      closeIfIdle();
    },
  };
}

const writers = new WeakMap<Db, Writer>();

/**
 * The handle write transactions run on: behind a server, the handle itself
 * (the server makes a commit durable before answering). On a file, drizzle
 * over a connection of its own with prepared statements, and durability made
 * off the event loop: the connection runs `synchronous = NORMAL`, so COMMIT
 * writes the transaction's frames to the WAL file without waiting for the
 * disk, and `sync` then fsyncs the WAL file on libuv's thread pool. Each batch
 * is acknowledged only after that fsync, which is what `synchronous = FULL`
 * does inside COMMIT (FULL in WAL mode is NORMAL plus an fsync of the WAL at
 * every commit), except that the event loop goes on taking requests, and so
 * filling the next batch, while the disk works. NORMAL still syncs around
 * every checkpoint, so the WAL is never reset before the database file holds
 * its frames. What differs from FULL: for the few milliseconds between
 * COMMIT and the fsync, other connections can read a commit that a power
 * failure would still take back (never one that a crash of this process
 * would: the frames are in the operating system's cache once COMMIT returns),
 * and whose writer has not been told it succeeded.
 */
function writerOf(db: Db): Writer {
  let writer = writers.get(db);
  if (writer) return writer;
  const file = fileOf(db);
  if (!file) writer = { db, direct: null, checkpoints: null, durable: async () => undefined };
  else {
    const connection = new Database(file, { timeout: 5000 });
    // Per connection, so said here again: foreign keys enforced.
    connection.exec('PRAGMA foreign_keys = ON');
    connection.exec('PRAGMA synchronous = NORMAL');
    // Every transaction of the process runs here: its pages stay cached (64 MB at most, not SQLite's 2 MB).
    connection.exec('PRAGMA cache_size = -65536');
    // Checkpoints run on a worker thread instead of inside a COMMIT on the event loop.
    connection.exec('PRAGMA wal_autocheckpoint = 0');
    const checkpoints = new Checkpointer(file, undefined, undefined, () => connection.exec('PRAGMA wal_autocheckpoint = 1000'));
    const wal = fileSync(`${file}-wal`);
    const direct = new PreparedWrites(connection);
    writer = {
      db: drizzle(direct as unknown as Client, { schema }) as Db,
      direct,
      checkpoints,
      durable: coalesced(wal.sync),
    };
    const close = db.$client.close.bind(db.$client);
    db.$client.close = () => {
      closing.set(db, checkpoints.close());
      wal.release();
      connection.close();
      close();
    };
  }
  writers.set(db, writer);
  return writer;
}

interface Prepared {
  statement: Database.Statement;
  /** Result columns, or null for a statement that returns no rows. */
  columns: string[] | null;
}

/** Distinct statements kept prepared; past this (lists of ids of every length, say) the cache starts over. */
const MAX_STATEMENTS = 1000;

/**
 * Just enough of @libsql/client's `Client` for drizzle's transactions, on a
 * synchronous `libsql` connection: each distinct SQL text is prepared once
 * and reused, where @libsql/client prepares every statement anew and opens a
 * fresh connection after each transaction. Rows are shaped as @libsql/client
 * shapes them (by index and by column name), so drizzle reads them the same.
 * Used only inside writeTransaction, which runs one transaction at a time.
 */
class PreparedWrites {
  private readonly statements = new Map<string, Prepared>();
  constructor(private readonly connection: Database.Database) {}

  async execute(stmt: InStatement): Promise<ResultSet> {
    return this.executeNow(stmt);
  }

  async transaction(): Promise<unknown> {
    this.connection.exec('BEGIN IMMEDIATE');
    return {
      execute: (stmt: InStatement) => this.execute(stmt),
      commit: async () => this.connection.exec('COMMIT'),
      rollback: async () => this.rollback(),
      close: () => undefined,
      closed: false,
    };
  }

  close(): void {
    this.connection.close();
  }

  get inTransaction(): boolean {
    return this.connection.inTransaction;
  }

  exec(sql: string): void {
    this.connection.exec(sql);
  }

  /** Rolls back the open transaction, if any (a failed statement may have ended it already). */
  rollback(): void {
    if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
  }

  /** The first row of `sql` as a plain object by column name (undefined for a statement that returns none). */
  row(sql: string, args: InValue[]): Record<string, unknown> | undefined {
    const { statement, columns } = this.prepared(sql);
    const values = args.map(toSql);
    if (!columns) {
      statement.run(values);
      return undefined;
    }
    const row = statement.get(values) as unknown[] | undefined;
    return row && namedRow(row, columns);
  }

  /** Every row of `sql`, as `row` shapes the first. */
  rows(sql: string, args: InValue[]): Record<string, unknown>[] {
    const { statement, columns } = this.prepared(sql);
    if (!columns) throw new Error(`returns no rows: ${sql}`);
    return (statement.all(args.map(toSql)) as unknown[][]).map((row) => namedRow(row, columns));
  }

  private prepared(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const statement = this.connection.prepare(sql);
      let columns: string[] | null = null;
      try {
        statement.raw(true);
        columns = statement.columns().map((column) => column.name);
      } catch {
        // raw() refuses a statement that returns no rows
      }
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      this.statements.set(sql, (prepared = { statement, columns }));
    }
    return prepared;
  }

  private executeNow(stmt: InStatement): ResultSet {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    const args = typeof stmt === 'string' || !stmt.args ? [] : (stmt.args as InValue[]).map(toSql);
    const { statement, columns } = this.prepared(sql);
    if (columns) {
      const rows = (statement.all(args) as unknown[][]).map((values) => rowOf(values, columns));
      return resultSet(columns, rows, 0, undefined);
    }
    const info = statement.run(args);
    return resultSet([], [], info.changes, BigInt(info.lastInsertRowid));
  }
}

function toSql(value: InValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return value;
}

/** A row as @libsql/client gives it: values by index (not enumerable) and by column name. */
function rowOf(values: unknown[], columns: string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) row[column] = value;
  }
  return row as unknown as Row;
}

function resultSet(columns: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes: columns.map(() => ''),
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, rows, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() }),
  };
}
