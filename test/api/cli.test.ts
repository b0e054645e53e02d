import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { sign } from 'hono/jwt';
import { createApp } from '../../api/src/app';
import { openDatabase } from '../../api/src/db/client';
import { DEFAULT_BADGES, DEFAULT_REACTIONS } from '../../api/src/schemas';

const bin = resolve(fileURLToPath(import.meta.url), '../../../api/bin/readyhand.js');
const run = promisify(execFile);

describe('the readyhand command line', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'readyhand-cli-'));
    env = { ...process.env, DATABASE_URL: pathToFileURL(join(dir, 'cli.db')).href, DEMO_SITE_SECRET: '' };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('site add prints a secret that signs working identity tokens; site list shows the site', async () => {
    const { stdout } = await run(process.execPath, [bin, 'site', 'add', 'globex', '--origin', 'https://hr.globex.example', '--origin', 'http://localhost:*', '--name', 'Globex HR', '--no-anonymous', '--badge', 'rockstar', '--badge', 'helpful', '--reaction', '🚀', '--reaction', '👍🏽'], { env });
    const secret = stdout.trim().split('\n').pop()!;
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, stdout);

    const list = await run(process.execPath, [bin, 'site', 'list'], { env });
    assert.match(list.stdout, /globex\tGlobex HR\thttps:\/\/hr\.globex\.example http:\/\/localhost:\*\tno guests, no anonymous questions\tbadges rockstar, helpful; reactions 🚀 👍🏽\t1 secret/);

    const badBadge = await run(process.execPath, [bin, 'site', 'add', 'initech', '--origin', 'https://x.example', '--badge', 'Team Player'], { env }).catch((e) => e);
    assert.equal(badBadge.code, 2);
    assert.match(badBadge.stderr, /--badge Team Player: expected lower-case/);
    const badReaction = await run(process.execPath, [bin, 'site', 'add', 'initech', '--origin', 'https://x.example', '--reaction', 'ok'], { env }).catch((e) => e);
    assert.equal(badReaction.code, 2);
    assert.match(badReaction.stderr, /--reaction ok: expected one emoji/);

    const again = await run(process.execPath, [bin, 'site', 'add', 'globex', '--origin', 'https://x.example'], { env }).catch((e) => e);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists already/);

    const db = await openDatabase(env.DATABASE_URL!);
    try {
      const app = createApp({ db });
      const iat = Math.floor(Date.now() / 1000);
      const token = await sign({ sub: 'e-1', name: 'Eve', site: 'globex', iat, exp: iat + 600 }, secret, 'HS256');
      const res = await app.request('/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: 'globex', token }),
      });
      assert.equal(res.status, 200);
      const site = await app.request('/v1/sites/globex');
      assert.deepEqual(await site.json(), {
        id: 'globex',
        name: 'Globex HR',
        guestsAllowed: false,
        anonymousQuestionsAllowed: false,
        kudosBadges: ['rockstar', 'helpful'],
        reactions: ['🚀', '👍🏽'],
      });
    } finally {
      db.$client.close();
    }
  });

  test('site secret add / remove rotates a secret: old and new both sign in during the rotation, only the new after', async () => {
    const { stdout } = await run(process.execPath, [bin, 'site', 'add', 'rotor', '--origin', 'https://rotor.example'], { env });
    const oldSecret = stdout.trim().split('\n').pop()!;
    const added = await run(process.execPath, [bin, 'site', 'secret', 'add', 'rotor'], { env });
    const newSecret = added.stdout.trim().split('\n').pop()!;
    assert.match(newSecret, /^[A-Za-z0-9_-]{43}$/, added.stdout);
    assert.notEqual(newSecret, oldSecret);
    const listed = await run(process.execPath, [bin, 'site', 'secret', 'list', 'rotor'], { env });
    assert.equal(listed.stdout.trim().split('\n').length, 2);
    assert.ok(!listed.stdout.includes(oldSecret) && !listed.stdout.includes(newSecret), 'list never prints whole secrets');

    const db = await openDatabase(env.DATABASE_URL!);
    const signInWith = async (secret: string) => {
      const iat = Math.floor(Date.now() / 1000);
      const token = await sign({ sub: 'r-1', name: 'Rita', site: 'rotor', iat, exp: iat + 600 }, secret, 'HS256');
      const res = await createApp({ db }).request('/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: 'rotor', token }),
      });
      return res.status;
    };
    try {
      assert.equal(await signInWith(oldSecret), 200, 'old secret during the rotation');
      assert.equal(await signInWith(newSecret), 200, 'new secret during the rotation');

      const short = await run(process.execPath, [bin, 'site', 'secret', 'remove', 'rotor', oldSecret.slice(0, 3)], { env }).catch((e) => e);
      assert.equal(short.code, 2);
      assert.match(short.stderr, /at least 6 characters/);
      const unknown = await run(process.execPath, [bin, 'site', 'secret', 'remove', 'rotor', 'zzzzzzzzzz'], { env }).catch((e) => e);
      assert.equal(unknown.code, 2);

      await run(process.execPath, [bin, 'site', 'secret', 'remove', 'rotor', oldSecret.slice(0, 10)], { env });
      assert.equal(await signInWith(oldSecret), 401, 'old secret after the rotation');
      assert.equal(await signInWith(newSecret), 200, 'new secret after the rotation');

      const last = await run(process.execPath, [bin, 'site', 'secret', 'remove', 'rotor', newSecret.slice(0, 10)], { env }).catch((e) => e);
      assert.equal(last.code, 2);
      assert.match(last.stderr, /only secret/);
      assert.equal(await signInWith(newSecret), 200, 'the last secret stays');
      const noSite = await run(process.execPath, [bin, 'site', 'secret', 'add', 'nope'], { env }).catch((e) => e);
      assert.equal(noSite.code, 2);
    } finally {
      db.$client.close();
    }
  });

  test('--premoderation on site add and site set; site list shows it', async () => {
    await run(process.execPath, [bin, 'site', 'add', 'careful', '--origin', 'https://careful.example', '--guests', '--premoderation', 'guests'], { env });
    assert.match((await run(process.execPath, [bin, 'site', 'list'], { env })).stdout, /careful\t.*pre-moderation guests/);
    await run(process.execPath, [bin, 'site', 'set', 'careful', '--premoderation', 'everyone'], { env });
    assert.match((await run(process.execPath, [bin, 'site', 'list'], { env })).stdout, /careful\t.*pre-moderation everyone/);
    const bad = await run(process.execPath, [bin, 'site', 'set', 'careful', '--premoderation', 'sometimes'], { env }).catch((e) => e);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected off, guests or everyone/);
  });

  /** `readyhand serve --port 0 --seed` as a child process, once it listens. */
  async function serve(extraEnv: NodeJS.ProcessEnv = {}, extraArgs: string[] = []) {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--seed', ...extraArgs], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const stop = async () => {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, errors);
    };
    const url = await new Promise<string>((found, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line in 20 s:\n${output}\n${errors}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /^Readyhand listening on (http:\/\/localhost:\d+)$/m.exec(output);
        if (match) {
          clearTimeout(timer);
          found(match[1]!);
        }
      });
      child.on('exit', () => fail(new Error(`exited early:\n${output}\n${errors}`)));
    });
    return { url, output: () => output, stop };
  }

  test('serve --port 0 --seed listens, answers /v1/health over HTTP and stops on SIGTERM', async () => {
    const { url, output, stop } = await serve();
    try {
      const health = await fetch(`${url}/v1/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true, version: '0.1.0' });

      const demo = await (await fetch(`${url}/v1/sites/demo`)).json();
      assert.deepEqual(demo, {
        id: 'demo',
        name: 'Readyhand demo',
        guestsAllowed: true,
        anonymousQuestionsAllowed: true,
        kudosBadges: [...DEFAULT_BADGES],
        reactions: [...DEFAULT_REACTIONS],
      });
      const seeded = await (await fetch(`${url}/v1/questions?topic=kubernetes`)).json();
      assert.ok(seeded.items.length >= 3, 'seeded kubernetes questions');
      const intranet = await (await fetch(`${url}/v1/questions?topic=examples/intranet`)).json();
      assert.ok(intranet.items.length >= 1, 'seeded questions for the intranet example');
      for (const wall of ['examples/intranet', 'platform-team']) {
        const kudos = await (await fetch(`${url}/v1/kudos?wall=${wall}`)).json();
        assert.ok(kudos.items.length >= 2, `seeded kudos on ${wall}`);
      }
      for (const topic of ['kubernetes', 'examples/intranet', 'examples/how-to']) {
        const tips = await (await fetch(`${url}/v1/tips?topic=${topic}`)).json();
        assert.ok(tips.items.length >= 3, `seeded tips for ${topic}`);
      }
      assert.match(output(), /\/widgets\.js/);
      assert.match(output(), /\/examples\/intranet\.html/);
    } finally {
      await stop();
    }
  });

  test("serve --default-site: the snippet without a site attribute works on the operator's own site; site set --origin moves it", async () => {
    await run(process.execPath, [bin, 'site', 'add', 'acme', '--origin', 'https://intranet.acme.example', '--guests'], { env });
    const missing = await run(process.execPath, [bin, 'serve', '--port', '0', '--default-site', 'nope'], { env }).catch((e) => e);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--default-site nope: no such site/);

    // What a widget pasted without `site` asks, from the intranet's pages.
    const fromPage = (url: string, origin: string) => fetch(`${url}/v1/site`, { headers: { origin } });
    for (const [how, extraEnv, args] of [
      ['--default-site', {}, ['--default-site', 'acme']],
      ['READYHAND_DEFAULT_SITE', { READYHAND_DEFAULT_SITE: 'acme' }, []],
    ] as const) {
      const { url, output, stop } = await serve(extraEnv, [...args]);
      try {
        // Printed on the line after the one serve() waited for: it may come in a later chunk.
        for (let waited = 0; !/default site {2}acme/.test(output()) && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
        assert.match(output(), /default site {2}acme/, how);
        const res = await fromPage(url, 'https://intranet.acme.example');
        assert.equal(res.status, 200, how);
        assert.equal(res.headers.get('access-control-allow-origin'), 'https://intranet.acme.example', how);
        assert.equal((await res.json()).id, 'acme', how);
        // The demo site's origins are not acme's.
        assert.equal((await fromPage(url, 'http://localhost:3000')).headers.get('access-control-allow-origin'), null, how);
      } finally {
        await stop();
      }
    }

    // The intranet moves: the running server follows the new origins at once.
    const { url, stop } = await serve({}, ['--default-site', 'acme']);
    try {
      await run(process.execPath, [bin, 'site', 'set', 'acme', '--origin', 'https://portal.acme.example', '--origin', 'https://lms.acme.example'], { env });
      assert.match((await run(process.execPath, [bin, 'site', 'list'], { env })).stdout, /^acme\t.*\thttps:\/\/portal\.acme\.example https:\/\/lms\.acme\.example\t/m);
      assert.equal((await fromPage(url, 'https://lms.acme.example')).headers.get('access-control-allow-origin'), 'https://lms.acme.example');
      assert.equal((await fromPage(url, 'https://intranet.acme.example')).headers.get('access-control-allow-origin'), null);
    } finally {
      await stop();
    }
    const bad = await run(process.execPath, [bin, 'site', 'set', 'acme', '--origin', 'intranet.acme.example'], { env }).catch((e) => e);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected scheme:\/\/host/);
  });

  test('DEMO_SITE_SECRET set after the demo site exists is accepted too, so the host-server example works', async () => {
    // The previous test created the demo site with a generated secret.
    const secret = 'readme-demo-secret';
    const { url, output, stop } = await serve({ DEMO_SITE_SECRET: secret });
    try {
      assert.match(output(), /Added DEMO_SITE_SECRET/);
      const now = Math.floor(Date.now() / 1000);
      const token = await sign({ sub: 'host-user', name: 'Host User', site: 'demo', iat: now, exp: now + 600 }, secret, 'HS256');
      const res = await fetch(`${url}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: 'demo', token }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal((await res.json()).user.name, 'Host User');
    } finally {
      await stop();
    }
  });
});
