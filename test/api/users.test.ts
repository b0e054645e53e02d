import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nameKey, peopleByPrefixQuery } from '../../api/src/lib/people';
import { call, guest, setup, signIn, type TestContext } from './helpers';

describe('people search', () => {
  let t: TestContext;
  let me: Awaited<ReturnType<typeof signIn>>;
  before(async () => {
    t = await setup();
    me = await signIn(t, { sub: 'searcher', name: 'Maria Searcher' });
    for (const [sub, name] of [
      ['lea', 'Léa Martin'],
      ['leander', 'Leander Vogt'],
      ['leo', 'LEO Kraus'],
      ['marianne', 'Marianne  Ek'],
      ['ole', 'Øle Dahl'],
    ]) {
      await signIn(t, { sub, name });
    }
    await guest(t, 'Lea from Demo');
  });
  after(() => t.close());

  const search = (q: string, token: string | undefined = me.sessionToken, extra = '') =>
    call(t, 'GET', `/v1/users?q=${encodeURIComponent(q)}${extra}`, { token });
  const names = async (q: string, extra = '') => {
    const res = await search(q, me.sessionToken, extra);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((u: { name: string }) => u.name);
  };

  test("needs a session, and searches only the session's own site", async () => {
    const anonymous = await search('le', '');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'unauthorized');
    const otherSite = await search('le', me.sessionToken, '&site=demo');
    assert.equal(otherSite.status, 403);
    assert.deepEqual(otherSite.body.error.details, [{ field: 'site', rule: 'own_site', message: 'you may only search the people of your own site' }]);
    assert.equal((await search('le', me.sessionToken, '&site=acme')).status, 200);
  });

  test('matches a prefix of the name, ignoring case and accents, alphabetically', async () => {
    assert.deepEqual(await names('le'), ['Léa Martin', 'Leander Vogt', 'LEO Kraus'], 'no demo guest named Lea');
    assert.deepEqual(await names('LÉA'), ['Léa Martin', 'Leander Vogt']);
    assert.deepEqual(await names('lea'), ['Léa Martin', 'Leander Vogt']);
    assert.deepEqual(await names('leo k'), ['LEO Kraus']);
    assert.deepEqual(await names('marianne ek'), ['Marianne  Ek'], 'white space collapsed');
    assert.deepEqual(await names('ø'), ['Øle Dahl']);
    assert.deepEqual(await names('artin'), [], 'a prefix, not a substring');
    assert.deepEqual(await names('le', '&limit=2'), ['Léa Martin', 'Leander Vogt']);
    assert.deepEqual(await names('%'), [], 'no LIKE wildcards');
    const found = (await search('léa')).body.items[0];
    assert.deepEqual(Object.keys(found).sort(), ['id', 'name', 'picture'], 'public fields only');
  });

  test('leaves the searcher out: nobody thanks themselves', async () => {
    assert.deepEqual(await names('mari'), ['Marianne  Ek']);
  });

  test('q is required, 1 to 60 characters', async () => {
    const empty = await search('');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.details[0].field, 'q');
    assert.equal((await search('x'.repeat(61))).status, 400);
  });

  test('a sign-in refreshes the search key with the name', async () => {
    await signIn(t, { sub: 'renamed', name: 'Zed Old' });
    await signIn(t, { sub: 'renamed', name: 'Zoë New' });
    assert.deepEqual(await names('zoe'), ['Zoë New']);
    assert.deepEqual(await names('zed'), []);
  });

  test('100,000 people: the search is a range on the site and name index', async () => {
    // Names like "Ada Abbott 17" across two sites, written straight into the table.
    await t.db.$client.execute(`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000),
      named as (
        select i,
          (case i % 8 when 0 then 'Ada' when 1 then 'Bea' when 2 then 'Carl' when 3 then 'Dana'
             when 4 then 'Emil' when 5 then 'Fay' when 6 then 'Gus' else 'Hana' end)
          || ' ' ||
          (case (i / 8) % 6 when 0 then 'Abbott' when 1 then 'Berg' when 2 then 'Costa'
             when 3 then 'Dietz' when 4 then 'Ekdahl' else 'Frost' end)
          || ' ' || i as name
        from n
      )
      insert into users (id, site_id, subject, name, name_key, guest, roles, expert_topics, created_at, updated_at)
      select 'bulk-' || i, case when i % 10 = 0 then 'demo' else 'acme' end, 'bulk:' || i, name, lower(name), 0, '[]', '[]',
        '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      from named`);
    const total = await t.db.$client.execute('select count(*) as n from users');
    assert.ok(Number(total.rows[0]!.n) >= 100_000);

    const query = peopleByPrefixQuery(t.db, 'acme', nameKey('Dana Co'), 8, me.user.id).toSQL();
    const plan = await t.db.$client.execute({ sql: `explain query plan ${query.sql}`, args: query.params as never[] });
    const details = plan.rows.map((r) => String(r.detail));
    assert.ok(
      details.some((d) => /SEARCH users USING (COVERING )?INDEX users_site_name_key_idx \(site_id=\? AND name_key>\? AND name_key<\?\)/.test(d)),
      details.join('\n'),
    );
    assert.ok(!details.some((d) => /SCAN users|TEMP B-TREE/.test(d)), `no scan, no sort: ${details.join('\n')}`);

    const timed = async (q: string) => {
      const started = performance.now();
      const res = await search(q);
      return { res, elapsed: performance.now() - started };
    };
    const cold = await timed('dana co');
    const { res, elapsed } = await timed('dana costa 1');
    console.log(`people search over 100,000 users, over the API: first ${cold.elapsed.toFixed(1)} ms, then ${elapsed.toFixed(1)} ms`);
    assert.deepEqual(cold.res.body.items.length, 8);
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 8);
    assert.ok(res.body.items.every((u: { name: string }) => u.name.startsWith('Dana Costa 1')));
    assert.ok(elapsed < 500, `${elapsed} ms`);
  });
});
