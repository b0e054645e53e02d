/**
 * Throughput and latency of the API's hot routes as the question table grows (issue #7).
 * Measures only; changes nothing. Run with `npm run bench` (BENCH_FULL=1 adds a
 * million-question database, which takes several minutes more).
 *
 * Each database size is served at once by this process, each by a server of its own: the real
 * app (createApp, rate limits lifted) plus a bare Hono route on the same server. Route by route,
 * requests one at a time go to the sizes in turn, and then autocannon, in a worker thread of its
 * own, loads the route at each size. The load generator shares the machine's cores with the
 * server, so absolute figures say little: compare each route with `/bare` of the same run, and
 * sizes with each other.
 */
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import autocannon, { type Options, type Result } from 'autocannon';
import { Hono } from 'hono';
import { createApp } from '../../api/src/app';
import Database from 'libsql';
import { openDatabase } from '../../api/src/db/client';
import { INDEX_LISTED } from '../../api/src/lib/fts';
import { newId } from '../../api/src/lib/ids';
import { recordTargets, type Target } from './summary';
import { createSite } from '../../api/src/lib/sites';
import { closed } from '../../api/src/lib/write-lock';

const require = createRequire(import.meta.url);
/** autocannon's worker requires this module for each request's path, headers and body. */
const REQUESTS = require.resolve('./requests.cjs');
const { nth } = require('./requests.cjs') as { nth: (bench: Record<string, unknown>, i: number) => { path?: string; headers?: Record<string, string>; body?: string } };

const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [1_000, 100_000, ...(process.env.BENCH_FULL === '1' ? [1_000_000] : [])];
/** BENCH_ROUTES=bare,ask,vote measures only those rows (bare always: the others are read against it). */
const ONLY = process.env.BENCH_ROUTES ? new Set(['bare', ...process.env.BENCH_ROUTES.split(',')]) : null;
const wanted = (route: string) => !ONLY || ONLY.has(route);
const TOPIC = 'bench';
const CONNECTIONS = 50;
const DURATION_S = 8;
const WARMUP_S = 2;
const GUESTS = 16;
/** What learners type into the question box, one after another. */
const SIMILAR_QUERIES = [
  'how do I roll back a stuck deployment',
  'pod stuck in crash loop after upgr',
  'helm chart values for staging',
  'certificate expired on the ingress gateway',
  'autoscaler does not scale the worker pool',
  'database failover during a release',
  'readiness probe timeout on the new version',
  'token permission denied for the pipeline',
];
const unlimited = { limit: 1_000_000_000, windowMs: 60_000 };

// Deterministic text: words of a small technical vocabulary, so that FTS matches a realistic share of rows.
const VOCAB = (
  'deployment pod service ingress node cluster namespace secret config map volume claim storage class ' +
  'container image registry pull push tag build pipeline release rollout rollback roll back stuck crash loop ' +
  'restart health check probe readiness liveness timeout retry error warning log metric alert dashboard ' +
  'cpu memory limit request quota scheduler affinity taint toleration label selector annotation helm chart ' +
  'value template upgrade install version migration database backup restore replica primary failover ' +
  'network policy dns certificate tls proxy gateway route port load balancer traffic latency throughput ' +
  'cache queue worker job cron batch stream event webhook token role permission access audit user group ' +
  'team review merge branch commit test staging production incident postmortem runbook oncall page ' +
  'terraform module provider state plan apply drift cost budget scale autoscaler horizontal vertical'
).split(' ');

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function words(rand: () => number, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(VOCAB[Math.floor(rand() * VOCAB.length)]!);
  return out.join(' ');
}

/**
 * `size` questions in one topic of site `demo`, by one author, in one transaction on a
 * synchronous `libsql` connection of its own (the triggers of the schema keep the site's content
 * version in step and list the questions for the full-text index, as for any other write).
 */
