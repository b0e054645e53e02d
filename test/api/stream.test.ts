import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Db } from '../../api/src/db/client';
import { liveHub } from '../../api/src/lib/events';
import { LiveEvent } from '../../api/src/schemas';
import { listen, type RunningServer } from '../../api/src/server';
import { answer, ask, call, giveKudos, guest, setup, shareTip, signIn, type TestContext } from './helpers';
import { connect, type Received, type SseClient } from './sse';

const POLL_MS = 50;
const HEARTBEAT_MS = 150;

const payloadOf = (e: Received) => LiveEvent.parse(JSON.parse(e.data));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for any write to have been polled and delivered. */
const settle = () => pause(POLL_MS * 6);

async function until(condition: () => boolean, what: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

describe('live updates over HTTP', () => {
  let t: TestContext;
  let server: RunningServer;
  const clients: SseClient[] = [];
  const open = async (query: string, headers: Record<string, string> = {}, base = server.url) => {
    const client = await connect(`${base}/v1/stream?${query}`, headers);
    clients.push(client);
    return client;
  };
  let asker: Awaited<ReturnType<typeof signIn>>;
  let helper: Awaited<ReturnType<typeof signIn>>;

  before(async () => {
    t = await setup();
    server = await listen({ db: t.db, port: 0, defaultSite: 'demo', version: 'test', live: { pollMs: POLL_MS, heartbeatMs: HEARTBEAT_MS } });
    asker = await signIn(t, { sub: 'live-asker', name: 'Live Asker' });
    helper = await signIn(t, { sub: 'live-helper', name: 'Live Helper' });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
    await t.close();
  });

  test('an event-stream with CORS for the site; refusals in the one error shape before it starts', async () => {
    const client = await open('site=acme', { origin: 'https://intranet.acme.example' });
    assert.equal(client.res.status, 200);
    assert.match(client.res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(client.res.headers.get('access-control-allow-origin'), 'https://intranet.acme.example');
    assert.equal(client.res.headers.get('cache-control'), 'no-store');
    client.close();

    const refused = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/v1/stream?${query}`, { headers });
      return { status: res.status, body: await res.json() };
    };
    assert.equal((await refused('site=nowhere')).status, 404);
    assert.deepEqual((await refused('site=acme&topics=ok,bad%20key')).body.error.details[0].field, 'topics');
    assert.deepEqual((await refused('site=acme&walls=a,%3Cb%3E')).body.error.details[0].field, 'walls');
    const badId = await refused('site=acme', { 'last-event-id': 'abc' });
    assert.deepEqual(badId.body.error.details, [{ field: 'Last-Event-ID', rule: 'integer', message: 'Last-Event-ID must be the id of an event this stream sent' }]);
    assert.equal((await refused('site=acme&lastEventId=-1')).status, 400);
  });

  test('two clients see every kind of event, in the same order, presented as to a reader who is not signed in', async () => {
    const [a, b] = [await open('site=acme'), await open('site=acme')];
    await settle();
    const question = await ask(t, asker.sessionToken, { topic: 'live', title: 'A question asked anonymously', anonymous: true });
    const own = await answer(t, asker.sessionToken, question.id, 'The asker answers their own question.');
    const reply = await answer(t, helper.sessionToken, question.id, 'A helpful answer.');
    await call(t, 'POST', `/v1/questions/${question.id}/accept`, { token: asker.sessionToken, body: { answerId: reply.id } });
    const tip = await shareTip(t, helper.sessionToken, { topic: 'live', tags: ['Live'] });
    const kudos = await giveKudos(t, helper.sessionToken, { wall: 'live', to: asker.user.id });

    const [seenA, seenB] = [await a.waitFor(6), await b.waitFor(6)];
    assert.deepEqual(seenA, seenB);
    const ids = seenA.map((e) => Number(e.id));
    assert.ok(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]!)), `increasing ids ${ids}`);
    assert.deepEqual(seenA.map((e) => e.event), ['question.asked', 'answer.posted', 'answer.posted', 'answer.accepted', 'tip.shared', 'kudos.given']);
    const [asked, ownPosted, posted, accepted, shared, given] = seenA.map(payloadOf);

    assert.deepEqual(asked, { type: 'question.asked', topic: 'live', question: { ...question, author: null, mine: false } });
    const beforeKudos = JSON.stringify(seenA.slice(0, 5));
    assert.ok(!beforeKudos.includes(asker.user.id) && !beforeKudos.includes('Live Asker'), 'nothing names the anonymous asker');
    assert.equal(ownPosted!.type === 'answer.posted' && ownPosted!.answer.author.id, 'anonymous', "the asker's own answer keeps them hidden");
    assert.deepEqual(posted, { type: 'answer.posted', topic: 'live', questionId: question.id, answer: { ...reply, mine: false } });
    assert.deepEqual(accepted, { type: 'answer.accepted', topic: 'live', questionId: question.id, answerId: reply.id });
    assert.deepEqual(shared, { type: 'tip.shared', topic: 'live', tip: { ...tip, mine: false } });
    assert.deepEqual(given, { type: 'kudos.given', wall: 'live', kudos: { ...kudos, mine: false } });
    assert.equal(ownPosted!.type === 'answer.posted' && ownPosted!.answer.id, own.id);
  });

  test('a client reconnecting with Last-Event-ID gets exactly what it missed, then the live events', async () => {
    const first = await open('site=acme&topics=resume');
    await settle();
    await shareTip(t, helper.sessionToken, { topic: 'resume', body: 'Tip 1' });
    await shareTip(t, helper.sessionToken, { topic: 'resume', body: 'Tip 2' });
    const before = await first.waitFor(2);
    const connected = liveHub(t.db).size;
    first.close();
    await until(() => liveHub(t.db).size === connected - 1, 'the disconnect');

    const missed = [];
    for (let i = 3; i <= 5; i++) missed.push(await shareTip(t, helper.sessionToken, { topic: 'resume', body: `Tip ${i}` }));
    await shareTip(t, helper.sessionToken, { topic: 'elsewhere', body: 'Not followed' });

    const resumed = await open('site=acme&topics=resume', { 'last-event-id': before[1]!.id! });
    await resumed.waitFor(3);
    await shareTip(t, helper.sessionToken, { topic: 'resume', body: 'Tip 6' });
    const after = await resumed.waitFor(4);
    await settle();
    const bodies = resumed.events().map((e) => (payloadOf(e) as { tip: { body: string } }).tip.body);
    assert.deepEqual(bodies, ['Tip 3', 'Tip 4', 'Tip 5', 'Tip 6'], 'no more, no less, in order');
    assert.ok(Number(after[0]!.id) > Number(before[1]!.id));

    // The query parameter stands in for the header (EventSource cannot set it on the first connect).
    const byQuery = await open(`site=acme&topics=resume&lastEventId=${before[0]!.id}`);
    await byQuery.waitFor(5);
    await settle();
    assert.deepEqual(
      byQuery.events().map((e) => (payloadOf(e) as { tip: { body: string } }).tip.body),
      ['Tip 2', 'Tip 3', 'Tip 4', 'Tip 5', 'Tip 6'],
    );

    // An id the log never reached starts from now too, instead of waiting for the log to get there.
    const ahead = await open('site=acme&topics=resume', { 'last-event-id': '999999999' });
    await settle();
    await shareTip(t, helper.sessionToken, { topic: 'resume', body: 'Tip 7' });
    assert.deepEqual((payloadOf((await ahead.waitFor(1))[0]!) as { tip: { body: string } }).tip.body, 'Tip 7');

    // Without an id a client starts from now.
    const fresh = await open('site=acme&topics=resume');
    await settle();
    assert.deepEqual(fresh.events(), []);
  });

  test('user content never breaks the framing: line breaks stay inside one data line', async () => {
    const client = await open('site=acme&walls=framing&topics=framing');
    await settle();
    const hostile = 'a\rb\nc\r\nd\n\ndata: fake\n\nevent: kudos.given\nid: 999999\r\n\r\n: comment\r\re';
    const kudos = await giveKudos(t, helper.sessionToken, { wall: 'framing', to: asker.user.id, message: hostile });
    const tip = await shareTip(t, helper.sessionToken, { topic: 'framing', body: `\n\n${hostile}\n\nretry: 1` });
    const question = await ask(t, asker.sessionToken, { topic: 'framing', title: `Line\nbreaks\r\nin a title`, body: hostile });
    const seen = await client.waitFor(3);
    await settle();
    assert.equal(client.events().length, 3, 'no injected events');
    assert.equal((payloadOf(seen[0]!) as { kudos: { message: string } }).kudos.message, hostile);
    assert.equal(kudos.message, hostile);
    assert.equal((payloadOf(seen[1]!) as { tip: { body: string } }).tip.body, tip.body);
    assert.equal((payloadOf(seen[2]!) as { question: { body: string } }).question.body, question.body);
    assert.ok(seen.every((e) => e.id !== '999999' && !e.data.includes('\n') && !e.data.includes('\r')));
    // Every frame on the wire is only known fields, one line each.
    for (const block of client.raw().split('\n\n').filter(Boolean)) {
      for (const line of block.split('\n')) assert.match(line, /^(id: \d+|event: [a-z.]+|data: .*|retry: \d+|)$/, JSON.stringify(line));
      assert.ok(!block.includes('\r'), 'no raw CR on the wire');
    }
  });

  test('clients see only their site, topics and walls', async () => {
    const topicOnly = await open('site=acme&topics=filter-a');
    const wallOnly = await open('site=acme&walls=filter-w');
    const both = await open('site=acme&topics=filter-a,filter-b&walls=filter-w');
    const demo = await open('topics=filter-a');
    await settle();
    const demoGuest = await guest(t, 'Filter Guest');
    await ask(t, asker.sessionToken, { topic: 'filter-a', title: 'Question in topic A' });
    await ask(t, asker.sessionToken, { topic: 'filter-b', title: 'Question in topic B' });
    await ask(t, asker.sessionToken, { topic: 'filter-c', title: 'Question in topic C' });
    await giveKudos(t, helper.sessionToken, { wall: 'filter-w', to: asker.user.id });
    await giveKudos(t, helper.sessionToken, { wall: 'filter-v', to: asker.user.id, message: 'Thanks on another wall' });
    await shareTip(t, demoGuest.sessionToken, { topic: 'filter-a', body: 'A demo tip' });
    // A wall and a topic of the same name are different scopes.
    await shareTip(t, helper.sessionToken, { topic: 'filter-w', body: 'A tip in a topic named like the wall' });
    await both.waitFor(3);
    await demo.waitFor(1);
    await settle();
    const what = (c: SseClient) => c.events().map((e) => { const p = payloadOf(e); return 'wall' in p ? `wall ${p.wall}` : `${p.type} ${p.topic}`; });
    assert.deepEqual(what(topicOnly), ['question.asked filter-a']);
    assert.deepEqual(what(wallOnly), ['wall filter-w']);
    assert.deepEqual(what(both), ['question.asked filter-a', 'question.asked filter-b', 'wall filter-w']);
    assert.deepEqual(what(demo), ['tip.shared filter-a']);
  });

  test('the log forgets events older than a week, and a client resuming from one of them is told to fetch anew', async () => {
    const { events } = await import('../../api/src/db/schema/index');
    const { asc, eq, lte } = await import('drizzle-orm');
    const { EVENTS_KEPT_MS, pruneEvents } = await import('../../api/src/lib/events');
    const { writeTransaction } = await import('../../api/src/lib/write-lock');
    for (let i = 1; i <= 3; i++) await shareTip(t, helper.sessionToken, { topic: 'pruned', body: `Old ${i}` });
    await shareTip(t, helper.sessionToken, { topic: 'pruned', body: 'Recent' });
    const logged = await t.db.select({ id: events.id }).from(events).where(eq(events.scope, 'topic:pruned')).orderBy(asc(events.id));
    const [oldIds, recentId] = [logged.slice(0, 3).map((e) => e.id), logged[3]!.id];
    // Everything logged before "Recent" as if logged eight days ago (the tests before logged some too).
    const now = Date.now();
    const aged = new Date(now - EVENTS_KEPT_MS - 24 * 60 * 60 * 1000).toISOString();
    await t.db.update(events).set({ createdAt: aged }).where(lte(events.id, oldIds[2]!));
    // Each write prunes a bounded number: as many as it takes.
    while ((await t.db.select({ id: events.id }).from(events).where(lte(events.id, oldIds[2]!))).length > 0) {
      await writeTransaction(t.db, (tx) => pruneEvents(tx, now));
    }
    const left = await t.db.select({ id: events.id }).from(events).orderBy(asc(events.id));
    assert.equal(left[0]!.id, recentId, 'the week-old ones go, the recent one stays');

    // From a forgotten event: what followed may be forgotten too, so no replay with a hole in it, but a reset
    // (with the newest id, so that the browser resumes from there), then what happens next, live.
    const newest = left[left.length - 1]!.id;
    const resumed = await open('site=acme&topics=pruned', { 'last-event-id': String(oldIds[0]) });
    await resumed.waitFor(1);
    await shareTip(t, helper.sessionToken, { topic: 'pruned', body: 'Live' });
    await resumed.waitFor(2);
    await settle();
    const [reset, ...after] = resumed.events();
    assert.deepEqual(reset, { id: String(newest), event: 'reset', data: '{}' });
    assert.deepEqual(after.map((e) => (payloadOf(e) as { tip: { body: string } }).tip.body), ['Live']);

    // From the last event forgotten: nothing after it was, so the replay, without a reset.
    const replayed = await open('site=acme&topics=pruned', { 'last-event-id': String(oldIds[2]) });
    await replayed.waitFor(2);
    await settle();
    assert.deepEqual(replayed.events().map((e) => e.event), ['tip.shared', 'tip.shared']);
    assert.deepEqual(replayed.events().map((e) => (payloadOf(e) as { tip: { body: string } }).tip.body), ['Recent', 'Live']);
  });

  test('an edited tip replays as it reads now: what the edit took out is not kept in the log', async () => {
    const before = await open('site=acme&topics=edited', {});
    const tip = await shareTip(t, helper.sessionToken, { topic: 'edited', body: 'Log in with admin / hunter2-SECRET to deploy' });
    await before.waitFor(1);
    const edited = await call(t, 'PATCH', `/v1/tips/${tip.id}`, { token: helper.sessionToken, body: { body: 'Ask the platform team for deploy rights' } });
    assert.equal(edited.status, 200);
    const replay = await open('site=acme&topics=edited', { 'last-event-id': String(Number(before.events()[0]!.id) - 1) });
    await replay.waitFor(1);
    await settle();
    assert.equal(replay.events().length, 1);
    const shared = payloadOf(replay.events()[0]!) as { tip: { id: string; body: string; pending?: boolean } };
    assert.equal(shared.tip.id, tip.id);
    assert.equal(shared.tip.body, 'Ask the platform team for deploy rights');
    assert.doesNotMatch(replay.raw(), /hunter2/);
    assert.equal(shared.tip.pending, undefined);
  });

  test('heartbeats arrive on an idle stream, as ping events without an id', async () => {
    const client = await open('site=acme&topics=quiet');
    await until(() => client.received.filter((e) => e.event === 'ping').length >= 2, 'two pings', HEARTBEAT_MS * 10);
    assert.ok(client.received.every((e) => e.event === 'ping' && e.id === null));
    assert.match(client.raw(), /^retry: \d+\n\n/);
  });

  test('a disconnected client is dropped, and the poller stops with the last one', async () => {
    for (const c of clients) c.close();
    await until(() => liveHub(t.db).size === 0, 'every client to be dropped');
    const client = await open('site=acme');
    await until(() => liveHub(t.db).size === 1, 'the new client');
    client.close();
    await until(() => liveHub(t.db).size === 0, 'the client to be dropped');
  });

  test('a write through one API process reaches stream clients of another on the same database', async () => {
    const db2: Db = await openDatabase(t.url);
    const other = await listen({ db: db2, port: 0, defaultSite: 'demo', version: 'test', live: { pollMs: POLL_MS, heartbeatMs: HEARTBEAT_MS } });
    try {
      const here = await open('site=acme&walls=shared', {}, server.url);
      const there = await open('site=acme&walls=shared', {}, other.url);
      await settle();
      // Through the HTTP API of the other process: its handle, its poller.
      const sent = await fetch(`${other.url}/v1/kudos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${helper.sessionToken}` },
        body: JSON.stringify({ wall: 'shared', to: asker.user.id, message: 'Through process two', badge: 'helpful' }),
      });
      assert.equal(sent.status, 201);
      await giveKudos(t, helper.sessionToken, { wall: 'shared', to: asker.user.id, message: 'Through process one' });
      const [a, b] = [await here.waitFor(2), await there.waitFor(2)];
      assert.deepEqual(a, b, 'the same ids, types and data on both');
      assert.deepEqual(a.map((e) => (payloadOf(e) as { kudos: { message: string } }).kudos.message), ['Through process two', 'Through process one']);
      here.close();
      there.close();
    } finally {
      await other.close();
      db2.$client.close();
    }
  });
});
