import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, guest, HOSTILE_FTS_INPUT, setup, shareTip, signIn, type TestContext } from './helpers';

type Item = { id: string; helpfulCount: number; createdAt: string; tags: string[]; body: string };
const idsOf = (res: { body: Record<string, any> }) => res.body.items.map((t: Item) => t.id);

describe('tips', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  const list = (query: string, token?: string) => call(t, 'GET', `/v1/tips?site=acme&${query}`, { token });
  const mark = (id: string, token: string, helpful: unknown) => call(t, 'POST', `/v1/tips/${id}/helpful`, { token, body: { helpful } });

  test('a signed-in user shares a tip, and anyone reads it in the topic list', async () => {
    const author = await signIn(t, { sub: 'tip-author' });
    const tip = await shareTip(t, author.sessionToken, { topic: 'sharing', body: 'Use **kubectl diff** first.', tags: ['kubectl', 'Safety'] });
    assert.equal(tip.mine, true);
    assert.equal(tip.myHelpful, false);
    assert.equal(tip.helpfulCount, 0);
    assert.equal(tip.site, 'acme');
    assert.equal(tip.topic, 'sharing');
    assert.deepEqual(tip.tags, ['kubectl', 'safety']);
    assert.equal(tip.author.name, 'Ada Lovelace');
    assert.equal(tip.updatedAt, tip.createdAt);
    assert.match(tip.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const anonymous = await list('topic=sharing');
    assert.equal(anonymous.status, 200);
    assert.deepEqual(anonymous.body, { items: [{ ...tip, mine: false }], nextCursor: null });
    const own = await list('topic=sharing', author.sessionToken);
    assert.equal(own.body.items[0].mine, true);
    assert.deepEqual((await list('topic=nothing-here')).body, { items: [], nextCursor: null });
  });

  test('writes need a session', async () => {
    const res = await call(t, 'POST', '/v1/tips', { body: { topic: 'x', body: 'A tip' } });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
    assert.equal((await call(t, 'PATCH', '/v1/tips/any', { body: { body: 'x' } })).status, 401);
    assert.equal((await call(t, 'DELETE', '/v1/tips/any')).status, 401);
    assert.equal((await call(t, 'POST', '/v1/tips/any/helpful', { body: { helpful: true } })).status, 401);
  });

  test('the body is text: HTML and javascript: links are stored and returned verbatim', async () => {
    const { sessionToken } = await signIn(t, { sub: 'html' });
    const body = '<img src=x onerror="alert(1)"> <script>alert(2)</script> [click](javascript:alert(3)) & **bold**';
    const tip = await shareTip(t, sessionToken, { topic: 'verbatim', body: `  ${body}\n` });
    assert.equal(tip.body, body, 'only surrounding white space is trimmed');
    assert.equal((await list('topic=verbatim')).body.items[0].body, body);
  });

  test('validation names the field and the rule, and tags are normalised', async () => {
    const { sessionToken } = await signIn(t, { sub: 'tip-validator' });
    const share = (tip: Record<string, unknown>) => call(t, 'POST', '/v1/tips', { token: sessionToken, body: { topic: 'validation', body: 'A tip', ...tip } });
    const details = async (tip: Record<string, unknown>) => {
      const res = await share(tip);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'validation_failed');
      return res.body.error.details.map((d: { field: string; rule: string; message: string }) => [d.field, d.rule, d.message]);
    };

    assert.deepEqual(await details({ body: '' }), [['body', 'too_small', 'body must be 1 to 500 characters']]);
    assert.deepEqual(await details({ body: '   ' }), [['body', 'too_small', 'body must be 1 to 500 characters']]);
    assert.deepEqual(await details({ body: 'x'.repeat(501) }), [['body', 'too_big', 'body must be 1 to 500 characters']]);
    assert.equal((await share({ body: 'x'.repeat(500) })).status, 201);
    assert.deepEqual(await details({ tags: ['a', 'b', 'c', 'd', 'e', 'f'] }), [['tags', 'too_big', 'tags must be at most 5 items']]);
    assert.deepEqual(await details({ tags: ['ok', 'x'.repeat(33)] }), [['tags.1', 'too_big', 'tags must be 1 to 32 characters']]);
    assert.equal((await share({ tags: ['x'.repeat(32)] })).status, 201);
    assert.deepEqual(await details({ tags: ['a<b'] }), [['tags.0', 'pattern', 'tags may contain letters, digits, - and _']]);
    assert.deepEqual(await details({ tags: ['<script>'] }), [['tags.0', 'pattern', 'tags may contain letters, digits, - and _']]);
    assert.deepEqual(await details({ tags: ['#'] }), [['tags.0', 'too_small', 'tags must be 1 to 32 characters']]);
    assert.deepEqual(await details({ tags: 'devops' }), [['tags', 'type', 'tags must be an array']]);
    assert.deepEqual(await details({ topic: 'bad topic!', extra: true }), [
      ['topic', 'pattern', 'topic may contain letters, digits and . _ ~ - /'],
      ['extra', 'unknown_field', 'extra is not allowed'],
    ]);
    assert.deepEqual(await details({ body: undefined }), [['body', 'required', 'body is required']]);

    const normalised = await shareTip(t, sessionToken, { topic: 'validation', tags: ['#DevOps Tips', 'devops-tips', '  DEVOPS   tips ', 'K8s', 'Überblick'] });
    assert.deepEqual(normalised.tags, ['devops-tips', 'k8s', 'überblick']);
    // The tag filter is normalised the same way.
    assert.deepEqual(idsOf(await list(`topic=validation&tag=${encodeURIComponent('#DevOps Tips')}`)), [normalised.id]);
    const badTag = await list('topic=validation&tag=a<b');
    assert.equal(badTag.status, 400);
    assert.equal(badTag.body.error.details[0].field, 'tag');
    const badSort = await list('topic=validation&sort=votes');
    assert.deepEqual(badSort.body.error.details[0], { field: 'sort', rule: 'invalid_value', message: 'sort must be one of helpful, recent' });
    assert.deepEqual((await call(t, 'GET', '/v1/tips?site=acme')).body.error.details[0], { field: 'topic', rule: 'required', message: 'topic is required' });
  });

  test('pagination walks every tip once, in order, for both sorts and with a tag', async () => {
    const { sessionToken } = await signIn(t, { sub: 'tip-pager' });
    const markers = await Promise.all([1, 2, 3].map((i) => signIn(t, { sub: `tip-marker-${i}` })));
    const created: string[] = [];
    const tagged: string[] = [];
    for (let i = 0; i < 23; i++) {
      const tip = await shareTip(t, sessionToken, { topic: 'paging', body: `Tip number ${i}`, tags: i % 2 ? ['odd'] : ['even'] });
      created.push(tip.id);
      if (i % 2) tagged.push(tip.id);
      for (const m of markers.slice(0, i % 4)) await mark(tip.id, m.sessionToken, true);
    }
    const walk = async (query: string) => {
      const seen: Item[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(`topic=paging&limit=5&${query}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.items.length <= 5);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    for (const sort of ['helpful', 'recent'] as const) {
      const seen = await walk(`sort=${sort}`);
      assert.equal(seen.length, 23, sort);
      assert.deepEqual(new Set(seen.map((x) => x.id)), new Set(created), `gaps or duplicates in ${sort}`);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        if (sort === 'helpful') assert.ok(a.helpfulCount > b.helpfulCount || (a.helpfulCount === b.helpfulCount && a.createdAt > b.createdAt), `helpful order at ${i}`);
        else assert.ok(a.createdAt > b.createdAt, `recent order at ${i}`);
      }
      const odd = await walk(`sort=${sort}&tag=odd`);
      assert.equal(odd.length, tagged.length);
      assert.deepEqual(new Set(odd.map((x) => x.id)), new Set(tagged));
    }
    // helpful is the default sort; most marks first.
    const first = (await list('topic=paging&limit=1')).body.items[0];
    assert.equal(first.helpfulCount, 3);
    // A cursor of the recent order cannot continue the helpful one.
    const recentCursor = (await list('topic=paging&limit=5&sort=recent')).body.nextCursor;
    const mixed = await list(`topic=paging&sort=helpful&cursor=${recentCursor}`);
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.error.details[0].field, 'cursor');
    assert.equal((await list('topic=paging&cursor=nonsense')).status, 400);
  });

  test('search finds tips by body and tag words within the topic, with every word required', async () => {
    const { sessionToken } = await signIn(t, { sub: 'searcher' });
    const rollback = await shareTip(t, sessionToken, { topic: 'search', body: 'Roll back a stuck deployment with kubectl rollout undo.', tags: ['rollbacks'] });
    const probes = await shareTip(t, sessionToken, { topic: 'search', body: 'Readiness probes keep traffic away from pods that are still starting.', tags: ['health-checks'] });
    await shareTip(t, sessionToken, { topic: 'elsewhere', body: 'Roll back a stuck deployment elsewhere.' });
    const search = (q: string, extra = '') => list(`topic=search&q=${encodeURIComponent(q)}${extra}`);

    assert.deepEqual(idsOf(await search('deployment')), [rollback.id]);
    assert.deepEqual(idsOf(await search('rolling back deployments')), [rollback.id], 'stemmed');
    assert.deepEqual(idsOf(await search('keep traff')), [probes.id], 'the last word is a prefix');
    assert.deepEqual(idsOf(await search('health')), [probes.id], 'tag words are searched');
    assert.deepEqual(idsOf(await search('rollbacks')), [rollback.id]);
    assert.deepEqual(idsOf(await search('deployment probes')), [], 'every word must match');
    assert.deepEqual(idsOf(await search('pods', '&tag=rollbacks')), [], 'search and tag combine');
    assert.deepEqual(idsOf(await search('pods', '&tag=health-checks')), [probes.id]);
    assert.deepEqual(idsOf(await search('the')), [], 'stopwords only: nothing to search for');

    // Edits reach the index: new body words and new tags are found, old ones are not.
    const edit = await call(t, 'PATCH', `/v1/tips/${probes.id}`, { token: sessionToken, body: { body: 'Liveness probes restart stuck containers.', tags: ['liveness'] } });
    assert.equal(edit.status, 200);
    assert.deepEqual(idsOf(await search('readiness')), []);
    assert.deepEqual(idsOf(await search('health')), []);
    assert.deepEqual(idsOf(await search('liveness containers')), [probes.id]);
    const tagOnly = await call(t, 'PATCH', `/v1/tips/${probes.id}`, { token: sessionToken, body: { tags: ['restarts'] } });
    assert.equal(tagOnly.body.body, 'Liveness probes restart stuck containers.');
    assert.deepEqual(idsOf(await search('restarts liveness')), [probes.id]);
  });

  test('hostile full-text syntax never errors', async () => {
    const { sessionToken } = await signIn(t, { sub: 'hostile' });
    const tip = await shareTip(t, sessionToken, { topic: 'hostile', body: 'Roll back with kubectl rollout undo.' });
    for (const q of HOSTILE_FTS_INPUT) {
      const res = await list(`topic=hostile&q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, `${JSON.stringify(q)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(Array.isArray(res.body.items));
    }
    // Operators are words like any other: every one must match.
    assert.deepEqual(idsOf(await list(`topic=hostile&q=${encodeURIComponent('NEAR(roll back, 2)')}`)), []);
    assert.deepEqual(idsOf(await list(`topic=hostile&q=${encodeURIComponent('("roll" back*')}`)), [tip.id]);
    assert.deepEqual(idsOf(await list(`topic=hostile&q=${encodeURIComponent('"roll" (undo*')}`)), [tip.id]);
    const long = await list(`topic=hostile&q=${'x'.repeat(201)}`);
    assert.equal(long.status, 400);
    assert.equal(long.body.error.details[0].field, 'q');
  });

  test('tags of a topic, most used first, at most 20', async () => {
    const { sessionToken } = await signIn(t, { sub: 'tagger' });
    const tags = (query: string) => call(t, 'GET', `/v1/tips/tags?${query}`);
    for (const [i, set] of [['kubectl', 'safety'], ['kubectl', 'debugging'], ['kubectl', 'Debugging'], ['yaml']].entries()) {
      await shareTip(t, sessionToken, { topic: 'tag-list', tags: set, body: `Tip number ${i}` });
    }
    await shareTip(t, sessionToken, { topic: 'other-tags', tags: ['yaml', 'elsewhere'], body: 'A tip in another topic' });
    const res = await tags('site=acme&topic=tag-list');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [
      { tag: 'kubectl', count: 3 },
      { tag: 'debugging', count: 2 },
      { tag: 'safety', count: 1 },
      { tag: 'yaml', count: 1 },
    ]);
    for (let i = 0; i < 6; i++) await shareTip(t, sessionToken, { topic: 'many-tags', body: `Tip ${i} with five tags`, tags: [0, 1, 2, 3, 4].map((j) => `tag-${i * 5 + j}`) });
    assert.equal((await tags('site=acme&topic=many-tags')).body.items.length, 20);
    assert.deepEqual((await tags('site=demo&topic=tag-list')).body.items, [], 'another site');
    assert.equal((await tags('site=acme')).status, 400);
    assert.equal((await tags('site=nope&topic=x')).status, 404);
  });

  test('only the author edits; updatedAt moves, createdAt stays', async () => {
    const author = await signIn(t, { sub: 'editor' });
    const other = await signIn(t, { sub: 'not-editor' });
    const moderator = await signIn(t, { sub: 'edit-moderator', roles: ['moderator'] });
    const tip = await shareTip(t, author.sessionToken, { topic: 'editing', body: 'Original text', tags: ['one', 'two'] });
    const edit = (token: string, body: unknown) => call(t, 'PATCH', `/v1/tips/${tip.id}`, { token, body });

    for (const token of [other.sessionToken, moderator.sessionToken]) {
      const refused = await edit(token, { body: 'Hijacked' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.equal(refused.body.error.details[0].rule, 'author_only');
    }
    const edited = await edit(author.sessionToken, { body: 'Edited text', tags: ['#Three', 'one'] });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.body, 'Edited text');
    assert.deepEqual(edited.body.tags, ['three', 'one']);
    assert.equal(edited.body.createdAt, tip.createdAt);
    assert.ok(edited.body.updatedAt > tip.updatedAt);
    assert.equal(edited.body.mine, true);
    assert.deepEqual((await list('topic=editing')).body.items[0].tags, ['three', 'one']);
    assert.deepEqual(idsOf(await list('topic=editing&tag=two')), []);

    const empty = await edit(author.sessionToken, {});
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.details[0].field, 'body');
    assert.equal((await edit(author.sessionToken, { body: '' })).body.error.details[0].rule, 'too_small');
    assert.equal((await edit(author.sessionToken, { topic: 'moved' })).body.error.details[0].rule, 'unknown_field');
    assert.equal((await call(t, 'PATCH', '/v1/tips/no-such-tip', { token: author.sessionToken, body: { body: 'x' } })).status, 404);
  });

  test('the author or a moderator deletes, and nothing of the tip is left behind', async () => {
    const author = await signIn(t, { sub: 'deleter' });
    const other = await signIn(t, { sub: 'not-deleter' });
    const moderator = await signIn(t, { sub: 'del-moderator', roles: ['moderator'] });
    const admin = await signIn(t, { sub: 'del-admin', roles: ['admin'] });
    const remove = (id: string, token: string) => call(t, 'DELETE', `/v1/tips/${id}`, { token });
    const leftovers = async (id: string) => {
      const counts = await t.db.$client.execute({
        sql: `select (select count(*) from tips where id = ?1) + (select count(*) from tip_tags where tip_id = ?1)
                + (select count(*) from tip_helpful where tip_id = ?1) + (select count(*) from tips_fts where tip_id = ?1) as n`,
        args: [id],
      });
      return Number(counts.rows[0]!.n);
    };

    const mine = await shareTip(t, author.sessionToken, { topic: 'deleting', body: 'Deletable tip', tags: ['a', 'b'] });
    await mark(mine.id, other.sessionToken, true);
    assert.ok((await leftovers(mine.id)) > 0);
    const refused = await remove(mine.id, other.sessionToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.details[0].rule, 'author_or_moderator');
    const deleted = await remove(mine.id, author.sessionToken);
    assert.equal(deleted.status, 204);
    assert.equal(await leftovers(mine.id), 0);
    assert.equal((await remove(mine.id, author.sessionToken)).status, 404);
    assert.equal((await mark(mine.id, other.sessionToken, true)).status, 404);

    for (const token of [moderator.sessionToken, admin.sessionToken]) {
      const tip = await shareTip(t, author.sessionToken, { topic: 'deleting', tags: ['moderated'] });
      await mark(tip.id, other.sessionToken, true);
      assert.equal((await remove(tip.id, token)).status, 204);
      assert.equal(await leftovers(tip.id), 0);
    }
    assert.deepEqual((await list('topic=deleting')).body.items, []);
    assert.deepEqual((await call(t, 'GET', '/v1/tips/tags?site=acme&topic=deleting')).body.items, []);
    assert.deepEqual(idsOf(await list('topic=deleting&q=deletable')), []);
  });

  test('helpful marks: one per user, repeatable, taken back with false, counts exact', async () => {
    const author = await signIn(t, { sub: 'helped' });
    const [a, b] = await Promise.all([signIn(t, { sub: 'helper-a' }), signIn(t, { sub: 'helper-b' })]);
    const tip = await shareTip(t, author.sessionToken, { topic: 'helpful' });

    assert.deepEqual((await mark(tip.id, a.sessionToken, true)).body, { helpfulCount: 1, myHelpful: true });
    assert.deepEqual((await mark(tip.id, a.sessionToken, true)).body, { helpfulCount: 1, myHelpful: true });
    assert.deepEqual((await mark(tip.id, b.sessionToken, true)).body, { helpfulCount: 2, myHelpful: true });
    assert.deepEqual((await mark(tip.id, b.sessionToken, false)).body, { helpfulCount: 1, myHelpful: false });
    assert.deepEqual((await mark(tip.id, b.sessionToken, false)).body, { helpfulCount: 1, myHelpful: false });

    const asA = (await list('topic=helpful', a.sessionToken)).body.items[0];
    assert.equal(asA.helpfulCount, 1);
    assert.equal(asA.myHelpful, true);
    assert.equal((await list('topic=helpful', b.sessionToken)).body.items[0].myHelpful, false);
    assert.equal((await list('topic=helpful')).body.items[0].myHelpful, false);

    const own = await mark(tip.id, author.sessionToken, true);
    assert.equal(own.status, 403);
    assert.deepEqual(own.body.error.details, [{ field: 'helpful', rule: 'not_own_tip', message: 'you may not mark your own tip helpful' }]);
    assert.deepEqual((await mark(tip.id, author.sessionToken, false)).body, { helpfulCount: 1, myHelpful: false });

    const bad = await mark(tip.id, a.sessionToken, 'yes');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details[0], { field: 'helpful', rule: 'type', message: 'helpful must be a boolean' });
    assert.equal((await call(t, 'POST', `/v1/tips/${tip.id}/helpful`, { token: a.sessionToken, body: {} })).body.error.details[0].rule, 'required');
    assert.equal((await mark('no-such-tip', a.sessionToken, true)).status, 404);
  });

  test('10 concurrent marks, repeated, count each user once; concurrent take-backs too', async () => {
    const author = await signIn(t, { sub: 'popular' });
    const tip = await shareTip(t, author.sessionToken, { topic: 'concurrent' });
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(t, { sub: `fan-${i}` })));
    const results = await Promise.all(users.flatMap((u) => [mark(tip.id, u.sessionToken, true), mark(tip.id, u.sessionToken, true)]));
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(Math.max(...results.map((r) => r.body.helpfulCount)), 10);
    assert.equal((await list('topic=concurrent')).body.items[0].helpfulCount, 10);
    await Promise.all(users.slice(0, 4).map((u) => mark(tip.id, u.sessionToken, false)));
    assert.equal((await list('topic=concurrent')).body.items[0].helpfulCount, 6);
    const stored = await t.db.$client.execute({ sql: 'select count(*) as n from tip_helpful where tip_id = ?', args: [tip.id] });
    assert.equal(Number(stored.rows[0]!.n), 6);
  });

  test('an Idempotency-Key retry returns the first tip and shares nothing twice', async () => {
    const { sessionToken } = await signIn(t, { sub: 'tip-retrier' });
    const send = (key: string) =>
      call(t, 'POST', '/v1/tips', { token: sessionToken, headers: { 'Idempotency-Key': key }, body: { topic: 'idem-tips', body: 'Sent twice', tags: ['retry'] } });
    const first = await send('tip-1');
    const retry = await send('tip-1');
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal((await list('topic=idem-tips')).body.items.length, 1);
    assert.deepEqual((await call(t, 'GET', '/v1/tips/tags?site=acme&topic=idem-tips')).body.items, [{ tag: 'retry', count: 1 }]);
  });

  test('a tip of another site is not found for writes, and reads stay within the site', async () => {
    const g = await guest(t, 'Demo Guest');
    const demoTip = await shareTip(t, g.sessionToken, { topic: 'cross-site', tags: ['shared'] });
    const acmeUser = await signIn(t, { sub: 'cross-tips' });
    const acmeModerator = await signIn(t, { sub: 'cross-mod', roles: ['moderator', 'admin'] });
    assert.equal((await call(t, 'PATCH', `/v1/tips/${demoTip.id}`, { token: acmeUser.sessionToken, body: { body: 'x' } })).status, 404);
    assert.equal((await call(t, 'DELETE', `/v1/tips/${demoTip.id}`, { token: acmeModerator.sessionToken })).status, 404);
    const foreignMark = await mark(demoTip.id, acmeUser.sessionToken, true);
    assert.equal(foreignMark.status, 404);
    assert.equal(foreignMark.body.error.code, 'not_found');

    assert.deepEqual(idsOf(await list('topic=cross-site')), [], 'acme lists none of demo');
    const demoList = await call(t, 'GET', '/v1/tips?topic=cross-site', { token: acmeModerator.sessionToken });
    assert.deepEqual(idsOf(demoList), [demoTip.id], 'the default site is demo');
    assert.equal(demoList.body.items[0].mine, false);
    assert.equal((await call(t, 'GET', '/v1/tips?site=nope&topic=x')).status, 404);
  });

  test("CORS lets a site's own origin edit and delete tips", async () => {
    const preflight = (method: string, origin: string) =>
      t.app.request('/v1/tips/some-id?site=acme', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
      });
    for (const method of ['PATCH', 'DELETE']) {
      const ok = await preflight(method, 'https://intranet.acme.example');
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://intranet.acme.example');
      assert.match(ok.headers.get('access-control-allow-methods') ?? '', new RegExp(method));
      assert.equal((await preflight(method, 'https://evil.example')).headers.get('access-control-allow-origin'), null);
    }
  });
});