function seedQuestions(file: string, size: number): void {
  const connection = new Database(file);
  try {
    const authorId = newId();
    const at = new Date().toISOString();
    connection
      .prepare(
        `insert into users (id, site_id, subject, name, name_key, guest, roles, expert_topics, created_at, updated_at)
         values (?, 'demo', 'bench:author', 'Bench Author', 'bench author', 0, '[]', '[]', ?, ?)`,
      )
      .run(authorId, at, at);
    const insert = connection.prepare(
      'insert into questions (id, site_id, topic, title, body, author_id, votes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const rand = prng(7);
    const start = Date.now() - size * 1000;
    connection.exec('begin immediate');
    for (let i = 0; i < size; i++) {
      const created = new Date(start + i * 1000).toISOString();
      const title = `${words(rand, 6 + Math.floor(rand() * 5))}?`;
      const body = words(rand, 20 + Math.floor(rand() * 30));
      insert.run(newId(), 'demo', TOPIC, title, body, authorId, Math.floor(rand() * 5), created, created);
    }
    // Indexed for search as the API indexes what was asked meanwhile (lib/fts.ts), in the same transaction.
    const { last } = connection.prepare('select max(id) as last from questions_fts_pending').get() as { last: number };
    for (const statement of INDEX_LISTED) connection.prepare(statement).run(last);
    connection.exec('commit');
    // Into the database file, as the API's checkpoints keep a database that grew over time. Left in
    // the WAL (the API's connections keep it from being checkpointed on close), the whole table was
    // read through it, and the first commits of the run set off a checkpoint of all of it.
    connection.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
}

interface Row {
  route: string;
  size: number;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  serial: number;
  /** Microseconds per answered request: the server's event loop busy, and CPU of the whole process (every thread, the load generator's included; user and system). */
  loopUs: number;
  cpuUs: number;
}

/** Requests being answered, and whether to refuse new ones at once (to shed a backlog between runs). */
const server = { inflight: 0, draining: false };

/**
 * An embedded libSQL query runs synchronously, so a slow route leaves a backlog of requests in the
 * sockets when autocannon stops; answering them would eat into the next measurement. They are
 * refused quickly instead, after autocannon has stopped counting.
 */
async function drain() {
  server.draining = true;
  const until = Date.now() + 30_000;
  while (server.inflight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  server.draining = false;
}

/** autocannon in one worker thread: the load generator has a core of its own, not the server's event loop. */
async function load(url: string, options: Omit<Options, 'url' | 'connections' | 'duration'>) {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, workers: 1, ...options });
  await drain();
  const [loop, cpu] = [performance.eventLoopUtilization(), process.cpuUsage()];
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, workers: 1, ...options });
  const [{ active }, { user, system }] = [performance.eventLoopUtilization(loop), process.cpuUsage(cpu)];
  await drain();
  const answered = Math.max(1, result.requests.total);
  return Object.assign(result, { loopUs: (active * 1000) / answered, cpuUs: (user + system) / answered });
}

type NextRequest = () => [string, RequestInit | undefined];

/**
 * One request at a time, what one user waits on an idle server: the median of 21 for each
 * database size, the sizes taken in turn (1k, 100k, 1M, 1k, …), so that the ratio of two sizes
 * compares them under the same load of the machine, not minutes apart (on these two shared
 * cores a route's one-at-a-time figure moved by half from one minute to the next).
 * After WARMUP_S of the same requests for each size, untimed, as the load has its warm-up:
 * what is measured is the route at that size, not its first uses (the compiler, SQLite's page
 * cache, similar questions' cache of the words of the questions it scored, which at 1M fills
 * with 1,600 questions for the 8 texts where at 1k the 1,000 questions are all there is; at 1M
 * the first hundred or so similar-questions requests took half as long again as the ones after).
 */
async function serialMs(requests: NextRequest[]): Promise<number[]> {
  const once = async (request: NextRequest) => {
    const [url, init] = request();
    const t = performance.now();
    const res = await fetch(url, init);
    await res.arrayBuffer();
    if (!res.ok && res.status !== 304) throw new Error(`${url}: ${res.status}`);
    return performance.now() - t;
  };
  for (const request of requests) for (const until = performance.now() + WARMUP_S * 1000; performance.now() < until; ) await once(request);
  const times = requests.map((): number[] => []);
  for (let i = 0; i < 21; i++) for (const [k, request] of requests.entries()) times[k]!.push(await once(request));
  return times.map((t) => t.sort((a, b) => a - b)[10]!);
}

/** One database size, served: its base URL and its guests' session tokens. */
interface Served {
  size: number;
  base: string;
  tokens: string[];
}

