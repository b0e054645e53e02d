// Component tests: the real elements in Chromium against the REAL API.
//
// The config starts the API (fresh database, demo site seeded) as a child
// process, and a small gateway in front of it that the tests can switch
// down (connections refused mid-flight), to failing (every request answered
// 503), or to losing POST responses (the API did the work, the browser never
// heard back), to test drafts, resends and reconnects against the real server. A closed port gives the error state.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { sign } from 'hono/jwt';

const dataDir = mkdtempSync(join(tmpdir(), 'readyhand-wtr-'));
// Every test browser signs in from 127.0.0.1: lift the per-address limits meant for real offices.
const unlimited = { READYHAND_SIGNINS_PER_MINUTE: '100000', READYHAND_ADDRESS_WRITES_PER_MINUTE: '100000', READYHAND_WRITES_PER_MINUTE: '100000' };
const databaseEnv = { ...process.env, ...unlimited, DATABASE_URL: `file:${join(dataDir, 'readyhand.db')}` };

/** Adds a site through the command line, as an operator would, and returns its signing secret. */
function addSite(id, ...flags) {
  const args = ['site', 'add', id, '--origin', 'http://localhost:*', '--origin', 'http://127.0.0.1:*', ...flags];
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], { env: databaseEnv, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`readyhand site add failed:\n${run.stdout}${run.stderr}`);
  return run.stdout.trim().split('\n').at(-1).trim();
}

/** Starts `readyhand serve` and resolves with its base URL once it listens. */
function startApi() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', 'serve', '--port', '0', '--seed'], {
    env: databaseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      const match = /Readyhand listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`the API exited (${code}) before listening:\n${output}`)));
  });
  return { child, url };
}

/** A port nothing listens on: a widget pointed there is in its error state. */
async function closedPort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Forwards to the API, unless switched `down`, `fail`, `slow`, to `lose-responses` (POST only), or to
 * `hold-reads`: a GET (but the stream) is read by the API at once and its answer held until the mode
 * changes, as a reload read before a write and answered after it.
 */
