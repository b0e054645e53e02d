import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createApp } from '../../api/src/app';
import { limitedAddress } from '../../api/src/lib/client-address';
import { openDatabase } from '../../api/src/db/client';
import { idempotencyKeys } from '../../api/src/db/schema/index';
import { answer, ask, call, giveKudos, setup, shareTip, signIn, type CallResult, type TestContext } from './helpers';

const rules = (res: CallResult) => (res.body.error?.details ?? []).map((d: { rule: string }) => d.rule);

describe('rate limits', () => {
  let t: TestContext;
  before(async () => {
    t = await setup({
      writeLimit: { limit: 100, windowMs: 3_600_000 },
      addressWriteLimit: { limit: 5, windowMs: 3_600_000 },
      sessionLimit: { limit: 1000, windowMs: 3_600_000 },
      trustedProxies: ['10.0.0.0/8', '::1'],
    });
  });
  after(() => t.close());

  const vote = (token: string, address: string, headers: Record<string, string> = {}) =>
    call(t, 'POST', '/v1/questions/none/vote', { token, body: { value: 1 }, address, headers });

  test('the per-user limit holds across API processes sharing the database: 429 with Retry-After', async () => {
    // Two API processes: two database handles on one file, configured alike.
    const second = await openDatabase(t.url);
    try {
      const limits = { writeLimit: { limit: 3, windowMs: 3_600_000 }, addressWriteLimit: { limit: 1000, windowMs: 3_600_000 } };
      const processes = [createApp({ db: t.db, ...limits }), createApp({ db: second, ...limits })];
      const s = await signIn(t, { sub: 'two-processes' });
      const voteVia = (i: number) =>
        processes[i]!.request('/v1/questions/none/vote', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.sessionToken}` }, body: '{"value":1}' });
      assert.deepEqual([(await voteVia(0)).status, (await voteVia(1)).status, (await voteVia(0)).status], [404, 404, 404]);
      const limited = await voteVia(1);
      assert.equal(limited.status, 429, 'the fourth write, counted across both processes');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.ok(Number(limited.headers.get('retry-after')) <= 3600);
      const body = await limited.json();
      assert.equal(body.error.code, 'rate_limited');
      assert.equal((await voteVia(0)).status, 429);
    } finally {
      second.$client.close();
    }
  });

  test("pruning one kind of counter never forgives another kind's hits in a longer window", async (ctx) => {
    // Prune at every hit: the per-address counters (one-minute windows) delete old windows of their own kind only.
    // The per-user window (ten years, so it began long before the minute before this one) must keep counting.
    ctx.mock.method(Math, 'random', () => 0);
    const app = createApp({ db: t.db, writeLimit: { limit: 3, windowMs: 10 * 365 * 86_400_000 }, addressWriteLimit: { limit: 1000, windowMs: 60_000 } });
    const s = await signIn(t, { sub: 'pruned-counters' });
    const voteOnce = async () =>
      (await app.request('/v1/questions/none/vote', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.sessionToken}` }, body: '{"value":1}' })).status;
    const statuses = [await voteOnce(), await voteOnce(), await voteOnce(), await voteOnce()];
    assert.deepEqual(statuses, [404, 404, 404, 429]);
  });

  test('the per-address limit counts every person writing from one address; another address is not limited', async () => {
    const people = await Promise.all([1, 2, 3].map((i) => signIn(t, { sub: `same-address-${i}` })));
    const statuses: number[] = [];
    for (const p of people) for (let i = 0; i < 2; i++) statuses.push((await vote(p.sessionToken, '198.51.100.7')).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429]);
    assert.equal((await vote(people[2]!.sessionToken, '198.51.100.8')).status, 404);
  });

  test('a write counts its address and its person together: each limit refuses its own Nth write, named, and a refusal counts nothing', async () => {
    const limited = { ...t, app: createApp({ db: t.db, writeLimit: { limit: 2, windowMs: 3_600_000 }, addressWriteLimit: { limit: 3, windowMs: 3_600_000 }, sessionLimit: { limit: 1000, windowMs: 3_600_000 } }) };
    const [a, b] = await Promise.all([1, 2].map((i) => signIn(t, { sub: `both-limits-${i}` })));
    const post = (token: string, n: number) => call(limited, 'POST', '/v1/questions', { token, address: '198.51.100.77', body: { topic: 'limits', title: `Counted twice, number ${n}?` } });
    assert.deepEqual([(await post(a!.sessionToken, 1)).status, (await post(a!.sessionToken, 2)).status], [201, 201]);
    const perUser = await post(a!.sessionToken, 3);
    assert.equal(perUser.status, 429);
    assert.match(perUser.body.error.message, /^too many writes: /);
    // The refused write counted nothing: its address has room for one more, another person's.
    assert.equal((await post(b!.sessionToken, 4)).status, 201);
    const perAddress = await post(b!.sessionToken, 5);
    assert.equal(perAddress.status, 429);
    assert.match(perAddress.body.error.message, /^too many writes from this address: /);
    const counters = await t.db.$client.execute({ sql: 'select key, count from rate_limits where key in (?, ?, ?)', args: [`user:${a!.user.id}`, `user:${b!.user.id}`, `address:${limitedAddress('198.51.100.77')}`] });
    assert.deepEqual(Object.fromEntries(counters.rows.map((r) => [r.key, Number(r.count)])), {
      [`user:${a!.user.id}`]: 2,
      [`user:${b!.user.id}`]: 1,
      [`address:${limitedAddress('198.51.100.77')}`]: 3,
    });
  });

  test('X-Forwarded-For is believed only from a trusted proxy, read from the right', async () => {
    const people = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => signIn(t, { sub: `xff-${i}` })));
    // An untrusted peer cannot dodge its limit by inventing addresses.
    const spoofed: number[] = [];
    for (const [i, p] of people.entries()) spoofed.push((await vote(p.sessionToken, '203.0.113.9', { 'x-forwarded-for': `1.2.3.${i}` })).status);
    assert.deepEqual(spoofed, [404, 404, 404, 404, 404, 429]);

    // Behind a trusted proxy, each client is its own address…
    for (const [i, p] of people.entries()) assert.equal((await vote(p.sessionToken, '10.0.0.1', { 'x-forwarded-for': `192.0.2.${100 + i}` })).status, 404);
    // …and what the client wrote to the left of the proxy chain does not matter.
    const chain: number[] = [];
    for (const [i, p] of people.entries()) chain.push((await vote(p.sessionToken, '::1', { 'x-forwarded-for': `6.6.6.${i}, 192.0.2.50, 10.1.2.3` })).status);
    assert.deepEqual(chain, [404, 404, 404, 404, 404, 429], 'all counted as 192.0.2.50');
    // IPv4-mapped peers match IPv4 proxies.
    assert.equal((await vote(people[0]!.sessionToken, '::ffff:10.0.0.9', { 'x-forwarded-for': '192.0.2.200' })).status, 404);
  });

  test('with no trusted proxy configured, X-Forwarded-For is never believed', async () => {
    const saved = process.env.TRUSTED_PROXIES;
    delete process.env.TRUSTED_PROXIES;
    try {
      const untrusting = { ...t, app: createApp({ db: t.db, writeLimit: { limit: 1000, windowMs: 3_600_000 }, addressWriteLimit: { limit: 2, windowMs: 3_600_000 } }) };
      const s = await signIn(t, { sub: 'no-proxies' });
      const statuses: number[] = [];
      for (const i of [1, 2, 3]) {
        statuses.push((await call(untrusting, 'POST', '/v1/questions/none/vote', { token: s.sessionToken, body: { value: 1 }, address: '127.0.0.1', headers: { 'x-forwarded-for': `192.0.2.${i}` } })).status);
      }
      assert.deepEqual(statuses, [404, 404, 429], 'all three counted as 127.0.0.1');
    } finally {
      if (saved !== undefined) process.env.TRUSTED_PROXIES = saved;
    }
  });

  test('an IPv6 client is counted by its /64: new source addresses from one subscriber do not escape the limit', async () => {
    const people = await Promise.all([1, 2, 3].map((i) => signIn(t, { sub: `ipv6-${i}` })));
    const statuses: number[] = [];
    for (const [i, p] of people.entries())
      for (const address of ['2001:db8:7:1::1', `2001:db8:7:1:a:b:c:${i}`]) statuses.push((await vote(p.sessionToken, address)).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429]);
    // The same /64 however it is written; the next /64 is another subscriber.
    assert.equal((await vote(people[0]!.sessionToken, '2001:0db8:0007:0001:ffff:ffff:ffff:ffff')).status, 429);
    assert.equal((await vote(people[0]!.sessionToken, '2001:db8:7:2::1')).status, 404);
    assert.equal(limitedAddress('::1'), '0:0:0:0::/64');
    assert.equal(limitedAddress('192.0.2.1'), '192.0.2.1');
  });

  test('POST /v1/session is limited per address: guests cannot be minted in bulk', async () => {
    const strict = await setup({ sessionLimit: { limit: 3, windowMs: 3_600_000 } });
    try {
      const guestFrom = (address: string) => call(strict, 'POST', '/v1/session', { body: { site: 'demo', guestName: 'Bulk' }, address });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await guestFrom('192.0.2.77')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const limited = await guestFrom('192.0.2.77');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal((await guestFrom('192.0.2.78')).status, 200, 'another address');
    } finally {
      await strict.close();
    }
  });

  test('a bad trusted-proxy entry is refused at start', () => {
    assert.throws(() => createApp({ db: t.db, trustedProxies: ['not-an-ip'] }), /trusted proxy not-an-ip/);
  });
});

