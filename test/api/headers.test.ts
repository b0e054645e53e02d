import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../api/src/app';
import { call, setup, signIn, type TestContext } from './helpers';

/** What every response carries, whatever served it: API, bundle, examples, errors. */
function assertSecurityHeaders(res: Response, what: string) {
  const h = res.headers;
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.equal(h.get('x-frame-options'), 'SAMEORIGIN', what);
  assert.equal(h.get('referrer-policy'), 'no-referrer', what);
  assert.match(h.get('strict-transport-security') ?? '', /max-age=\d+/, what);
  assert.equal(h.get('cross-origin-opener-policy'), 'same-origin', what);
  // widgets.js is loaded by other sites' pages: cross-origin, deliberately.
  assert.equal(h.get('cross-origin-resource-policy'), 'cross-origin', what);
  assert.equal(h.get('x-powered-by'), null, what);
}

describe('security headers', () => {
  let t: TestContext;
  let files: string;
  before(async () => {
    files = mkdtempSync(join(tmpdir(), 'readyhand-headers-'));
    mkdirSync(join(files, 'widgets'));
    mkdirSync(join(files, 'examples'));
    writeFileSync(join(files, 'widgets/widgets.js'), 'export {};\n');
    writeFileSync(join(files, 'examples/page.html'), '<!doctype html><title>x</title>');
    t = await setup({ widgetsDir: join(files, 'widgets'), examplesDir: join(files, 'examples'), writeLimit: { limit: 1, windowMs: 3_600_000 } });
  });
  after(async () => {
    await t.close();
    rmSync(files, { recursive: true, force: true });
  });

  test('on every response: API, errors of every kind, the bundle, the examples, the home page, the stream', async () => {
    const s = await signIn(t, { sub: 'headers' });
    const json = { 'content-type': 'application/json' };
    const cases: Array<[string, () => Response | Promise<Response>, number]> = [
      ['health', () => t.app.request('/v1/health'), 200],
      ['openapi', () => t.app.request('/v1/openapi.json'), 200],
      ['404 route', () => t.app.request('/v1/nope'), 404],
      ['401', () => t.app.request('/v1/me'), 401],
      ['400', () => t.app.request('/v1/questions?topic='), 400],
      ['415', () => t.app.request('/v1/tips', { method: 'POST', body: 'x', headers: { authorization: `Bearer ${s.sessionToken}` } }), 415],
      ['413', () => t.app.request('/v1/tips', { method: 'POST', body: 'x'.repeat(70_000), headers: { ...json, authorization: `Bearer ${s.sessionToken}` } }), 413],
      ['403', () => t.app.request('/v1/moderation/queue', { headers: { authorization: `Bearer ${s.sessionToken}` } }), 403],
      ['first write', () => t.app.request('/v1/questions/x/vote', { method: 'POST', body: '{"value":1}', headers: { ...json, authorization: `Bearer ${s.sessionToken}` } }), 404],
      ['429', () => t.app.request('/v1/questions/x/vote', { method: 'POST', body: '{"value":1}', headers: { ...json, authorization: `Bearer ${s.sessionToken}` } }), 429],
      ['preflight', () => t.app.request('/v1/tips?site=acme', { method: 'OPTIONS', headers: { origin: 'https://intranet.acme.example', 'access-control-request-method': 'POST' } }), 204],
      ['widgets.js', () => t.app.request('/widgets.js'), 200],
      ['widgets.js.map missing', () => t.app.request('/widgets.js.map'), 404],
      ['example page', () => t.app.request('/examples/page.html'), 200],
      ['missing example', () => t.app.request('/examples/none.html'), 404],
      ['home', () => t.app.request('/'), 200],
    ];
    for (const [what, send, status] of cases) {
      const res = await send();
      assert.equal(res.status, status, what);
      assertSecurityHeaders(res, what);
      if (res.headers.get('content-type')?.startsWith('application/json') && !['widgets.js.map missing', 'missing example'].includes(what)) {
        assert.equal(res.headers.get('cache-control'), 'no-store', what);
      }
    }
    // Reads with an ETag: the asker's browser keeps them but revalidates each time, per token and origin.
    const reads: Array<[string, RequestInit]> = [
      ['list', {}],
      ['list, signed in, from the site', { headers: { authorization: `Bearer ${s.sessionToken}`, origin: 'https://intranet.acme.example' } }],
    ];
    for (const path of ['/v1/questions?site=acme&topic=kubernetes', '/v1/questions/similar?site=acme&topic=kubernetes&q=probe']) {
      for (const [what, init] of reads) {
        const res = await t.app.request(path, init);
        assert.equal(res.status, 200, `${path} ${what}`);
        assertSecurityHeaders(res, what);
        assert.equal(res.headers.get('cache-control'), 'private, no-cache', `${path} ${what}`);
        const vary = (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
        assert.ok(vary.includes('authorization') && vary.includes('origin'), `${path} ${what}: Vary ${res.headers.get('vary')}`);
        assert.equal(new Set(vary).size, vary.length, `${path} ${what}: no header named twice in Vary`);
        const again = await t.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'if-none-match': res.headers.get('etag')! } });
        assert.equal(again.status, 304, `${path} ${what}`);
        assert.equal(again.headers.get('cache-control'), 'private, no-cache', `${path} ${what}: 304`);
        assert.equal(again.headers.get('vary'), res.headers.get('vary'), `${path} ${what}: 304`);
      }
    }
    // The same routes refused, and reads without an ETag, are kept by no cache.
    assert.equal((await t.app.request('/v1/questions?site=acme&topic=')).headers.get('cache-control'), 'no-store');
    assert.equal((await t.app.request('/v1/questions?site=nowhere&topic=kubernetes')).headers.get('cache-control'), 'no-store');
    const stream = await t.app.request('/v1/stream?site=acme', { signal: AbortSignal.timeout(200) });
    assertSecurityHeaders(stream, 'stream');
    await stream.body?.cancel().catch(() => undefined);
  });

  test('API responses forbid rendering and framing them; a 500 carries the headers too', async () => {
    const res = await t.app.request('/v1/health');
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    const broken = await setup();
    const app = createApp({ db: broken.db });
    broken.db.$client.close();
    const original = console.error;
    console.error = () => undefined;
    try {
      const failed = await app.request('/v1/health');
      assert.equal(failed.status, 500);
      assertSecurityHeaders(failed, '500');
    } finally {
      console.error = original;
      await broken.close();
    }
  });
});

