import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { writeTransaction } from '../../api/src/lib/write-lock';
import { setup, type TestContext } from './helpers';

describe('group commit: concurrent writes share transactions', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('a write that fails leaves no trace and fails alone; every other is committed and acknowledged after its commit', async () => {
    // 60 writes at once, every third of which writes a row and then fails: they share batches.
    const writes = Array.from({ length: 60 }, (_, i) =>
      writeTransaction(t.db, async (tx) => {
        await tx.run(sql`insert into rate_limits (key, window_start, count) values (${`gc:${i}`}, 0, 1)`);
        if (i % 3 === 0) throw new Error(`write ${i} refused`);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(writes);
    const acknowledged = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    assert.equal(acknowledged.length, 40);
    assert.deepEqual(refused, Array.from({ length: 20 }, (_, k) => k * 3));

    // Read through another connection: what is there is what was committed.
    const rows = await t.db.$client.execute("select key from rate_limits where key like 'gc:%'");
    const stored = rows.rows.map((r) => Number(String(r.key).slice(3))).sort((a, b) => a - b);
    assert.deepEqual(stored, acknowledged.sort((a, b) => a - b));
  });
});
