import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'libsql';
import { sql } from 'drizzle-orm';
import { openDatabase, readRow } from '../../api/src/db/client';
import { onCommit, writeTransaction } from '../../api/src/lib/write-lock';
import { answer, ask, call, giveKudos, setup, shareTip, signIn, type TestContext } from './helpers';

describe('group commit: concurrent writes share transactions', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('a write that fails leaves no trace and fails alone; every other is committed and acknowledged after its commit', async () => {
    // 60 writes at once, every third of which writes a row and then fails: they share batches.
    let commits = 0;
    const stop = onCommit(t.db, () => commits++);
    const writes = Array.from({ length: 60 }, (_, i) =>
      writeTransaction(t.db, async (tx) => {
        await tx.run(sql`insert into rate_limits (key, window_start, count) values (${`gc:${i}`}, 0, 1)`);
        if (i % 3 === 0) throw new Error(`write ${i} refused`);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(writes);
    stop();
    // Shared: far fewer commits than writes.
    assert.ok(commits < 10, `${commits} commits for 60 writes`);
    const acknowledged = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    assert.equal(acknowledged.length, 40);
    assert.deepEqual(refused, Array.from({ length: 20 }, (_, k) => k * 3));

    // Read through another connection: what is there is what was committed.
    const rows = await t.db.$client.execute("select key from rate_limits where key like 'gc:%'");
    const stored = rows.rows.map((r) => Number(String(r.key).slice(3))).sort((a, b) => a - b);
    assert.deepEqual(stored, acknowledged.sort((a, b) => a - b));
  });

  test('writes begun in one turn of the event loop share one commit, the first one included', async () => {
    // As the writes of requests read from the sockets in one turn: on an embedded file a transaction never
    // yields to I/O, so without waiting for the turn to end the first would always commit alone.
    let commits = 0;
    const stop = onCommit(t.db, () => commits++);
    const writes = Array.from({ length: 10 }, (_, i) =>
      writeTransaction(t.db, (tx) => tx.run(sql`insert into rate_limits (key, window_start, count) values (${`turn:${i}`}, 0, 1)`)),
    );
    await Promise.all(writes);
    stop();
    assert.equal(commits, 1);
  });

  test("a write's rate-limit counters commit in the write's own transaction; a write refused or failed still counts, and writes nothing", async () => {
    // The ask's question is indexed for search in a commit of its own after it (lib/fts.ts): not within this test.
    const limited = await setup({ writeLimit: { limit: 3, windowMs: 3_600_000 }, searchIndexMs: 600_000 });
    try {
      const token = (await signIn(limited, { sub: 'counted' })).sessionToken;
      const count = async () =>
        Number((await limited.db.$client.execute("select count from rate_limits where key like 'user:%'")).rows[0]?.count ?? 0);
      let commits = 0;
      const stop = onCommit(limited.db, () => commits++);
      const q = await ask(limited, token, { title: 'Does one write pay one commit?' });
      assert.equal(commits, 1, 'the question and both of its counters: one commit');
      assert.equal(await count(), 1);
      // Refused inside its transaction (no such question): rolled back, then counted on its own.
      assert.equal((await call(limited, 'POST', '/v1/questions/none/vote', { token, body: { value: 1 } })).status, 404);
      assert.equal(await count(), 2);
      assert.equal((await call(limited, 'POST', `/v1/questions/${q.id}/vote`, { token, body: { value: 1 } })).status, 200);
      const refused = await call(limited, 'POST', `/v1/questions/${q.id}/vote`, { token, body: { value: 0 } });
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      const detail = await call(limited, 'GET', `/v1/questions/${q.id}`);
      assert.equal(detail.body.votes, 1, 'the refused write wrote nothing');
      stop();
    } finally {
      await limited.close();
    }
  });

  test('commits reach the database file by a checkpoint off the event loop within moments, long before SQLite would checkpoint (1,000 pages)', async () => {
    await writeTransaction(t.db, (tx) => tx.run(sql`insert into rate_limits (key, window_start, count) values ('checkpointed', 0, 1)`));
    // The database file alone, without its WAL: what a checkpoint has copied into it.
    const inFile = () => {
      const copy = join(t.dir, `copy-${Date.now()}.db`);
      copyFileSync(join(t.dir, 'test.db'), copy);
      const connection = new Database(copy);
      try {
        return connection.prepare("select count(*) as n from rate_limits where key = 'checkpointed'").get() as { n: number };
      } finally {
        connection.close();
      }
    };
    const until = Date.now() + 5_000;
    while (inFile().n === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(inFile().n, 1);
  });

  test('a read by primary key sees what is committed, never the unfinished work of a write transaction under way', async () => {
    const count = async () => Number((await readRow(t.db, "select count(*) as n from rate_limits where key = 'unfinished'", []))!.n);
    let during = -1;
    await writeTransaction(t.db, async (tx) => {
      await tx.run(sql`insert into rate_limits (key, window_start, count) values ('unfinished', 0, 1)`);
      // The event loop runs on while the transaction is open (a request reading its session, say).
      await new Promise((r) => setTimeout(r, 10));
      during = await count();
    });
    assert.equal(during, 0);
    assert.equal(await count(), 1);
  });

  test("every write route counts its limits in the write's own transaction: one commit per write", async () => {
    // The ask's question is indexed for search in a commit of its own after it (lib/fts.ts): not within this test.
    const limited = await setup({ writeLimit: { limit: 1000, windowMs: 3_600_000 }, searchIndexMs: 600_000 });
    try {
      const [asker, helper] = [await signIn(limited, { sub: 'routes-asker' }), await signIn(limited, { sub: 'routes-helper' })];
      let commits = 0;
      const stop = onCommit(limited.db, () => commits++);
      const counted = async (user: string) =>
        Number((await limited.db.$client.execute({ sql: 'select count from rate_limits where key = ?', args: [`user:${user}`] })).rows[0]?.count ?? 0);
      const writes: Array<[string, typeof asker, () => Promise<unknown>]> = [];
      let q: Record<string, any> | undefined;
      let a: Record<string, any> | undefined;
      let tip: Record<string, any> | undefined;
      let k: Record<string, any> | undefined;
      writes.push(['ask', asker, async () => (q = await ask(limited, asker.sessionToken, { title: 'Which routes count in their own commit?' }))]);
      writes.push(['answer', helper, async () => (a = await answer(limited, helper.sessionToken, q!.id, 'Every one of them, as it should.'))]);
      const ok = async (status: number, res: Promise<{ status: number }>) => assert.equal((await res).status, status);
      writes.push(['question vote', helper, () => ok(200, call(limited, 'POST', `/v1/questions/${q!.id}/vote`, { token: helper.sessionToken, body: { value: 1 } }))]);
      writes.push(['answer vote', asker, () => ok(200, call(limited, 'POST', `/v1/answers/${a!.id}/vote`, { token: asker.sessionToken, body: { value: 1 } }))]);
      writes.push(['accept', asker, () => ok(200, call(limited, 'POST', `/v1/questions/${q!.id}/accept`, { token: asker.sessionToken, body: { answerId: a!.id } }))]);
      writes.push(['tip', helper, async () => (tip = await shareTip(limited, helper.sessionToken, { body: 'Count limits where you write.' }))]);
      writes.push(['helpful', asker, () => ok(200, call(limited, 'POST', `/v1/tips/${tip!.id}/helpful`, { token: asker.sessionToken, body: { helpful: true } }))]);
      writes.push(['kudos', asker, async () => (k = await giveKudos(limited, asker.sessionToken, { to: helper.user.id, message: 'Thanks for the answer!' }))]);
      writes.push(['reaction', helper, () => ok(200, call(limited, 'POST', `/v1/kudos/${k!.id}/reactions`, { token: helper.sessionToken, body: { emoji: '🎉' } }))]);
      writes.push(['report', helper, () => ok(201, call(limited, 'POST', '/v1/reports', { token: helper.sessionToken, body: { type: 'question', id: q!.id, reason: 'spam' } }))]);
      writes.push(['tip deletion', helper, () => ok(204, call(limited, 'DELETE', `/v1/tips/${tip!.id}`, { token: helper.sessionToken }))]);
      writes.push(['sign-out', asker, () => ok(204, call(limited, 'DELETE', '/v1/session', { token: asker.sessionToken }))]);
      for (const [name, who, write] of writes) {
        const [before, countedBefore] = [commits, await counted(who.user.id)];
        await write();
        assert.equal(commits - before, 1, `${name}: one commit`);
        assert.equal(await counted(who.user.id), countedBefore + 1, `${name}: counted`);
      }
      stop();
    } finally {
      await limited.close();
    }
  });
});

describe('group commit: the first write of a process meets another process holding the write lock', () => {
  test('past busy_timeout the queued writes fail with SQLite\'s error, and the next write goes through', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readyhand-locked-'));
    const file = join(dir, 'locked.db');
    const db = await openDatabase(pathToFileURL(file).href);
    // Another process, as far as SQLite can tell: a connection of its own, in a write transaction.
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const write = () => writeTransaction(db, async (tx) => tx.run(sql`insert into rate_limits (key, window_start, count) values ('locked', 0, 1)`));
      // Before, this rejection escaped the queue unhandled (the process crashed) and later writes waited for good.
      await assert.rejects(write(), /busy|locked/i);
      other.exec('COMMIT');
      await write();
      const row = await db.$client.execute("select count from rate_limits where key = 'locked'");
      assert.equal(Number(row.rows[0]?.count), 1);
    } finally {
      other.close();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
