import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sign } from 'hono/jwt';
import { createApp } from '../../api/src/app';
import { openDatabase } from '../../api/src/db/client';
import { addSiteSecret } from '../../api/src/lib/sites';
import { call, hostToken, nowSeconds, setup, signIn, type TestContext } from './helpers';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('POST /v1/session with a host identity token', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  const exchange = (token: string, site = 'acme') => call(t, 'POST', '/v1/session', { body: { site, token } });

  test('a valid HS256 token gives a two-hour session and the user as they see themselves', async () => {
    const res = await exchange(
      await hostToken(t.secret, {
        sub: 'ada',
        picture: 'https://img.example/ada.png',
        email: 'ada@acme.example',
        roles: ['moderator', 'astronaut'],
        expert_topics: ['kubernetes'],
        jti: 'j-1',
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.sessionToken, 'string');
    const lifetime = Date.parse(res.body.expiresAt) - Date.now();
    assert.ok(lifetime > 119 * 60_000 && lifetime <= 120 * 60_000, `lifetime ${lifetime}`);
    assert.deepEqual(
      { ...res.body.user, id: undefined },
      {
        id: undefined,
        site: 'acme',
        name: 'Ada Lovelace',
        picture: 'https://img.example/ada.png',
        guest: false,
        roles: ['moderator'],
        expertTopics: ['kubernetes'],
      },
    );
    const me = await call(t, 'GET', '/v1/me', { token: res.body.sessionToken });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, res.body.user);
  });

  test('the same subject is the same user, and a new token refreshes the profile', async () => {
    const first = await signIn(t, { sub: 'same', name: 'Old Name' });
    const second = await signIn(t, { sub: 'same', name: 'New Name', expert_topics: ['golang'] });
    assert.equal(first.user.id, second.user.id);
    assert.equal(second.user.name, 'New Name');
    assert.deepEqual(second.user.expertTopics, ['golang']);
  });

  const rejected: Array<[string, (secret: string) => Promise<string> | string]> = [
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', name: 'X', site: 'acme', iat: nowSeconds(), exp: nowSeconds() + 60 })}.`],
    ['HS384', (secret) => hostToken(secret, {}, 'HS384')],
    ['HS512', (secret) => hostToken(secret, {}, 'HS512')],
    ['a wrong secret', () => hostToken('not-the-site-secret-at-all-0123456789')],
    [
      'a tampered payload',
      async (secret) => {
        const [header, , signature] = (await hostToken(secret, { sub: 'user-1' })).split('.');
        return `${header}.${b64({ sub: 'admin', name: 'Mallory', site: 'acme', iat: nowSeconds(), exp: nowSeconds() + 60, roles: ['admin'] })}.${signature}`;
      },
    ],
    ['a missing sub', (secret) => hostToken(secret, { sub: undefined })],
    ['a missing name', (secret) => hostToken(secret, { name: undefined })],
    ['a missing site', (secret) => hostToken(secret, { site: undefined })],
    ['a missing iat', (secret) => hostToken(secret, { iat: undefined })],
    ['a missing exp', (secret) => hostToken(secret, { exp: undefined })],
    ['an expired token', (secret) => hostToken(secret, { iat: nowSeconds() - 7200, exp: nowSeconds() - 10 })],
    ['exp more than 24 h after iat', (secret) => hostToken(secret, { iat: nowSeconds(), exp: nowSeconds() + 24 * 3600 + 1 })],
    ['another site in the claims', (secret) => hostToken(secret, { site: 'demo' })],
    ['garbage', () => 'not.a.jwt'],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1', name: 'Ada', site: 'acme', iat: nowSeconds(), exp: nowSeconds() + 60 })}.`],
    ['a jti that is not a string', (secret) => hostToken(secret, { jti: 42 })],
  ];
  for (const [name, make] of rejected) {
    test(`401 for ${name}`, async () => {
      const res = await exchange(await make(t.secret));
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'unauthorized');
    });
  }

  test('a missing claim is named in the error details', async () => {
    const res = await exchange(await hostToken(t.secret, { name: undefined }));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ['name']);
  });

  test('an expired or future token says which claim is wrong', async () => {
    const expired = await exchange(await hostToken(t.secret, { iat: nowSeconds() - 7200, exp: nowSeconds() - 10 }));
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [['exp', 'expired']]);
    const future = await exchange(await hostToken(t.secret, { iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 }));
    assert.deepEqual(future.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [['iat', 'future']]);
  });

  test('exactly 24 h between iat and exp is accepted', async () => {
    const iat = nowSeconds();
    const res = await exchange(await hostToken(t.secret, { iat, exp: iat + 24 * 3600 }));
    assert.equal(res.status, 200);
  });

  test('during a rotation, tokens signed with the old or the new secret are both accepted', async () => {
    const newSecret = await addSiteSecret(t.db, 'acme');
    assert.equal((await exchange(await hostToken(t.secret, { sub: 'rot' }))).status, 200);
    assert.equal((await exchange(await hostToken(newSecret, { sub: 'rot' }))).status, 200);
  });

  test('a token with a jti is exchanged once: a replay is 401 naming jti, even after a restart of the API', async () => {
    const token = await hostToken(t.secret, { sub: 'once', jti: 'jti-once-1' });
    assert.equal((await exchange(token)).status, 200);
    const replay = await exchange(token);
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [['jti', 'replayed']]);
    // Another API process on the same database knows it too: the used jtis live in the database.
    const { createApp } = await import('../../api/src/app');
    const other = createApp({ db: t.db });
    const res = await other.request('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'acme', token }) });
    assert.equal(res.status, 401);
    // A fresh token with a fresh jti is fine.
    assert.equal((await exchange(await hostToken(t.secret, { sub: 'once', jti: 'jti-once-2' }))).status, 200);
  });

  test('tokens without a jti may be exchanged again, as before', async () => {
    const token = await hostToken(t.secret, { sub: 'no-jti' });
    assert.equal((await exchange(token)).status, 200);
    assert.equal((await exchange(token)).status, 200);
  });

  test('a jti is single use per site: the same jti from another site is another token', async () => {
    const jti = 'shared-jti';
    assert.equal((await exchange(await hostToken(t.secret, { sub: 's1', jti }))).status, 200);
    const demo = await hostToken(t.demoSecret, { sub: 's1', site: 'demo', jti });
    assert.equal((await exchange(demo, 'demo')).status, 200);
  });

  test('a refused token does not use up its jti', async () => {
    const jti = 'not-used-up';
    const wrong = await hostToken('not-the-site-secret-at-all-0123456789', { jti });
    assert.equal((await exchange(wrong)).status, 401);
    assert.equal((await exchange(await hostToken(t.secret, { jti }))).status, 200);
  });

  test('used jtis are kept until their token expires, then pruned', async () => {
    const { usedJtis } = await import('../../api/src/db/schema/index');
    const { eq } = await import('drizzle-orm');
    await t.db.insert(usedJtis).values({ siteId: 'acme', jti: 'long-gone', exp: nowSeconds() - 5 });
    assert.equal((await exchange(await hostToken(t.secret, { jti: 'prunes-others' }))).status, 200);
    assert.deepEqual(await t.db.select().from(usedJtis).where(eq(usedJtis.jti, 'long-gone')), []);
    assert.equal((await t.db.select().from(usedJtis).where(eq(usedJtis.jti, 'prunes-others'))).length, 1);
  });

  test('DELETE /v1/session signs that session out, and only that one', async () => {
    const first = await signIn(t, { sub: 'two-tabs' });
    const second = await signIn(t, { sub: 'two-tabs' });
    assert.equal((await call(t, 'DELETE', '/v1/session', { token: first.sessionToken })).status, 204);
    const me = await call(t, 'GET', '/v1/me', { token: first.sessionToken });
    assert.equal(me.status, 401);
    assert.deepEqual(me.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [['Authorization', 'revoked']]);
    assert.equal((await call(t, 'DELETE', '/v1/session', { token: first.sessionToken })).status, 401, 'signing out twice');
    assert.equal((await call(t, 'GET', '/v1/me', { token: second.sessionToken })).status, 200, 'the other session stays');
    assert.equal((await call(t, 'DELETE', '/v1/session')).status, 401, 'no session to sign out');
  });

  test('a session token whose session row is gone is refused (sid unknown)', async () => {
    const { sessions } = await import('../../api/src/db/schema/index');
    const s = await signIn(t, { sub: 'row-gone' });
    await t.db.delete(sessions);
    assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 401);
  });

  test('a session this process has verified is refused at once when another API process signs it out', async () => {
    // Two API processes: two database handles on one file, each with its own verified-token cache.
    const second = await openDatabase(t.url);
    try {
      const other = createApp({ db: second, defaultSite: 'demo', version: 'test' });
      const s = await signIn(t, { sub: 'signed-out-elsewhere' });
      assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 200);
      assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 200, 'verified, then from the cache');
      const signOut = await other.request('/v1/session', { method: 'DELETE', headers: { authorization: `Bearer ${s.sessionToken}` } });
      assert.equal(signOut.status, 204);
      const me = await call(t, 'GET', '/v1/me', { token: s.sessionToken });
      assert.equal(me.status, 401);
      assert.deepEqual(me.body.error.details.map((d: { rule: string }) => d.rule), ['revoked']);
    } finally {
      second.$client.close();
    }
  });

  test("a session this process has verified sees its user's block by another process at once", async () => {
    const { users } = await import('../../api/src/db/schema/index');
    const { eq } = await import('drizzle-orm');
    const second = await openDatabase(t.url);
    try {
      const s = await signIn(t, { sub: 'blocked-elsewhere' });
      const write = () => call(t, 'POST', '/v1/questions', { token: s.sessionToken, body: { topic: 'cache', title: `Asked at ${Math.random()}` } });
      assert.equal((await write()).status, 201);
      // The block as another process records it; its sessions stay (a blocked person may read and sign out).
      await second.update(users).set({ blockedAt: new Date().toISOString() }).where(eq(users.id, s.user.id));
      const refused = await write();
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body.error.details.map((d: { rule: string }) => d.rule), ['blocked']);
    } finally {
      second.$client.close();
    }
  });

  test('a session this process has read is refused at once when another API process deletes its row', async () => {
    const { sessions } = await import('../../api/src/db/schema/index');
    const { eq } = await import('drizzle-orm');
    const second = await openDatabase(t.url);
    try {
      const s = await signIn(t, { sub: 'deleted-elsewhere' });
      assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 200);
      assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 200, 'kept, then from what was kept');
      await second.delete(sessions).where(eq(sessions.userId, String(s.user.id)));
      // The next request comes in a later turn of the event loop, as one from a socket does (db/client.ts atTurnEnd).
      await new Promise((next) => setImmediate(next));
      assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 401);
    } finally {
      second.$client.close();
    }
  });

  test("a session this process has read shows its user's new profile once a later sign-in brings one", async () => {
    const first = await signIn(t, { sub: 'renamed', name: 'Ada Byron', roles: [] });
    const before = await call(t, 'GET', '/v1/me', { token: first.sessionToken });
    assert.equal(before.status, 200);
    assert.equal(before.body.name, 'Ada Byron');
    assert.equal((await call(t, 'GET', '/v1/me', { token: first.sessionToken })).body.name, 'Ada Byron', 'kept');
    // The host's token is the source of truth: a sign-in in another tab refreshes the profile, roles included.
    await signIn(t, { sub: 'renamed', name: 'Ada Lovelace', roles: ['moderator'] });
    const after = await call(t, 'GET', '/v1/me', { token: first.sessionToken });
    assert.equal(after.status, 200);
    assert.equal(after.body.name, 'Ada Lovelace');
    assert.deepEqual(after.body.roles, ['moderator']);
  });

  test("every column of a person but updated_at raises the site's people version, and the triggers that keep it are all there", async () => {
    // A column added to users later, or a migration that rebuilds users or sessions (and drops their triggers),
    // would let a process keep a session whose person changed: this fails first.
    const { users } = await import('../../api/src/db/schema/index');
    const { getTableColumns, sql } = await import('drizzle-orm');
    const triggers = await t.db.all<{ name: string; sql: string }>(sql`select name, sql from sqlite_master where type = 'trigger' and name like '%people_version%' order by name`);
    assert.deepEqual(triggers.map((r) => r.name), ['sessions_people_version_delete', 'sessions_people_version_update', 'users_people_version_delete', 'users_people_version_update']);
    const when = triggers.find((r) => r.name === 'users_people_version_update')!.sql;
    const watched = Object.values(getTableColumns(users)).map((column) => column.name).filter((name) => name !== 'updated_at');
    for (const column of watched) assert.ok(when.includes(`old.\`${column}\` IS NOT new.\`${column}\``), `users.${column} raises people_version`);
  });

  test('a verified session is refused once its token expires, cached or not', async (ctx) => {
    const s = await signIn(t, { sub: 'expires-in-cache' });
    assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 200);
    const expired = Date.parse(s.expiresAt) + 1000;
    ctx.mock.method(Date, 'now', () => expired);
    assert.equal((await call(t, 'GET', '/v1/me', { token: s.sessionToken })).status, 401);
  });

  test('a session token without sid (made before sessions were recorded) is refused', async () => {
    const { sessionSecret } = await import('../../api/src/lib/sessions');
    const s = await signIn(t, { sub: 'old-style' });
    const old = await sign({ sub: s.user.id, site: 'acme', kind: 'readyhand-session', iat: nowSeconds(), exp: nowSeconds() + 60 }, await sessionSecret(t.db));
    assert.equal((await call(t, 'GET', '/v1/me', { token: old })).status, 401);
  });

  test('a host token never passes as a session token', async () => {
    const token = await hostToken(t.secret);
    const res = await call(t, 'GET', '/v1/me', { token });
    assert.equal(res.status, 401);
  });

  test('a session token signed with anything but the server secret is refused', async () => {
    const forged = await sign({ sub: 'whoever', site: 'acme', kind: 'readyhand-session', iat: nowSeconds(), exp: nowSeconds() + 60 }, t.secret);
    assert.equal((await call(t, 'GET', '/v1/me', { token: forged })).status, 401);
    assert.equal((await call(t, 'GET', '/v1/me', { headers: { authorization: 'Basic abc' } })).status, 401);
  });

  test('GET /v1/me without a session is 401', async () => {
    const res = await call(t, 'GET', '/v1/me');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  test('an unknown site is 404', async () => {
    const res = await exchange(await hostToken(t.secret), 'nope');
    assert.equal(res.status, 404);
  });
});

