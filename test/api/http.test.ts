import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../api/src/app';
import { DEFAULT_BADGES, DEFAULT_REACTIONS } from '../../api/src/schemas';
import { call, setup, signIn, type TestContext } from './helpers';

describe('HTTP surface', () => {
  let t: TestContext;
  let files: string;
  before(async () => {
    files = mkdtempSync(join(tmpdir(), 'readyhand-files-'));
    mkdirSync(join(files, 'widgets'));
    mkdirSync(join(files, 'examples'));
    writeFileSync(join(files, 'widgets/widgets.js'), 'export const hello = 1;\n');
    writeFileSync(join(files, 'widgets/widgets.js.gz'), gzipSync('export const hello = 1;\n'));
    writeFileSync(join(files, 'widgets/widgets.js.map'), '{"version":3}');
    writeFileSync(join(files, 'widgets/ask-form.js'), 'export const form = 1;\n');
    mkdirSync(join(files, 'widgets/locales'));
    writeFileSync(join(files, 'widgets/locales/de.js'), 'export const templates = {};\n');
    writeFileSync(join(files, 'secret.js'), 'not for the web');
    writeFileSync(join(files, 'examples/intranet.html'), '<!doctype html><title>Intranet</title><ask-expert></ask-expert>');
    t = await setup({
      widgetsDir: join(files, 'widgets'),
      examplesDir: join(files, 'examples'),
      writeLimit: { limit: 3, windowMs: 3_600_000 },
    });
  });
  after(async () => {
    await t.close();
    rmSync(files, { recursive: true, force: true });
  });

  test('GET /v1/health answers after a database round trip', async () => {
    const res = await call(t, 'GET', '/v1/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true, version: 'test' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('GET /v1/sites/:id tells a widget what the site allows, nothing secret', async () => {
    const res = await call(t, 'GET', '/v1/sites/demo');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      id: 'demo',
      name: 'demo',
      guestsAllowed: true,
      anonymousQuestionsAllowed: true,
      kudosBadges: [...DEFAULT_BADGES],
      reactions: [...DEFAULT_REACTIONS],
    });
    assert.equal((await call(t, 'GET', '/v1/sites/acme')).body.guestsAllowed, false);
    assert.equal((await call(t, 'GET', '/v1/sites/unknown')).status, 404);
    assert.equal((await call(t, 'GET', '/v1/sites/BAD_ID')).status, 400);
  });

  test('GET /v1/site names the default site to a widget that has no site attribute', async () => {
    const res = await call(t, 'GET', '/v1/site');
    assert.equal(res.status, 200);
    assert.equal(res.body.id, 'demo');
    assert.equal((await call(t, 'GET', '/v1/site?site=acme')).body.id, 'acme');
    assert.equal((await call(t, 'GET', '/v1/site?site=unknown')).status, 404);
  });

  test('GET /v1/openapi.json describes every route from the same schemas', async () => {
    const res = await call(t, 'GET', '/v1/openapi.json');
    assert.equal(res.status, 200);
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/v1/health',
      '/v1/site',
      '/v1/sites/{id}',
      '/v1/session',
      '/v1/me',
      '/v1/questions',
      '/v1/questions/similar',
      '/v1/questions/{id}',
      '/v1/questions/{id}/answers',
      '/v1/questions/{id}/accept',
      '/v1/questions/{id}/vote',
      '/v1/answers/{id}/vote',
      '/v1/experts',
      '/v1/tips',
      '/v1/tips/tags',
      '/v1/tips/{id}',
      '/v1/tips/{id}/helpful',
      '/v1/kudos',
      '/v1/kudos/leaderboard',
      '/v1/kudos/{id}/reactions',
      '/v1/users',
      '/v1/stream',
      '/v1/reports',
      '/v1/moderation/queue',
      '/v1/moderation/audit',
      '/v1/moderation/{type}/{id}/hide',
      '/v1/moderation/{type}/{id}/restore',
      '/v1/moderation/{type}/{id}/approve',
      '/v1/moderation/users/{id}/block',
      '/v1/moderation/users/{id}/unblock',
    ]) {
      assert.ok(paths.includes(path), `${path} missing from ${paths.join(', ')}`);
    }
    for (const name of ['Question', 'QuestionDetail', 'Answer', 'Session', 'Me', 'Error', 'Site', 'Tip', 'TipPage', 'NewTip', 'TipEdit', 'HelpfulResult', 'TagList', 'Kudos', 'KudosPage', 'NewKudos', 'KudosFor', 'Reaction', 'ReactionResult', 'Leaderboard', 'UserList', 'LiveEvent']) {
      assert.ok(res.body.components.schemas[name], `schema ${name}`);
    }
    assert.deepEqual(Object.keys(res.body.paths['/v1/tips/{id}']).sort(), ['delete', 'patch']);
    assert.deepEqual(Object.keys(res.body.paths['/v1/tips']).sort(), ['get', 'post']);
  });

  test('unknown routes are 404 in the one error shape', async () => {
    const res = await call(t, 'GET', '/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message']);
    assert.equal(res.body.error.code, 'not_found');
  });

  test('a body over 64 KB is 413 in the one error shape', async () => {
    const { sessionToken } = await signIn(t, { sub: 'big' });
    const res = await call(t, 'POST', '/v1/questions', {
      token: sessionToken,
      body: { topic: 'big', title: 'A very large question', body: 'x'.repeat(65 * 1024) },
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.deepEqual(res.body.error.details, [{ field: 'body', rule: 'max_size', message: 'body must be at most 64 KB' }]);
  });

  test('over real HTTP, a body past 64 KB is 413 whether it gives its length or streams in chunks; one within passes', async () => {
    const { sessionToken } = await signIn(t, { sub: 'big-http' });
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/questions`;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` };
      const question = (size: number) => JSON.stringify({ topic: 'big', title: 'A question sent over HTTP', body: 'x'.repeat(size) });
      const chunked = (text: string) =>
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < text.length; i += 8192) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 8192)));
            controller.close();
          },
        });
      const sized = await fetch(url, { method: 'POST', headers, body: question(65 * 1024) });
      assert.equal(sized.status, 413);
      assert.equal(((await sized.json()) as { error: { code: string } }).error.code, 'payload_too_large');
      const streamed = await fetch(url, { method: 'POST', headers, body: chunked(question(65 * 1024)), duplex: 'half' } as RequestInit);
      assert.equal(streamed.status, 413);
      assert.equal(((await streamed.json()) as { error: { code: string } }).error.code, 'payload_too_large');
      assert.equal((await fetch(url, { method: 'POST', headers, body: question(1000) })).status, 201);
      assert.equal((await fetch(url, { method: 'POST', headers, body: chunked(question(2000)), duplex: 'half' } as RequestInit)).status, 201);
    } finally {
      server.close();
    }
  });

  test("CORS allows the named site's origins (port wildcard included) and refuses others", async () => {
    const preflight = (origin: string, site?: string) =>
      t.app.request(`/v1/questions${site ? `?site=${site}` : ''}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const acme = await preflight('https://intranet.acme.example', 'acme');
    assert.equal(acme.headers.get('access-control-allow-origin'), 'https://intranet.acme.example');
    assert.match(acme.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    assert.match(acme.headers.get('vary') ?? '', /Origin/);

    const evil = await preflight('https://evil.example', 'acme');
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    // An origin of another site is refused for this one.
    assert.equal((await preflight('http://localhost:5173', 'acme')).headers.get('access-control-allow-origin'), null);

    // No site parameter: the default site (demo) with http://localhost:* allows any port.
    const local = await preflight('http://localhost:5173');
    assert.equal(local.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal((await preflight('http://localhost.evil.example:5173')).headers.get('access-control-allow-origin'), null);

    const get = await t.app.request('/v1/questions?site=acme&topic=x', { headers: { origin: 'https://intranet.acme.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://intranet.acme.example');
    assert.match(get.headers.get('vary') ?? '', /Origin/);
    const refused = await t.app.request('/v1/questions?site=acme&topic=x', { headers: { origin: 'https://evil.example' } });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  test('writes are limited per user: 429 with Retry-After', async () => {
    const a = await signIn(t, { sub: 'limited' });
    const b = await signIn(t, { sub: 'not-limited' });
    const vote = (token: string) => call(t, 'POST', '/v1/questions/none/vote', { token, body: { value: 1 } });
    for (let i = 0; i < 3; i++) assert.equal((await vote(a.sessionToken)).status, 404);
    const limited = await vote(a.sessionToken);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await vote(b.sessionToken)).status, 404, 'another user is not limited');
    assert.equal((await call(t, 'GET', '/v1/questions?site=acme&topic=x', { token: a.sessionToken })).status, 200, 'reads are not limited');
  });

  test('/widgets.js is served as JavaScript to any origin, with a short cache', async () => {
    const res = await t.app.request('/widgets.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    assert.equal(await res.text(), 'export const hello = 1;\n');
    const map = await t.app.request('/widgets.js.map');
    assert.equal(map.status, 200);
    assert.match(map.headers.get('content-type') ?? '', /json/);
  });

  test('every file the build puts beside widgets.js is served (the code bundles import on demand, the translations), and nothing outside it', async () => {
    const chunk = await t.app.request('/ask-form.js');
    assert.equal(chunk.status, 200);
    assert.match(chunk.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
    assert.equal(await chunk.text(), 'export const form = 1;\n');
    const locale = await t.app.request('/locales/de.js');
    assert.equal(locale.status, 200);
    assert.equal(await locale.text(), 'export const templates = {};\n');
    assert.equal((await t.app.request('/not-built.js')).status, 404);
    for (const path of ['/..%2Fsecret.js', '/%2E%2E/secret.js', '/locales/..%2F..%2Fsecret.js', '/Widgets.js', '/.js']) {
      const res = await t.app.request(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /not for the web/, path);
    }
  });

  test('/widgets.js goes out precompressed to browsers that accept gzip, plain to others', async () => {
    const gzipped = await t.app.request('/widgets.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(gzipped.headers.get('content-encoding'), 'gzip');
    assert.match(gzipped.headers.get('vary') ?? '', /Accept-Encoding/i);
    assert.equal(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString(), 'export const hello = 1;\n');
    for (const accept of ['identity', 'gzip;q=0, br']) {
      const plain = await t.app.request('/widgets.js', { headers: { 'accept-encoding': accept } });
      assert.equal(plain.headers.get('content-encoding'), null, accept);
      assert.equal(await plain.text(), 'export const hello = 1;\n', accept);
    }
  });

  test('a bundle asked for again with its ETag is a 304 without a body while it is unchanged', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const first = await t.app.request('/widgets.js', { headers: gzip });
    const tag = first.headers.get('etag');
    assert.match(tag ?? '', /^"[^"]+"$/);
    const again = await t.app.request('/widgets.js', { headers: { ...gzip, 'if-none-match': tag! } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), tag);
    // What a browser keeps the cached copy under: still cacheable, per encoding, for any origin.
    assert.equal(again.headers.get('cache-control'), first.headers.get('cache-control'));
    assert.match(again.headers.get('vary') ?? '', /Accept-Encoding/i);
    assert.equal(again.headers.get('access-control-allow-origin'), '*');
    // The plain file is other bytes, with a tag of its own.
    const plain = await t.app.request('/widgets.js', { headers: { 'accept-encoding': 'identity', 'if-none-match': tag! } });
    assert.equal(plain.status, 200);
    assert.notEqual(plain.headers.get('etag'), tag);
    // The files loaded on demand and the translations too.
    for (const path of ['/ask-form.js', '/locales/de.js']) {
      const tagged = (await t.app.request(path)).headers.get('etag');
      assert.equal((await t.app.request(path, { headers: { 'if-none-match': tagged! } })).status, 304, path);
    }
    // A new build: the old tag no longer matches.
    writeFileSync(join(files, 'widgets/widgets.js.gz'), gzipSync('export const hello = 2;\n'));
    try {
      const rebuilt = await t.app.request('/widgets.js', { headers: { ...gzip, 'if-none-match': tag! } });
      assert.equal(rebuilt.status, 200);
      assert.equal(gunzipSync(Buffer.from(await rebuilt.arrayBuffer())).toString(), 'export const hello = 2;\n');
    } finally {
      writeFileSync(join(files, 'widgets/widgets.js.gz'), gzipSync('export const hello = 1;\n'));
    }
  });

  test('/examples/* and / are served', async () => {
    const page = await t.app.request('/examples/intranet.html');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<ask-expert>/);
    const home = await t.app.request('/');
    assert.equal(home.status, 200);
    const configurator = await home.text();
    assert.match(configurator, /Add Readyhand to your page/);
    assert.match(configurator, /\/examples\/intranet\.html/);
  });

  test('an unexpected failure is 500 "internal" without a stack', async () => {
    const broken = await setup();
    const app = createApp({ db: broken.db });
    broken.db.$client.close();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const res = await app.request('/v1/health');
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.deepEqual(body, { error: { code: 'internal', message: 'something went wrong on our side', details: [] } });
    } finally {
      console.error = original;
      await broken.close();
    }
    assert.equal(errors.length, 1, 'logged on the server instead');
  });
});
