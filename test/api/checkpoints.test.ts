import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'libsql';
import { Checkpointer } from '../../api/src/lib/checkpoints';

const dir = mkdtempSync(join(tmpdir(), 'readyhand-checkpoints-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A WAL database with `rows` rows in its WAL, and a reader whose snapshot predates them: no checkpoint can copy them yet. */
function walBehindReader(name: string, rows: number) {
  const file = join(dir, name);
  const writer = new Database(file);
  writer.exec('PRAGMA journal_mode = WAL');
  writer.exec('PRAGMA wal_autocheckpoint = 0');
  writer.exec('CREATE TABLE t (x TEXT)');
  writer.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const reader = new Database(file);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM t').get();
  const insert = writer.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(3000));
  return { file, writer, reader };
}

/** Every hold `checkpoints` puts on writes, as it begins (a hold lasts one checkpoint: milliseconds, too short to poll for). */
function holdsOf(checkpoints: Checkpointer, onHold: () => void = () => {}): Array<Promise<void>> {
  const holds: Array<Promise<void>> = [];
  let current: Promise<void> | null = checkpoints.pause;
  Object.defineProperty(checkpoints, 'pause', {
    get: () => current,
    set: (hold: Promise<void> | null) => {
      current = hold;
      if (hold) {
        holds.push(hold);
        onHold();
      }
    },
  });
  return holds;
}

const until = async (what: string, ok: () => boolean) => {
  const end = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`no ${what} within 5 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Rows in the database file itself, without its WAL: what checkpoints have copied. */
function rowsInFile(file: string): number {
  const copy = `${file}.copy-${Date.now()}`;
  copyFileSync(file, copy);
  const connection = new Database(copy);
  try {
    return Number((connection.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n);
  } finally {
    connection.close();
  }
}

/**
 * A Checkpointer (a hold past 10 frames, no wait between checkpoints) on a WAL of 20 rows behind an older
 * reader, asked for two checkpoints: the first copies nothing (the reader's snapshot is older), so the
 * second, asked for meanwhile, holds writes. `onHold` runs as that hold begins. Resolves once it has begun.
 */
async function heldCheckpoint(name: string, onHold: (checkpoints: Checkpointer) => void = () => {}) {
  const { file, writer, reader } = walBehindReader(name, 20);
  const checkpoints = new Checkpointer(file, 0, 10);
  const holds = holdsOf(checkpoints, () => onHold(checkpoints));
  checkpoints.committed();
  checkpoints.committed();
  await until('hold', () => holds.length > 0);
  const close = () => {
    checkpoints.close();
    reader.close();
    writer.close();
  };
  return { file, reader, checkpoints, hold: holds[0]!, close };
}

describe('checkpoints off the event loop (lib/checkpoints.ts)', () => {
  test('past its frame limit, with frames a checkpoint could not copy, the next checkpoint holds writes while it runs; the WAL reaches the file once nothing is in the way', { timeout: 10_000 }, async () => {
    const { file, reader, checkpoints, hold, close } = await heldCheckpoint('held.db');
    try {
      await hold;
      assert.equal(checkpoints.pause, null);
      assert.equal(rowsInFile(file), 0);
      reader.exec('COMMIT');
      checkpoints.committed();
      await until('copy into the file', () => rowsInFile(file) === 20);
    } finally {
      close();
    }
  });

  test('closing lets writes held by a checkpoint go', { timeout: 10_000 }, async () => {
    // Closed as soon as the hold begins, before its checkpoint can answer: only the close can end the hold.
    const { checkpoints, hold, close } = await heldCheckpoint('closed.db', (c) => queueMicrotask(() => c.close()));
    try {
      await hold;
      assert.equal(checkpoints.pause, null);
    } finally {
      close();
    }
  });

  test('when checkpoints keep failing, it gives up once and hands checkpointing back to the writer', { timeout: 10_000 }, async () => {
    // No database can be opened here: the worker fails every time it starts.
    let gaveUp = 0;
    const checkpoints = new Checkpointer(join(dir, 'no-such-dir', 'x.db'), 0, undefined, () => gaveUp++);
    try {
      await until('giving up', () => {
        checkpoints.committed();
        return gaveUp > 0;
      });
      checkpoints.committed();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(gaveUp, 1);
      assert.equal(checkpoints.pause, null);
    } finally {
      checkpoints.close();
    }
  });
});