describe('CORS: exactly the origins of the site concerned', () => {
  let t: TestContext;
  let acmeSession: string;
  before(async () => {
    t = await setup();
    acmeSession = (await signIn(t, { sub: 'cors' })).sessionToken;
  });
  after(() => t.close());

  const ACME = 'https://intranet.acme.example';
  const origins: Array<[string, string, boolean]> = [
    ['the site’s own origin', ACME, true],
    ['another origin', 'https://evil.example', false],
    ['the null origin (sandboxed frames, file: pages)', 'null', false],
    ['an origin of another site (demo)', 'http://localhost:5173', false],
    ['a look-alike of the site’s origin', 'https://intranet.acme.example.evil.example', false],
    ['the site’s host over http', 'http://intranet.acme.example', false],
  ];

  for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
    for (const [name, origin, allowed] of origins) {
      test(`preflight ${method} from ${name}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const res = await t.app.request('/v1/tips/some-id?site=acme', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
        });
        assert.equal(res.headers.get('access-control-allow-origin'), allowed ? origin : null);
        assert.match(res.headers.get('vary') ?? '', /Origin/, 'caches keep one answer per origin');
        assert.equal(res.headers.get('access-control-allow-credentials'), null, 'no cookies, ever');
        if (allowed) {
          assert.match(res.headers.get('access-control-allow-methods') ?? '', new RegExp(method));
          assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
        }
      });
    }
  }

  for (const [name, origin, allowed] of origins) {
    test(`requests from ${name}: ${allowed ? 'readable' : 'not readable'}, with Vary: Origin`, async () => {
      const read = await t.app.request('/v1/tips?site=acme&topic=x', { headers: { origin } });
      assert.equal(read.headers.get('access-control-allow-origin'), allowed ? origin : null);
      assert.match(read.headers.get('vary') ?? '', /Origin/);
      // A write names no site: the session's site decides.
      const write = await call(t, 'POST', '/v1/questions/none/vote', { token: acmeSession, body: { value: 1 }, headers: { origin } });
      assert.equal(write.headers.get('access-control-allow-origin'), allowed ? origin : null);
      assert.match(write.headers.get('vary') ?? '', /Origin/);
    });
  }

  test('an acme session used from the default site’s origin is not readable there', async () => {
    // No site parameter: without the token's site, the default site (demo, localhost:*) would have allowed it.
    const res = await call(t, 'GET', '/v1/me', { token: acmeSession, headers: { origin: 'http://localhost:5173' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const own = await call(t, 'GET', '/v1/me', { token: acmeSession, headers: { origin: ACME } });
    assert.equal(own.headers.get('access-control-allow-origin'), ACME);
    const garbage = await call(t, 'GET', '/v1/site', { headers: { origin: 'http://localhost:5173', authorization: 'Bearer not.a.jwt' } });
    assert.equal(garbage.headers.get('access-control-allow-origin'), 'http://localhost:5173', 'an unreadable token falls back to the default site');
  });

  test('/widgets.js is the one response any origin may read', async () => {
    const res = await t.app.request('/widgets.js', { headers: { origin: 'https://evil.example' } });
    // Built or not, the answer is the same for every origin.
    assert.ok([200, 404].includes(res.status));
    if (res.status === 200) assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });
});