function startGateway(target) {
  const upstream = new URL(target);
  let mode = 'up';
  const sockets = new Set();
  let held = [];
  const forward = (req, res) => {
    const lose = mode === 'lose-responses' && req.method === 'POST';
    const hold = mode === 'hold-reads' && req.method === 'GET' && !req.url.startsWith('/v1/stream');
    const request = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        const send = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (hold) held.push(send);
        else send();
      },
    );
    request.on('error', () => req.socket.destroy());
    req.pipe(request);
  };
  const server = http.createServer((req, res) => {
    if (mode === 'down') return req.socket.destroy();
    // `fail`: an HTTP error, readable across origins, as from an overloaded API.
    if (mode === 'fail') {
      res.writeHead(503, { 'content-type': 'application/json', 'access-control-allow-origin': req.headers.origin ?? '*' });
      return res.end('{"error":{"code":"unavailable","message":"gateway switched to fail"}}');
    }
    // `slow`: every answer takes 1.5 s, long enough to look at the loading state.
    if (mode === 'slow') return setTimeout(() => forward(req, res), 1500);
    forward(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  return {
    url: new Promise((r) => server.once('listening', () => r(`http://127.0.0.1:${server.address().port}`))),
    setMode(next) {
      mode = next;
      if (next !== 'hold-reads') for (const send of held.splice(0)) send();
      // Kept-alive connections would otherwise carry on as if nothing happened.
      if (next === 'down' || next === 'fail') for (const socket of sockets) socket.destroy();
    },
    close: () => server.close(),
  };
}

// A second site like an intranet's: no guests, no anonymous questions, learners signed in by the host's token.
const intranetSecret = addSite('intranet', '--no-anonymous');
// A community site where every new post of guests and learners waits for a moderator (pre-moderation).
const heldSecret = addSite('held', '--guests', '--premoderation', 'everyone');

/**
 * The intranet's own token endpoint, on the test page's origin as `token-url`
 * expects: for the learner its `intranet_user` cookie names, a 70 s identity
 * token for the "intranet" site (with a single-use `jti` unless `?reusable`);
 * 401 without the cookie. Counts its calls.
 */
let intranetTokens = 0;
async function intranetTokenEndpoint(ctx, next) {
  if (ctx.path !== '/intranet/token') return next();
  intranetTokens++;
  const user = /(?:^|;\s*)intranet_user=([^;]+)/.exec(ctx.get('cookie'))?.[1];
  ctx.set('cache-control', 'no-store');
  if (!user) {
    ctx.status = 401;
    ctx.body = 'not signed in to the intranet';
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const claims = { site: 'intranet', sub: user, name: decodeURIComponent(user), iat: now, exp: now + 70 };
  if (ctx.query.reusable === undefined) claims.jti = crypto.randomUUID();
  ctx.body = { token: await sign(claims, intranetSecret, 'HS256') };
}
/**
 * The widgets' sources as the browser asks for them. A module imported under a URL of its own
 * (`./draft-form.js?retry=1`, as a Retry of the forms does) is not rewritten to its `.ts` file the
 * way a plain import is: it is served from there. And the next request for the module a test names
 * (`fail-next-fetch`, say `draft-form`) fails, as a chunk whose fetch fails for real.
 */
let failNextFetch = '';
async function sourceModules(ctx, next) {
  if (failNextFetch && ctx.path.replace(/\.[jt]s$/, '').endsWith(`/${failNextFetch}`)) {
    failNextFetch = '';
    ctx.status = 503;
    ctx.body = 'failed as the test asked';
    return;
  }
  const ts = ctx.path.replace(/\.js$/, '.ts');
  if (ctx.path.startsWith('/packages/') && ts !== ctx.path && !existsSync(`.${ctx.path}`) && existsSync(`.${ts}`)) ctx.path = ts;
  return next();
}

const api = startApi();
const stop = () => {
  api.child.kill();
  rmSync(dataDir, { recursive: true, force: true });
};
process.once('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const apiUrl = await api.url;
const gateway = startGateway(apiUrl);
const env = { intranetSecret, heldSecret, api: apiUrl, gateway: await gateway.url, closed: `http://127.0.0.1:${await closedPort()}` };

// A failing assertion whose value is a DOM node cannot be cloned to be reported
// (DataCloneError) and the run hangs (modernweb-dev/web#2967): clone what can be
// cloned, and turn nodes into their markup and functions into their names.
const cloneGuard = `(() => {
  const clone = window.structuredClone.bind(window);
  const plain = (v, seen) => {
    if (v instanceof Node) return v.outerHTML ?? v.textContent;
    if (typeof v === 'function') return '[function ' + (v.name || 'anonymous') + ']';
    if (typeof v === 'symbol') return String(v);
    if (!v || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => plain(x, seen));
    const out = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k], seen);
    if (v instanceof Error) Object.assign(out, { name: v.name, message: v.message, stack: v.stack });
    return out;
  };
  window.structuredClone = (v, o) => {
    try { return clone(v, o); } catch { return clone(plain(v, new WeakSet()), o); }
  };
})();`;

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source'] },
  concurrency: 1,
  // The XSS corpus file renders hundreds of hostile records in all three widgets: give files room.
  testsFinishTimeout: 240_000,
  testFramework: { config: { timeout: 10_000 } },
  middleware: [intranetTokenEndpoint, sourceModules],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    {
      name: 'readyhand-gateway',
      async executeCommand({ command, payload, session }) {
        if (command === 'intranet-tokens') return intranetTokens;
        if (command === 'fail-next-fetch') {
          // The page asks the server, not the browser's cache where an earlier test file's page left the module.
          await session.browser.getPage(session.id).setCacheEnabled(false);
          failNextFetch = payload;
          return true;
        }
        if (command !== 'gateway') return undefined;
        gateway.setMode(payload);
        return true;
      },
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Readyhand component tests</title></head>
  <body>
    <script>window.READYHAND_TEST = ${JSON.stringify(env)};${cloneGuard}</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
