import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type InValue } from '@libsql/client';
import Database from 'libsql';
import { getTableColumns, type Column, type SQL } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema/index';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export const DEFAULT_DATABASE_URL = 'file:./data/readyhand.db';

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** How long a connection waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

/** The file path of a `file:` URL (relative to the working directory), or null for other URLs. */
export function filePathOf(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const rest = url.slice('file:'.length).split('?')[0]!;
  if (rest === ':memory:' || rest === '') return null;
  return rest.startsWith('//') ? fileURLToPath(url.split('?')[0]!) : rest;
}

/**
 * Opens (and creates) the database at `url`, applies the pragmas that fit
 * its kind, runs the committed migrations and returns the drizzle handle.
 * Embedded `file:` databases and libSQL servers (`http://`, `ws://`,
 * `libsql://`) go through this same path.
 */
export async function openDatabase(url: string = DEFAULT_DATABASE_URL, authToken?: string): Promise<Db> {
  const file = filePathOf(url);
  if (file) mkdirSync(dirname(resolve(file)), { recursive: true });

  const client = createClient({
    url,
    authToken,
    // libsql applies `timeout` as busy_timeout to every pooled connection,
    // which a PRAGMA sent through the pool could not do.
    ...(file ? { timeout: BUSY_TIMEOUT_MS } : {}),
  });
  if (url.startsWith('file:')) {
    // sqld rejects journal_mode (a server is WAL already); on a file it persists.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  await client.execute('PRAGMA foreign_keys = ON');

  const db = drizzle(client, { schema }) as Db;
  await migrate(db, { migrationsFolder });
  if (file) {
    files.set(db, file);
    // The hot reads' own connection: WAL lets it read beside the pool's writer, and it closes with the client.
    const connection = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    // Its pages stay cached as the writer's do (64 MB at most, not SQLite's 2 MB): at a million questions
    // the pages one similar-questions read visits no longer fit in 2 MB, and each read fetched them
    // again. (No memory map: with one, a turn's first read after another connection's commit took
    // 5 to 7 times as long, measured.)
    connection.exec('PRAGMA cache_size = -65536');
    hot.set(db, new PreparedReads(connection));
    const close = client.close.bind(client);
    client.close = () => {
      connection.close();
      close();
    };
  }
  return db;
}

type Row = Record<string, unknown>;

/**
 * Reads on the hottest paths, prepared once and run synchronously on the
 * `libsql` connection of an embedded database: several times faster than a
 * query through drizzle and @libsql/client's asynchronous interface, and each
 * takes microseconds, so running it on the event loop costs less than the
 * promise machinery it skips. Databases behind a server go through the client.
 *
 * The reads of one turn of the event loop share one read transaction, begun
 * by the first and committed when the turn ends (see atTurnEnd). A read on its
 * own is a transaction of its own: locks taken and released, and, after any
 * commit since (every write, in WAL mode), the page cache dropped and its
 * pages read again; that was most of a session read's 50 µs under writes.
 */
class PreparedReads {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly firsts = new Map<string, RawStatement>();
  constructor(private readonly connection: Database.Database) {}
  all(sql: string, args: InValue[]): Row[] {
    this.inTurn();
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.connection.prepare(sql)));
    return statement.all(...args) as Row[];
  }
  /**
   * The first row only: `get` skips the row iterator `all` builds (a third of a one-row read), and
   * takes the row as an array, named here (libsql makes an object property by property: ~4 of the
   * ~16 µs of a session read, measured).
   */
  first(sql: string, args: InValue[]): Row | undefined {
    this.inTurn();
    let prepared = this.firsts.get(sql);
    if (!prepared) this.firsts.set(sql, (prepared = rawStatement(this.connection, sql)));
    const values = prepared.statement.get(...args) as unknown[] | undefined;
    return values && namedRow(values, prepared.columns);
  }
  /** Begins this turn's read transaction, unless a read of the turn already did. */
  private inTurn(): void {
    const connection = this.connection;
    if (connection.inTransaction) return;
    connection.exec('BEGIN');
    atTurnEnd(() => {
      if (connection.open && connection.inTransaction) connection.exec('COMMIT');
    });
  }
}