/** What to undo once the run ends, last first: the servers, then their databases and files. */
const cleanups: Array<() => void | Promise<void>> = [];

/**
 * A temporary database of `size` questions, served by one process with the bare route beside the
 * real app, so that `/bare` is the ceiling of the same server. Every size is served at once, by
 * this process, while the routes are measured: each in turn under load, the others idle.
 */
async function serveSize(size: number): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-bench-'));
  const file = join(dir, 'bench.db');
  const db = await openDatabase(pathToFileURL(file).href);
  cleanups.push(async () => {
    db.$client.close();
    // The checkpoint worker's last checkpoint ends before its files go.
    await closed(db);
    rmSync(dir, { recursive: true, force: true });
  });
  await createSite(db, { id: 'demo', origins: ['http://localhost:*'], guestsAllowed: true, anonymousQuestionsAllowed: true });
  const seedStart = performance.now();
  seedQuestions(file, size);
  console.log(`seeded ${size.toLocaleString('en')} questions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const options = { db, defaultSite: 'demo', version: 'bench', writeLimit: unlimited, addressWriteLimit: unlimited, sessionLimit: unlimited };
  const app = createApp(options);
  const root = new Hono();
  root.get('/bare', (c) => c.text('ok'));
  // The same app without its response cache: what a read costs when a write has just invalidated it.
  root.route('/uncached', createApp({ ...options, responseCacheBytes: 0 }));
  root.route('/', app);
  const fetchCounted = async (req: Request, env: unknown) => {
    if (server.draining) return new Response('draining', { status: 503 });
    server.inflight++;
    try {
      return await root.fetch(req, env);
    } finally {
      server.inflight--;
    }
  };
  const http = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const s = serve({ fetch: fetchCounted, port: 0, hostname: '127.0.0.1' }, () => resolveServer(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((done) => {
        http.close(() => done());
        if ('closeAllConnections' in http) http.closeAllConnections();
      }),
  );
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  // Several guests, requests dealt round-robin across them: one person alone is rate limited in production.
  const tokens: string[] = [];
  for (let i = 0; i < GUESTS; i++) {
    const res = await fetch(`${base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'demo', guestName: `Bench guest ${i}` }),
    });
    if (res.status !== 200) throw new Error(`guest session failed: ${res.status} ${await res.text()}`);
    tokens.push(((await res.json()) as { sessionToken: string }).sessionToken);
  }
  return { size, base, tokens };
}

