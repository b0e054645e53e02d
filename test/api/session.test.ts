import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sign } from 'hono/jwt';
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

  test('neither token nor guestName is a validation error', async () => {
    const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo' } });
    assert.equal(res.status, 400);
    assert.ok(res.body.error.details.length > 0);
    for (const d of res.body.error.details) assert.deepEqual(Object.keys(d).sort(), ['field', 'message', 'rule']);
  });
});