describe('POST /v1/session as a guest', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('a site that allows guests gives each guest a fresh user', async () => {
    const a = await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName: '  Sam  ' } });
    const b = await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName: 'Sam' } });
    assert.equal(a.status, 200);
    assert.equal(a.body.user.name, 'Sam');
    assert.equal(a.body.user.guest, true);
    assert.notEqual(a.body.user.id, b.body.user.id);
  });

  test('a site that does not allow guests answers 403', async () => {
    const res = await call(t, 'POST', '/v1/session', { body: { site: 'acme', guestName: 'Sam' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
  });

  test('an empty guest name is a validation error naming guestName', async () => {
    const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName: '   ' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.equal(res.body.error.details[0].field, 'guestName');
    assert.equal(res.body.error.details[0].rule, 'too_small');
  });

  test('no guest may be called what anonymous askers show as, in any of the widgets\' languages', async () => {
    for (const guestName of ['Anonymous', ' anonymous ', 'ANONYMOUS (you)', 'Anonym', 'Anónimo', 'Anonyme (vous)']) {
      const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName } });
      assert.equal(res.status, 400, guestName);
      assert.deepEqual(res.body.error.details, [{ field: 'guestName', rule: 'reserved', message: 'guestName must not be "Anonymous": that is how anonymous askers show' }], guestName);
    }
    for (const guestName of ['Anon Ymous Fan Club Member', 'Ana Nym', 'Annie']) {
      assert.equal((await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName } })).status, 200, guestName);
    }
  });

  test('neither token nor guestName is a validation error', async () => {
    const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo' } });
    assert.equal(res.status, 400);
    assert.ok(res.body.error.details.length > 0);
    for (const d of res.body.error.details) assert.deepEqual(Object.keys(d).sort(), ['field', 'message', 'rule']);
  });
});