describe('duplicates, content types, body limits, idempotency', () => {
  let t: TestContext;
  before(async () => {
    t = await setup({ writeLimit: { limit: 10_000, windowMs: 3_600_000 } });
  });
  after(() => t.close());

  test('the same text twice in a row by the same person is 409 duplicate: questions, answers, tips, kudos', async () => {
    const a = await signIn(t, { sub: 'repeater' });
    const b = await signIn(t, { sub: 'someone-else' });
    const q = { topic: 'dup', title: 'How do I drain a node?', body: 'Before maintenance.' };
    await ask(t, a.sessionToken, q);
    const again = await call(t, 'POST', '/v1/questions', { token: a.sessionToken, body: { ...q, title: '  how do I  DRAIN a node? ' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
    assert.deepEqual(rules(again), ['duplicate']);
    assert.equal((await call(t, 'POST', '/v1/questions', { token: a.sessionToken, body: { ...q, body: 'Another body' } })).status, 201, 'title and body together');
    assert.equal((await call(t, 'POST', '/v1/questions', { token: b.sessionToken, body: q })).status, 201, 'another person may');

    const target = await ask(t, b.sessionToken, { topic: 'dup', title: 'A question to answer twice' });
    await answer(t, a.sessionToken, target.id, 'Cordon it first.');
    assert.deepEqual(rules(await call(t, 'POST', `/v1/questions/${target.id}/answers`, { token: a.sessionToken, body: { body: 'Cordon it first.' } })), ['duplicate']);

    await shareTip(t, a.sessionToken, { topic: 'dup', body: 'Use kubectl drain.' });
    assert.deepEqual(rules(await call(t, 'POST', '/v1/tips', { token: a.sessionToken, body: { topic: 'other', body: 'Use kubectl drain.' } })), ['duplicate']);
    await shareTip(t, a.sessionToken, { topic: 'dup', body: 'Something else in between.' });
    assert.equal((await call(t, 'POST', '/v1/tips', { token: a.sessionToken, body: { topic: 'dup', body: 'Use kubectl drain.' } })).status, 201, 'not in a row');

    await giveKudos(t, a.sessionToken, { wall: 'dup', to: b.user.id, message: 'Thanks!' });
    assert.deepEqual(rules(await call(t, 'POST', '/v1/kudos', { token: a.sessionToken, body: { wall: 'dup', to: b.user.id, message: 'thanks!', badge: 'helpful' } })), ['duplicate']);
    // The same words to someone else, or for another answer, are no repeat: one-click thanks all say the same.
    const c = await signIn(t, { sub: 'a-third' });
    assert.equal((await call(t, 'POST', '/v1/kudos', { token: a.sessionToken, body: { wall: 'dup', to: c.user.id, message: 'Thanks!', badge: 'helpful' } })).status, 201);
    const asked = await ask(t, a.sessionToken, { topic: 'dup', title: 'Two answers by one person, both thanked' });
    const [first, second] = [await answer(t, c.sessionToken, asked.id, 'One way.'), await answer(t, c.sessionToken, asked.id, 'Another way.')];
    const thank = (answerId: string) =>
      call(t, 'POST', '/v1/kudos', { token: a.sessionToken, body: { wall: 'dup', to: c.user.id, message: 'Thank you for your answer!', badge: 'helpful', for: { answerId } } });
    assert.equal((await thank(first.id)).status, 201);
    assert.equal((await thank(second.id)).status, 201);
    assert.deepEqual(rules(await thank(second.id)), ['duplicate']);

    // An Idempotency-Key retry is answered with the first response, not refused as a repeat.
    const keyed = () => call(t, 'POST', '/v1/tips', { token: b.sessionToken, headers: { 'idempotency-key': 'dup-key' }, body: { topic: 'dup', body: 'Sent with a key' } });
    assert.equal((await keyed()).status, 201);
    const retry = await keyed();
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  });

  test('every route that takes a body refuses anything but application/json with 415', async () => {
    const s = await signIn(t, { sub: 'content-type' });
    const spec = (await call(t, 'GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const writes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ method: method.toUpperCase(), path: `/v1${path.replace(/^\/v1/, '')}`.replace(/\{[^}]+\}/g, (p) => (p === '{type}' ? 'tip' : 'some-id')), op })),
    );
    assert.ok(writes.length >= 16, `found ${writes.length} routes with a body`);
    for (const { method, path } of writes) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
        const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
        const res = await t.app.request(path, { method, headers: { ...headers, authorization: `Bearer ${s.sessionToken}` }, body: '{"a":1}' });
        assert.equal(res.status, 415, `${method} ${path} with ${contentType}`);
        const body = await res.json();
        assert.deepEqual(body.error.details, [{ field: 'Content-Type', rule: 'json', message: 'Content-Type must be application/json' }]);
      }
      const charset = await t.app.request(path, { method, headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${s.sessionToken}` }, body: '{}' });
      assert.notEqual(charset.status, 415, `${method} ${path} accepts a charset`);
    }
  });

  test('malformed bodies are 400 naming the rule; oversized ones 413', async () => {
    const s = await signIn(t, { sub: 'malformed' });
    for (const raw of ['{', 'not json', '{"topic": "x",}', '\u0000']) {
      const res = await call(t, 'POST', '/v1/tips', { token: s.sessionToken, body: raw });
      assert.equal(res.status, 400, raw);
      assert.deepEqual(rules(res), ['json'], raw);
    }
    for (const raw of ['[]', '"a string"', '42', 'null']) {
      const res = await call(t, 'POST', '/v1/tips', { token: s.sessionToken, body: raw });
      assert.equal(res.status, 400, raw);
    }
    const big = await call(t, 'POST', '/v1/reports', { token: s.sessionToken, body: { type: 'tip', id: 'x', reason: 'y'.repeat(70 * 1024) } });
    assert.equal(big.status, 413);
  });

  test('every string and list in every request (bodies, queries, paths) has a length limit', async () => {
    const spec = (await call(t, 'GET', '/v1/openapi.json')).body as Record<string, any>;
    const resolve = (schema: any): any => (schema?.$ref ? spec.components.schemas[schema.$ref.split('/').pop()] : schema);
    const unbounded: string[] = [];
    const walk = (schema: any, where: string): void => {
      schema = resolve(schema);
      if (!schema) return;
      for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) walk(alt, where);
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum && schema.const === undefined) unbounded.push(where);
      if (schema.type === 'array') {
        if (schema.maxItems === undefined) unbounded.push(`${where}[]`);
        walk(schema.items, `${where}[]`);
      }
      for (const [name, prop] of Object.entries(schema.properties ?? {})) walk(prop, `${where}.${name}`);
    };
    for (const [path, ops] of Object.entries(spec.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        walk(op.requestBody?.content?.['application/json']?.schema, `${where} body`);
        for (const p of op.parameters ?? []) walk(p.schema, `${where} ${p.in} ${p.name}`);
      }
    }
    assert.deepEqual(unbounded, []);
  });

  test('an Idempotency-Key reused with another body is 409 idempotency_key_reused; after 24 hours a key is new again', async () => {
    const s = await signIn(t, { sub: 'idem-reuse' });
    const send = (key: string, body: string) => call(t, 'POST', '/v1/tips', { token: s.sessionToken, headers: { 'idempotency-key': key }, body: { topic: 'idem', body } });
    const first = await send('k-1', 'The first tip');
    assert.equal(first.status, 201);
    const reused = await send('k-1', 'Another tip entirely');
    assert.equal(reused.status, 409);
    assert.deepEqual(rules(reused), ['idempotency_key_reused']);
    assert.equal((await send('k-1', 'The first tip')).headers.get('idempotent-replayed'), 'true', 'the same body is still a retry');

    await t.db.update(idempotencyKeys).set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString() }).where(eq(idempotencyKeys.key, 'k-1'));
    const later = await send('k-1', 'A tip a day later');
    assert.equal(later.status, 201);
    assert.notEqual(later.body.id, first.body.id);
    assert.equal(later.headers.get('idempotent-replayed'), null);
  });
});
