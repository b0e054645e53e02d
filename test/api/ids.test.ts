// Content ids sort in the order the records were made (lib/ids.ts newContentId): the indexes on
// ids then grow at their end, which is what the ask and answer throughput of issue #7 relies on.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { newContentId, newId } from '../../api/src/lib/ids';
import { answer, ask, giveKudos, setup, shareTip, signIn, type TestContext } from './helpers';

const ID = /^[A-Za-z0-9_-]{16}$/;

describe('content ids', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('ids made in later milliseconds sort after, in SQLite order (bytes), and none repeats', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 200; j++) made.push(newContentId());
      await sleep(2);
    }
    for (const id of made) assert.match(id, ID);
    assert.equal(new Set(made).size, made.length);
    const batches = Array.from({ length: 5 }, (_, i) => made.slice(i * 200, (i + 1) * 200));
    for (let i = 1; i < batches.length; i++) {
      const newest = [...batches[i - 1]!].sort().at(-1)!;
      const oldest = [...batches[i]!].sort()[0]!;
      assert.ok(Buffer.compare(Buffer.from(newest), Buffer.from(oldest)) < 0, `${newest} made before ${oldest}`);
    }
    // Sessions and the like keep ids with nothing of the time in them.
    assert.match(newId(), ID);
  });

  test('the first 7 characters are the millisecond, digit by digit in ASCII order, carried as numbers are', () => {
    const prefixAt = (ms: number) => {
      const now = Date.now;
      Date.now = () => ms;
      try {
        return newContentId().slice(0, 7);
      } finally {
        Date.now = now;
      }
    };
    const times = [0, 1, 63, 64, 4095, 4096, Date.parse('2026-11-26T12:00:00Z'), 2 ** 42 - 1];
    assert.deepEqual(times.map(prefixAt), ['-------', '------0', '------z', '-----0-', '-----zz', '----0--', 'P7MiW7-', 'zzzzzzz']);
  });

  test('questions, answers, tips and kudos asked one after another get ids in that order', async () => {
    const a = await signIn(t, { sub: 'ids-a' });
    const b = await signIn(t, { sub: 'ids-b', name: 'Grace Hopper' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const q = await ask(t, a.sessionToken, { topic: 'ids', title: `Which id comes first, take ${i}?` });
      await sleep(2);
      const ans = await answer(t, b.sessionToken, q.id, `This one, take ${i}.`);
      await sleep(2);
      const tip = await shareTip(t, a.sessionToken, { topic: 'ids', body: `Ids sort by time, take ${i}.` });
      await sleep(2);
      const k = await giveKudos(t, a.sessionToken, { wall: 'ids', to: b.user.id, message: `Thanks, take ${i}.` });
      await sleep(2);
      ids.push(q.id, ans.id, tip.id, k.id);
    }
    assert.deepEqual([...ids].sort(), ids);
  });
});