/** Each route's one-at-a-time medians (all sizes in turn), then its load at each size. */
async function benchRoutes(sizes: Served[]): Promise<Row[]> {
  const rows: Row[] = [];
  const record = (route: string, size: number, serial: number, r: Result & { loopUs: number; cpuUs: number }) => {
    // Nothing answered within the run: latency is then unknown (longer than the run).
    const none = r.requests.total === 0;
    // A 304 is the answer a revalidating client wants, not a failure.
    const notModified = route === 'list304' ? (r.statusCodeStats?.['304']?.count ?? 0) : 0;
    rows.push({ route, size, rps: r.requests.average, p50: none ? NaN : r.latency.p50, p99: none ? NaN : r.latency.p99, bad: r.non2xx - notModified + r.errors + r.timeouts, serial, loopUs: r.loopUs, cpuUs: r.cpuUs });
    console.log(`  ${route.padEnd(8)} ${size.toLocaleString('en').padStart(9)}: ${Math.round(r.requests.average)} req/s, ${r.requests.total} answered, one at a time ${serial.toFixed(1)} ms, ${Math.round(r.loopUs)} µs of event loop and ${Math.round(r.cpuUs)} µs of CPU per request`);
  };
  /**
   * Routes measured side by side: each one's one-at-a-time medians, then, size by size, each one's
   * load right after the other (the bare route's ceiling just before the list it is the ceiling of).
   */
  const get = async (...routes: [route: string, path: string, headers?: (s: Served) => Record<string, string>][]) => {
    const measured = routes.filter(([route]) => wanted(route)).map(([route, path, headers = () => ({})]) => ({ route, path, headers }));
    const serials: number[][] = [];
    // One at a time as a plain client asks (no headers, but those the row is about: a session, an ETag), under load as said.
    for (const { route, path, headers } of measured) {
      const asked = route === 'list304' || route === 'listSignedIn';
      serials.push(await serialMs(sizes.map((s) => () => [s.base + path, asked ? { headers: headers(s) } : undefined])));
    }
    for (const [k, s] of sizes.entries()) {
      for (const [i, { route, path, headers }] of measured.entries()) record(route, s.size, serials[i]![k]!, await load(s.base + path, { headers: headers(s) }));
    }
  };
  const list = `/v1/questions?topic=${TOPIC}&limit=20`;

  // What a widget's request carries: the page's origin (the API is on another), and the encodings a browser takes.
  const browser = { origin: 'http://localhost:8080', 'accept-encoding': 'gzip, deflate, br, zstd' };
  await get(['bare', '/bare', () => browser], ['list', list, () => browser]);
  // Without those headers (curl, a server-side integration): the body is sent uncompressed.
  await get(['listPlain', list]);
  // A signed-in reader (their own votes and posts are in it): the session is checked on every request.
  await get(['listSignedIn', list, (s) => ({ ...browser, authorization: `Bearer ${s.tokens[0]}` })]);
  // A client that keeps the ETag of its last page (the widget polling, an integration) and asks again.
  const etags = new Map<Served, string>();
  for (const s of sizes) etags.set(s, (await fetch(s.base + list)).headers.get('etag')!);
  await get(['list304', list, (s) => ({ ...browser, 'if-none-match': etags.get(s)! })]);
  await get(['listDb', `/uncached${list}`, () => browser]);
  // The rest send something different each time (test/bench/requests.cjs); `start` numbers their texts apart.
  let start = 0;
  const varied = async (route: string, method: string, path: (s: Served) => string, bench: (s: Served) => Record<string, unknown> = () => ({})) => {
    if (!wanted(route)) return;
    const params = (s: Served) => ({ kind: route, tokens: s.tokens, topic: TOPIC, queries: SIMILAR_QUERIES, path: path(s), ...bench(s) });
    const serial = await serialMs(
      sizes.map((s) => () => {
        const { path: p, headers, body } = nth({ ...params(s), start: 0 }, start++);
        return [s.base + (p ?? path(s)), { method, headers, body }];
      }),
    );
    for (const [k, s] of sizes.entries()) {
      const result = await load(s.base + path(s), { bench: { ...params(s), start: (start += 1_000_000) }, requests: [{ method, path: path(s), setupRequest: REQUESTS }] });
      start += 1_000_000;
      record(route, s.size, serial[k]!, result);
    }
  };
  await varied('similar', 'GET', () => `/uncached/v1/questions/similar?topic=${TOPIC}`);
  // A vote: the smallest durable write, one user's mark and the recount, set and taken back in turn.
  const voted = new Map<Served, string>();
  for (const s of sizes) voted.set(s, ((await (await fetch(s.base + list)).json()).items as Array<{ id: string }>)[0]!.id);
  await varied('vote', 'POST', (s) => `/v1/questions/${voted.get(s)}/vote`);
  // Last: every request adds a question, which would grow the table under the reads.
  await varied('ask', 'POST', () => '/v1/questions');
  return rows;
}

const LABEL: Record<string, string> = {
  bare: 'GET /bare (Hono, no app)',
  list: 'GET /v1/questions?limit=20',
  listPlain: '  same, no Origin, no gzip',
  listSignedIn: '  same, signed in',
  list304: '  same, If-None-Match → 304',
  listDb: '  same, response cache off',
  similar: 'GET /v1/questions/similar',
  vote: 'POST /v1/questions/:id/vote (durable)',
  ask: 'POST /v1/questions (durable)',
};
const ORDER = Object.keys(LABEL);

