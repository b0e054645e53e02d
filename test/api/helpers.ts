import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sign } from 'hono/jwt';
import { createApp, type AppOptions } from '../../api/src/app';
import { openDatabase, type Db } from '../../api/src/db/client';
import { createSite, type NewSite } from '../../api/src/lib/sites';

export interface TestContext {
  db: Db;
  app: ReturnType<typeof createApp>;
  dir: string;
  url: string;
  /** The `acme` site's signing secret. */
  secret: string;
  /** The `demo` site's signing secret. */
  demoSecret: string;
  close(): Promise<void>;
}

/** A fresh libSQL file database in a temporary folder, migrated, with site `acme` (no guests) and `demo` (guests). */
export async function setup(options: Partial<AppOptions> = {}, acme: Partial<NewSite> = {}): Promise<TestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-test-'));
  const url = pathToFileURL(join(dir, 'test.db')).href;
  const db = await openDatabase(url);
  const { secret } = await createSite(db, {
    id: 'acme',
    name: 'Acme',
    origins: ['https://intranet.acme.example'],
    guestsAllowed: false,
    anonymousQuestionsAllowed: true,
    ...acme,
  });
  const demo = await createSite(db, { id: 'demo', origins: ['http://localhost:*'], guestsAllowed: true, anonymousQuestionsAllowed: true });
  // In-process requests share one client address: tests of other things must not trip over its limits.
  const unlimited = { limit: 1_000_000, windowMs: 60_000 };
  const app = createApp({ db, defaultSite: 'demo', version: 'test', addressWriteLimit: unlimited, sessionLimit: unlimited, ...options });
  return {
    db,
    app,
    dir,
    url,
    secret,
    demoSecret: demo.secret,
    async close() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An identity token as a host server would mint it (HS256 with the site's secret). */
export function hostToken(secret: string, claims: Record<string, unknown> = {}, alg: 'HS256' | 'HS384' | 'HS512' = 'HS256') {
  const iat = nowSeconds();
  return sign({ sub: 'user-1', name: 'Ada Lovelace', site: 'acme', iat, exp: iat + 3600, ...claims }, secret, alg);
}

type Json = Record<string, any>;

export interface CallResult {
  status: number;
  body: Json;
  headers: Headers;
}

/** Calls the app in-process like a browser would; `token` goes into `Authorization: Bearer`. */
export async function call(
  t: TestContext,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; address?: string } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await t.app.request(
    path,
    {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    },
    // What @hono/node-server hands the app: the socket whose peer is the client (or its proxy).
    options.address ? { incoming: { socket: { remoteAddress: options.address, remotePort: 40000, remoteFamily: options.address.includes(':') ? 'IPv6' : 'IPv4' } } } : undefined,
  );
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

/** Signs in on `acme` with a host token carrying `claims`; returns the session token and user. */
export async function signIn(t: TestContext, claims: Record<string, unknown> = {}) {
  const res = await call(t, 'POST', '/v1/session', { body: { site: 'acme', token: await hostToken(t.secret, claims) } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { sessionToken: string; expiresAt: string; user: Json };
}

export async function guest(t: TestContext, name = 'Guest') {
  const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo', guestName: name } });
  if (res.status !== 200) throw new Error(`guest sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { sessionToken: string; expiresAt: string; user: Json };
}

export async function ask(t: TestContext, token: string, question: Json = {}) {
  const res = await call(t, 'POST', '/v1/questions', {
    token,
    body: { topic: 'kubernetes', title: 'How do I roll back a deployment?', body: 'It is stuck.', ...question },
  });
  if (res.status !== 201) throw new Error(`ask failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function answer(t: TestContext, token: string, questionId: string, body = 'Use kubectl rollout undo.') {
  const res = await call(t, 'POST', `/v1/questions/${questionId}/answers`, { token, body: { body } });
  if (res.status !== 201) throw new Error(`answer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function shareTip(t: TestContext, token: string, tip: Json = {}) {
  const res = await call(t, 'POST', '/v1/tips', {
    token,
    body: { topic: 'kubernetes', body: 'Run `kubectl diff` before `kubectl apply`.', tags: [], ...tip },
  });
  if (res.status !== 201) throw new Error(`share failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** What a user might type into a search box that FTS5 would read as syntax: quotes, operators, column filters. */
export const HOSTILE_FTS_INPUT = [
  '"',
  '""',
  '"unbalanced',
  'roll "back',
  '*',
  'roll*',
  '* OR *',
  'NEAR(roll back, 2)',
  'NEAR',
  '(roll',
  'roll)',
  '((()))',
  '-roll',
  'roll -back',
  'AND',
  'OR OR OR',
  'NOT deployment',
  'title:roll',
  'body:roll',
  'tags:roll',
  '^roll',
  '{title body}: roll',
  "'; drop table questions; --",
  'roll + back',
  '\u0000',
  'ünïcödé ☃ 漢字',
  'a'.repeat(200),
];

export async function giveKudos(t: TestContext, token: string, kudos: Json) {
  const res = await call(t, 'POST', '/v1/kudos', { token, body: { wall: 'platform-team', message: 'Thank you!', badge: 'helpful', ...kudos } });
  if (res.status !== 201) throw new Error(`kudos failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
