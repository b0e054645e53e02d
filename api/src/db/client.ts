import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
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
  return db;
}