function printTable(rows: Row[]) {
  const size = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const ms = (v: number) => (Number.isNaN(v) ? `> ${DURATION_S * 1000}` : String(v));
  const header = ['route', 'questions', 'req/s', 'p50 ms', 'p99 ms', 'vs /bare', 'non-2xx/err', '1 at a time ms', 'loop µs/req', 'CPU µs/req', 'req/s vs 1k', '1 at a time vs 1k'];
  const sorted = [...rows].sort((a, b) => ORDER.indexOf(a.route) - ORDER.indexOf(b.route) || a.size - b.size);
  const lines = sorted.map((r) => {
    const bare = rows.find((b) => b.route === 'bare' && b.size === r.size)!;
    // Within 1.5× of 1k: req/s at least 1/1.5 of it, one request at most 1.5× as slow.
    const small = rows.find((b) => b.route === r.route && b.size === SIZES[0])!;
    const scale = r.size === SIZES[0] || r.route === 'bare' ? ['', ''] : [(r.rps / small.rps).toFixed(2), `×${(r.serial / small.serial).toFixed(2)}`];
    return [LABEL[r.route]!, size(r.size), Math.round(r.rps).toLocaleString('en'), ms(r.p50), ms(r.p99), `${((100 * r.rps) / bare.rps).toFixed(1)} %`, String(r.bad), r.serial.toFixed(2), String(Math.round(r.loopUs)), String(Math.round(r.cpuUs)), ...scale];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\n${fmt(header)}\n| ${widths.map((w, i) => (i < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  for (const l of lines) console.log(fmt(l));
  const largest = SIZES[SIZES.length - 1]!;
  if (ONLY) return;
  const at = (route: string, n: number) => rows.find((r) => r.route === route && r.size === n)!;
  const list = at('list', largest);
  const ratio = (route: string) => at(route, largest).serial / at(route, SIZES[0]!).serial;
  const share = (100 * list.rps) / at('bare', largest).rps;
  const writes = (route: string, what: string): Target => {
    const r = at(route, largest);
    const cap = (cpus().length * 1e6) / r.cpuUs;
    return { target: `${what} ≥ 3,000/s, durable`, measured: `${Math.round(r.rps).toLocaleString('en')}/s at ${size(largest)}; ${Math.round(r.cpuUs)} µs of CPU each, so at most ${Math.round(cap).toLocaleString('en')}/s on these cores`, met: r.rps >= 3000 };
  };
  recordTargets([
    { target: `questions list at ${size(largest)}: ≥ 50 % of /bare`, measured: `${share.toFixed(1)} % (${Math.round(list.rps).toLocaleString('en')} vs ${Math.round(at('bare', largest).rps).toLocaleString('en')} req/s)`, met: share >= 50 },
    { target: `questions list at ${size(largest)}: p99 < 20 ms`, measured: `${list.p99} ms`, met: list.p99 < 20 },
    writes('vote', 'votes'),
    writes('ask', 'questions asked'),
    ...(SIZES.length < 2 ? [] : (['list', 'listDb', 'similar'] as const)).map((route) => ({
      target: `${{ list: 'questions list', listDb: 'questions list, cache off', similar: 'similar questions' }[route]}, one at a time: ${size(largest)} ≤ 1.5× 1k`,
      measured: `×${ratio(route).toFixed(2)} (${at(route, largest).serial.toFixed(2)} vs ${at(route, SIZES[0]!).serial.toFixed(2)} ms)`,
      met: ratio(route) <= 1.5,
    })),
  ]);
  console.log(
    `\nTargets (issue #7) at ${size(largest)}: list ${((100 * list.rps) / at('bare', largest).rps).toFixed(1)} % of /bare (≥ 50 %), p99 ${list.p99} ms (< 20 ms); ` +
      `durable writes (≥ 3,000/s): votes ${Math.round(at('vote', largest).rps).toLocaleString('en')}/s, questions ${Math.round(at('ask', largest).rps).toLocaleString('en')}/s, ` +
      `at their CPU per request (the load generator's included) these cores answer at most ${Math.round((cpus().length * 1e6) / at('ask', largest).cpuUs).toLocaleString('en')}/s (${cpus().length} cores); ` +
      `${size(largest)} vs 1k, one request at a time: list ×${(list.serial / at('list', SIZES[0]!).serial).toFixed(2)}, ` +
      `uncached list ×${(at('listDb', largest).serial / at('listDb', SIZES[0]!).serial).toFixed(2)}, similar ×${(at('similar', largest).serial / at('similar', SIZES[0]!).serial).toFixed(2)} (≤ 1.5).`,
  );
}

const started = performance.now();
let rows: Row[];
try {
  const served: Served[] = [];
  for (const size of SIZES) served.push(await serveSize(size));
  rows = await benchRoutes(served);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
printTable(rows);
console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s per route after a ${WARMUP_S} s warm-up; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
