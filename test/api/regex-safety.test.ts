// Attack tests (issue #6): every regular expression the API applies to user
// input answers 50 KB of adversarial text quickly (no catastrophic backtracking).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { ftsQuery } from '../../api/src/lib/fts';
import { decodeCursor } from '../../api/src/lib/cursor';
import { trustedProxyList } from '../../api/src/lib/client-address';
import { originAllowed } from '../../api/src/lib/sites';
import { nameKey } from '../../api/src/lib/people';
import { GuestName, KudosMessage, SiteId, Tag, Tags, TipBody, TopicKey, WallKey } from '../../api/src/schemas';
import { call, setup, signIn, type TestContext } from './helpers';

const N = 50_000;
/** Well under a second, even on a loaded two-core machine. */
const BUDGET_MS = 250;

/** Adversarial inputs: long runs of what a pattern almost matches, then what breaks the match. */
const runs: Record<string, string> = {
  'a…!': 'a'.repeat(N) + '!',
  'a-…!': 'a-'.repeat(N / 2) + '!',
  '/…!': '/'.repeat(N) + '!',
  '#…␠': '#'.repeat(N) + ' ',
  '#␠…x': '# '.repeat(N / 2) + '!',
  'space…!': ' '.repeat(N) + '!',
  'tab-space…!': ' \t'.repeat(N / 2) + '!',
  'digits…x': '1'.repeat(N) + 'x',
  'é…!': 'é'.repeat(N) + '!',
  'nested quotes': '"'.repeat(N / 2) + "'".repeat(N / 2),
  'quoted words': '"a" '.repeat(N / 4) + '"',
  'fts operators': 'NEAR( a* OR "b" AND -c '.repeat(N / 24),
  'combining marks': 'e\u0301'.repeat(N / 2) + '!',
  'base64url…!': 'A'.repeat(N) + '!',
};

function timed(label: string, run: () => unknown): number {
  const start = performance.now();
  try {
    run();
  } catch {
    // a refusal is an answer too: only the time matters here
  }
  const ms = performance.now() - start;
  console.log(`${label.padEnd(48)} ${ms.toFixed(2).padStart(8)} ms`);
  return ms;
}

describe('regular expressions on user input stay linear', () => {
  const functions: Record<string, (input: string) => unknown> = {
    'SiteId.safeParse': (s) => SiteId.safeParse(s),
    'TopicKey.safeParse': (s) => TopicKey.safeParse(s),
    'WallKey.safeParse': (s) => WallKey.safeParse(s),
    // Tag caps its input at 64 characters first: send the long run as the value and as many short ones.
    'Tag.safeParse': (s) => Tag.safeParse(s),
    'Tags.safeParse (5 × 64-char slices)': (s) => Tags.safeParse([0, 1, 2, 3, 4].map((i) => s.slice(i * 64, i * 64 + 64))),
    'GuestName.safeParse': (s) => GuestName.safeParse(s),
    'TipBody.safeParse': (s) => TipBody.safeParse(s),
    'KudosMessage.safeParse': (s) => KudosMessage.safeParse(s),
    'ftsQuery any': (s) => ftsQuery(s, 'any'),
    'ftsQuery all': (s) => ftsQuery(s, 'all'),
    nameKey: (s) => nameKey(s),
    decodeCursor: (s) => decodeCursor(s),
    trustedProxyList: (s) => trustedProxyList([s, `10.0.0.0/${s}`]),
    originAllowed: (s) => originAllowed(`http://${s}`, ['http://localhost:*', `http://${s}:*`]),
  };

  for (const [name, fn] of Object.entries(functions)) {
    test(name, () => {
      for (const [label, input] of Object.entries(runs)) {
        assert.ok(timed(`${name} ${label}`, () => fn(input)) < BUDGET_MS, `${name} on ${label}`);
      }
    });
  }
});

describe('regular expressions in request handling stay linear', () => {
  let t: TestContext;
  let token: string;
  before(async () => {
    t = await setup({ trustedProxies: ['10.0.0.0/8'] });
    token = (await signIn(t, { sub: 'regex' })).sessionToken;
  });
  after(() => t.close());

  const requests: Record<string, (s: string) => Promise<unknown>> = {
    'Authorization: Bearer …': (s) => call(t, 'GET', '/v1/questions?site=acme&topic=x', { headers: { authorization: `Bearer ${s} x` } }),
    'Content-Type: application/json…': (s) =>
      call(t, 'POST', '/v1/questions', { token, body: '{}', headers: { 'content-type': `application/json${s}` } }),
    'Accept-Encoding': (s) => call(t, 'GET', '/v1/health', { headers: { 'accept-encoding': s } }),
    'X-Forwarded-For from a trusted proxy': (s) =>
      call(t, 'POST', '/v1/questions/none/vote', { token, body: { value: 1 }, address: '10.0.0.1', headers: { 'x-forwarded-for': `${s}, ::ffff:${s}` } }),
    'Last-Event-ID': (s) => call(t, 'GET', '/v1/stream?site=acme&topics=x', { headers: { 'last-event-id': s } }),
    'Idempotency-Key': (s) => call(t, 'POST', '/v1/tips', { token, body: { topic: 'x', body: 'A tip', tags: [] }, headers: { 'idempotency-key': s } }),
    'cursor query': (s) => call(t, 'GET', `/v1/tips?site=acme&topic=x&cursor=${encodeURIComponent(s.slice(0, 512))}`),
    'tip search q': (s) => call(t, 'GET', `/v1/tips?site=acme&topic=x&q=${encodeURIComponent(s.slice(0, 200))}`),
    'similar questions q': (s) => call(t, 'GET', `/v1/questions/similar?site=acme&topic=x&q=${encodeURIComponent(s.slice(0, 200))}`),
    'topic query': (s) => call(t, 'GET', `/v1/questions?site=acme&topic=${encodeURIComponent(s)}`),
  };

  const inHeader = new Set(['Authorization: Bearer …', 'Content-Type: application/json…', 'Accept-Encoding', 'X-Forwarded-For from a trusted proxy', 'Last-Event-ID', 'Idempotency-Key']);
  for (const [name, request] of Object.entries(requests)) {
    test(name, async () => {
      for (const [label, input] of Object.entries(runs)) {
        // A header holds Latin-1 only: fetch refuses anything else before the API sees it.
        if (inHeader.has(name) && /[^\x00-\xff]/.test(input)) continue;
        const start = performance.now();
        // The stream answers with an open event stream: only its headers are awaited.
        await Promise.race([request(input), new Promise((r) => setTimeout(r, 1000))]);
        const ms = performance.now() - start;
        console.log(`${name.padEnd(48)} ${label.padEnd(16)} ${ms.toFixed(2).padStart(8)} ms`);
        assert.ok(ms < 900, `${name} on ${label}: ${ms.toFixed(0)} ms`);
      }
    });
  }
});