/**
 * What the reads of a turn share (a read transaction, lib/sites.ts's stamps) ends with the turn.
 * A turn here is what Node does with the sockets one poll of the operating system found ready:
 * those requests were all received before the turn's first read, so a snapshot taken then is at
 * least as fresh as each of them, and every write acknowledged before one of them was sent is in
 * it (a write is acknowledged after its fsync, an I/O callback: a poll phase after its COMMIT).
 * So what a turn shares must end before the next poll: at the check phase after it
 * (setImmediate), and, for reads made in a check phase (by the continuations of the writes
 * lib/write-lock.ts's drain refuses there), at the end of that check phase (endTurn, queued
 * right after drain). No read of the app runs in a timer. Ending a turn early is always safe.
 */
const turnEnders: Array<() => void> = [];
let turnEndQueued = false;

export function atTurnEnd(end: () => void): void {
  turnEnders.push(end);
  if (!turnEndQueued) {
    turnEndQueued = true;
    setImmediate(endTurn);
  }
}

/** Ends what the current turn shares, now. */
export function endTurn(): void {
  turnEndQueued = false;
  for (const end of turnEnders.splice(0)) end();
}

/** A statement that returns rows as arrays, and the names of their columns. */
interface RawStatement {
  statement: Database.Statement;
  columns: string[];
}

function rawStatement(connection: Database.Database, sql: string): RawStatement {
  const statement = connection.prepare(sql).raw(true);
  return { statement, columns: statement.columns().map((column) => column.name) };
}

/** A row read as an array, as an object by column name (a later column of the same name wins, as in libsql's own objects). */
export function namedRow(values: unknown[], columns: string[]): Row {
  const named: Row = {};
  for (let i = 0; i < columns.length; i++) named[columns[i]!] = values[i];
  return named;
}

const hot = new WeakMap<Db, PreparedReads>();

const files = new WeakMap<Db, string>();

/** The file of an embedded database (null behind a server): lib/write-lock.ts gives it a writing connection of its own. */
export const fileOf = (db: Db): string | null => files.get(db) ?? null;

/** Rows of a read-only `sql` with positional `args`: prepared and synchronous on a file, one round trip on a server. */
export async function readRows<T extends Row>(db: Db, sql: string, args: InValue[]): Promise<T[]> {
  const prepared = hot.get(db);
  if (prepared) return prepared.all(sql, args) as T[];
  const result = await db.$client.execute({ sql, args });
  return result.rows as unknown as T[];
}

const dialect = new SQLiteSyncDialect();

/** The SQL text and parameters of a drizzle `query`, as SQLite takes them. */
export const renderedSql = (query: SQL) => dialect.sqlToQuery(query);

/**
 * Rows of a read-only drizzle `query`, as readRows reads them: its text depends only on the query's
 * shape (every value a parameter), so on a file it is prepared once per shape.
 */
export function readQuery<T extends Row>(db: Db, query: SQL): Promise<T[]> {
  const { sql, params } = renderedSql(query);
  return readRows<T>(db, sql, params as InValue[]);
}

/** The first row of a read-only `sql`, as readRows reads it: for reads by primary key. */
export async function readRow<T extends Row>(db: Db, sql: string, args: InValue[]): Promise<T | undefined> {
  const prepared = hot.get(db);
  if (prepared) return prepared.first(sql, args) as T | undefined;
  const result = await db.$client.execute({ sql, args });
  return result.rows[0] as unknown as T | undefined;
}

const columnsOf = new WeakMap<SQLiteTable, Array<[string, Column]>>();

/**
 * A row of `table` read by readRows with its columns under their own names
 * (`select t.* …`), decoded as drizzle decodes it (JSON, booleans).
 */
export function decodedRow<T extends SQLiteTable>(table: T, row: Row): T['$inferSelect'] {
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = Object.entries(getTableColumns(table))));
  const decoded: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = row[column.name];
    decoded[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return decoded as T['$inferSelect'];
}
