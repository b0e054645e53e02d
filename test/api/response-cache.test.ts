import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Database from 'libsql';
import { eq, sql } from 'drizzle-orm';
import { sites } from '../../api/src/db/schema/index';
import { createApp } from '../../api/src/app';
import { openDatabase } from '../../api/src/db/client';
import { ask, call, giveKudos, setup, shareTip, signIn, type TestContext } from './helpers';

const LIST = '/v1/questions?site=acme&topic=kubernetes&status=all';
/** Until the event loop's next turn, where a request received after a change made now is handled. */
const nextTurn = () => new Promise((turnEnds) => setImmediate(turnEnds));
const ids = (body: Record<string, any>): string[] => body.items.map((q: { id: string }) => q.id);

describe('questions list: response cache and ETag', () => {
  let t: TestContext;
  let asker: string;
  let colleague: string;
  let moderator: string;
  before(async () => {
    t = await setup();
    asker = (await signIn(t, { sub: 'asker', name: 'Ada Asker' })).sessionToken;
    colleague = (await signIn(t, { sub: 'colleague', name: 'Cy Colleague' })).sessionToken;
    moderator = (await signIn(t, { sub: 'mod', name: 'Mo Moderator', roles: ['moderator'] })).sessionToken;
  });
  after(() => t.close());

  test('a client that sends back the ETag is answered 304 without a body until something changes, then 200 with a new ETag', async () => {
    await ask(t, asker, { title: 'Which probe restarts a stuck pod?' });
    const first = await call(t, 'GET', LIST);
    const etag = first.headers.get('etag');
    assert.ok(etag, 'the list carries an ETag');

    const again = await t.app.request(LIST, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), etag);
    // So that a browser's own cache keeps the list and revalidates it: for this reader and origin only.
    for (const res of [first, again]) {
      assert.equal(res.headers.get('cache-control'), 'private, no-cache');
      assert.match(res.headers.get('vary') ?? '', /\bAuthorization\b/);
      assert.match(res.headers.get('vary') ?? '', /\bOrigin\b/);
    }

    const q = await ask(t, colleague, { title: 'How do I drain a node safely?' });
    const changed = await call(t, 'GET', LIST, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200, 'a question asked since the ETag makes the old one stale');
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(changed.body.items[0].id, q.id);
  });

  test('a browser that accepts gzip gets the same list gzipped, with the same ETag; others, and gzip;q=0, get it plain', async () => {
    await ask(t, asker, { title: 'Does the list come compressed to a browser?' });
    const plain = await t.app.request(LIST);
    const text = await plain.text();
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.match(plain.headers.get('vary') ?? '', /\bAccept-Encoding\b/);
    for (const accept of ['gzip, deflate, br, zstd', 'br;q=1, gzip;q=0.5', '*']) {
      const zipped = await t.app.request(LIST, { headers: { 'accept-encoding': accept } });
      assert.equal(zipped.headers.get('content-encoding'), 'gzip', accept);
      assert.equal(zipped.headers.get('etag'), plain.headers.get('etag'), accept);
      const bytes = Buffer.from(await zipped.arrayBuffer());
      assert.equal(gunzipSync(bytes).toString(), text, accept);
      assert.ok(bytes.length < text.length / 2, `${accept}: ${bytes.length} of ${text.length} bytes`);
    }
    for (const accept of ['gzip;q=0, br', 'identity', 'br', '*;q=0']) {
      const res = await t.app.request(LIST, { headers: { 'accept-encoding': accept } });
      assert.equal(res.headers.get('content-encoding'), null, accept);
      assert.equal(await res.text(), text, accept);
    }
  });

  test('a read asked again gets the very response the app sent, header for header; another reader, another origin, a signed-out session or a changed site do not', async () => {
    const q = await ask(t, asker, { title: 'Is a repeated read the same response?' });
    await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: asker, body: { value: 1 } });
    const site = 'https://intranet.acme.example';
    const headers = { origin: site, 'accept-encoding': 'gzip' };
    const first = await t.app.request(LIST, { headers });
    const again = await t.app.request(LIST, { headers });
    const all = (res: Response) => [...res.headers].filter(([name]) => name !== 'date');
    assert.deepEqual(all(again), all(first));
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), Buffer.from(await first.arrayBuffer()));
    assert.equal(again.headers.get('access-control-allow-origin'), site);
    const notModified = await t.app.request(LIST, { headers: { ...headers, 'if-none-match': first.headers.get('etag')! } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get('content-encoding'), null);
    assert.equal(notModified.headers.get('access-control-allow-origin'), site);

    // The same URL with a session: that reader's own fields, asked again as well.
    for (let i = 0; i < 2; i++) {
      const own = await call(t, 'GET', LIST, { token: asker, headers: { origin: site } });
      assert.equal(own.body.items[0].id, q.id);
      assert.equal(own.body.items[0].myVote, 1);
    }
    // A session signed out is refused at once, however often its read was answered before.
    const leaving = (await signIn(t, { sub: 'leaving', name: 'Lee Leaving' })).sessionToken;
    for (let i = 0; i < 2; i++) assert.equal((await call(t, 'GET', LIST, { token: leaving })).status, 200);
    assert.equal((await call(t, 'DELETE', '/v1/session', { token: leaving })).status, 204);
    assert.equal((await call(t, 'GET', LIST, { token: leaving })).status, 401);
    // Another origin: not allowed to read it.
    const elsewhere = await t.app.request(LIST, { headers: { ...headers, origin: 'https://evil.example' } });
    assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
    // The site no longer allows the origin: the next read says so, though no content changed.
    await t.db.update(sites).set({ origins: ['https://other.acme.example'] }).where(eq(sites.id, 'acme'));
    // (A request received after the change is handled in a later turn of the event loop: lib/sites.ts stampThisTurn.)
    await nextTurn();
    try {
      const refused = await t.app.request(LIST, { headers });
      assert.equal(refused.status, 200);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
    } finally {
      await t.db.update(sites).set({ origins: [site] }).where(eq(sites.id, 'acme'));
    }
  });

  test('each write is visible to the very next read: a question, a vote, an answer, a hide', async () => {
    await call(t, 'GET', LIST, { token: colleague }); // fill the cache first
    const q = await ask(t, asker, { title: 'Why is my ingress returning 404?' });
    let list = await call(t, 'GET', LIST, { token: colleague });
    assert.equal(list.body.items[0].id, q.id);

    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: colleague, body: { value: 1 } })).status, 200);
    list = await call(t, 'GET', LIST, { token: colleague });
    assert.equal(list.body.items[0].votes, 1);
    assert.equal(list.body.items[0].myVote, 1);

    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/answers`, { token: colleague, body: { body: 'Check the path prefix.' } })).status, 201);
    // The colleague's list was cached just before (after the vote): only a new version can show the answer.
    list = await call(t, 'GET', LIST, { token: colleague });
    assert.equal(list.body.items.find((i: { id: string }) => i.id === q.id).answerCount, 1);

    const hide = await call(t, 'POST', `/v1/moderation/question/${q.id}/hide`, { token: moderator, body: { reason: 'spam' } });
    assert.equal(hide.status, 200);
    assert.ok(!ids((await call(t, 'GET', LIST)).body).includes(q.id), 'a hidden question leaves the public list at once');
  });

  test("a cached list never shows one reader's own fields to another: votes, authorship, anonymous askers", async () => {
    const q = await ask(t, asker, { title: 'Can I ask this without my name?', anonymous: true });
    await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: asker, body: { value: 1 } });
    // The asker's view first, so that a careless cache would hand it to the others.
    const own = (await call(t, 'GET', LIST, { token: asker })).body.items[0];
    assert.equal(own.id, q.id);
    assert.equal(own.mine, true);
    assert.equal(own.myVote, 1);

    for (const [who, token] of [['a colleague', colleague], ['a reader without a session', undefined]] as const) {
      const seen = (await call(t, 'GET', LIST, { token })).body.items[0];
      assert.equal(seen.id, q.id, who);
      assert.equal(seen.mine, false, who);
      assert.equal(seen.myVote, 0, who);
      assert.equal(seen.author, null, `${who} must not learn who asked anonymously`);
    }
    const moderated = (await call(t, 'GET', LIST, { token: moderator })).body.items[0];
    assert.equal(moderated.author.name, 'Ada Asker', 'moderators see anonymous askers');
    assert.equal((await call(t, 'GET', LIST, { token: colleague })).body.items[0].author, null, 'and that does not leak back');

    // ETags differ by reader too: one reader's tag never earns another a 304 for a page they have not seen.
    const mine = (await call(t, 'GET', LIST, { token: asker })).headers.get('etag')!;
    const theirs = await call(t, 'GET', LIST, { token: colleague, headers: { 'if-none-match': mine } });
    assert.equal(theirs.status, 200);
  });

  test('a new display name from the host shows in the list at once', async () => {
    await ask(t, colleague, { title: 'Where are the cluster dashboards?' });
    await call(t, 'GET', LIST);
    await signIn(t, { sub: 'colleague', name: 'Cy Renamed' });
    const item = (await call(t, 'GET', LIST)).body.items[0];
    assert.equal(item.author.name, 'Cy Renamed');
  });
});

describe('questions list: pending posts under pre-moderation', () => {
  let t: TestContext;
  before(async () => {
    t = await setup({}, { premoderation: 'everyone' });
  });
  after(() => t.close());

  test('only the author sees their pending question, however the cache was filled', async () => {
    const author = (await signIn(t, { sub: 'author', name: 'Pat Pending' })).sessionToken;
    const other = (await signIn(t, { sub: 'other', name: 'Olly Other' })).sessionToken;
    await call(t, 'GET', LIST, { token: other });
    await call(t, 'GET', LIST);
    const q = await ask(t, author, { title: 'Is this held for a moderator?' });
    const own = await call(t, 'GET', LIST, { token: author });
    assert.deepEqual(ids(own.body), [q.id]);
    assert.equal(own.body.items[0].pending, true);
    assert.deepEqual(ids((await call(t, 'GET', LIST, { token: other })).body), []);
    assert.deepEqual(ids((await call(t, 'GET', LIST)).body), []);
  });
});

describe('tips and kudos lists: response cache and ETag', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  /**
   * Reads `path` as `token`'s reader, checks that asking again with its ETag is a 304 (the read is
   * cached), does `write`, and returns the next read with that ETag: it must be a 200.
   */
  const afterWrite = async (path: string, token: string, write: () => Promise<unknown>) => {
    const before = await call(t, 'GET', path, { token });
    const etag = before.headers.get('etag')!;
    assert.equal((await call(t, 'GET', path, { token, headers: { 'if-none-match': etag } })).status, 304, `${path} is cached`);
    await write();
    const next = await call(t, 'GET', path, { token, headers: { 'if-none-match': etag } });
    assert.equal(next.status, 200, `${path} changed after the write`);
    return next.body as Record<string, any>;
  };

  test('each write is visible to the very next read of the tips: a tip, its tags, a helpful mark, an edit, a hide', async () => {
    const author = (await signIn(t, { sub: 'tipper', name: 'Tia Tipper' })).sessionToken;
    const reader = (await signIn(t, { sub: 'tip-reader', name: 'Rey Reader' })).sessionToken;
    const moderator = (await signIn(t, { sub: 'tip-mod', name: 'Mo Mod', roles: ['moderator'] })).sessionToken;
    const LIST_TIPS = '/v1/tips?site=acme&topic=cached-tips';
    const TAGS = '/v1/tips/tags?site=acme&topic=cached-tips';
    let tip: Record<string, any> = {};
    let list = await afterWrite(LIST_TIPS, reader, async () => (tip = await shareTip(t, author, { topic: 'cached-tips', body: 'Pin your image tags.', tags: ['images'] })));
    assert.deepEqual(ids(list), [tip.id]);
    const tags = await afterWrite(TAGS, reader, () => call(t, 'PATCH', `/v1/tips/${tip.id}`, { token: author, body: { tags: ['images', 'pinning'] } }));
    assert.deepEqual(tags.items.map((i: { tag: string }) => i.tag).sort(), ['images', 'pinning']);
    list = await afterWrite(LIST_TIPS, reader, () => call(t, 'POST', `/v1/tips/${tip.id}/helpful`, { token: reader, body: { helpful: true } }));
    assert.equal(list.items[0].helpfulCount, 1);
    list = await afterWrite(LIST_TIPS, reader, () => call(t, 'PATCH', `/v1/tips/${tip.id}`, { token: author, body: { body: 'Pin image digests, not tags.' } }));
    assert.equal(list.items[0].body, 'Pin image digests, not tags.');
    list = await afterWrite(LIST_TIPS, reader, () => call(t, 'POST', `/v1/moderation/tip/${tip.id}/hide`, { token: moderator, body: { reason: 'test' } }));
    assert.deepEqual(ids(list), []);
  });

  test("each write is visible to the very next read of a wall: kudos, a reaction, a hide, the site's reactions", async () => {
    const from = await signIn(t, { sub: 'thanker', name: 'Thea Thanker' });
    const to = await signIn(t, { sub: 'thanked', name: 'Theo Thanked' });
    const moderator = (await signIn(t, { sub: 'wall-mod', name: 'Mo Wall', roles: ['moderator'] })).sessionToken;
    const WALL = '/v1/kudos?site=acme&wall=cached-wall';
    let kudos: Record<string, any> = {};
    let wall = await afterWrite(WALL, to.sessionToken, async () => (kudos = await giveKudos(t, from.sessionToken, { wall: 'cached-wall', to: to.user.id })));
    assert.deepEqual(ids(wall), [kudos.id]);
    const [emoji] = kudos.reactions.map((r: { emoji: string }) => r.emoji);
    wall = await afterWrite(WALL, to.sessionToken, () => call(t, 'POST', `/v1/kudos/${kudos.id}/reactions`, { token: to.sessionToken, body: { emoji } }));
    assert.deepEqual(
      wall.items[0].reactions.find((r: { emoji: string }) => r.emoji === emoji),
      { emoji, count: 1, mine: true },
    );
    // An operator's change, as `readyhand site` makes it: the next request comes in a later turn.
    wall = await afterWrite(WALL, to.sessionToken, async () => {
      await t.db.update(sites).set({ reactions: ['🚀'] }).where(eq(sites.id, 'acme'));
      await nextTurn();
    });
    assert.deepEqual(wall.items[0].reactions.map((r: { emoji: string }) => r.emoji), ['🚀']);
    wall = await afterWrite(WALL, to.sessionToken, () => call(t, 'POST', `/v1/moderation/kudos/${kudos.id}/hide`, { token: moderator, body: { reason: 'test' } }));
    assert.deepEqual(ids(wall), []);
  });
});

describe('a turn of the event loop shares its reads, and never past the next poll', () => {
  test("a write refused in the write queue's turn does not carry that turn's reads into the next: another process's edit is seen", { timeout: 20_000 }, async () => {
    const t = await setup({ writeLimit: { limit: 3, windowMs: 60_000 } });
    const other = new Database(fileURLToPath(t.url), { timeout: 5000 });
    const server = net.createServer();
    let client: net.Socket | undefined;
    try {
      const author = (await signIn(t, { sub: 'turns', name: 'Tu Turns' })).sessionToken;
      const reader = (await signIn(t, { sub: 'turns-reader', name: 'Rea Turns' })).sessionToken;
      const tip = await shareTip(t, author, { topic: 'turns', body: 'First text of the tip.' });
      // A reader's three writes of the minute: the fourth is refused.
      for (const helpful of [true, false, true]) assert.equal((await call(t, 'POST', `/v1/tips/${tip.id}/helpful`, { token: reader, body: { helpful } })).status, 200);
      const origin = 'https://intranet.acme.example';
      const list = '/v1/tips?site=acme&topic=turns';
      const etag = (await call(t, 'GET', list, { headers: { origin } })).headers.get('etag')!;
      // The next request comes by a socket: it is read in a poll phase, as a browser's would be.
      const next = new Promise<number>((answered) => {
        server.on('connection', (socket) => socket.once('data', async () => answered((await call(t, 'GET', list, { headers: { origin, 'if-none-match': etag } })).status)));
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await new Promise((connected) => client!.on('connect', connected));
      // Refused by the rate limit inside the write queue (a check phase), and read there (its CORS check).
      const refused = await call(t, 'POST', `/v1/tips/${tip.id}/helpful`, { token: reader, headers: { origin }, body: { helpful: false } });
      assert.equal(refused.status, 429);
      // At once, another process edits the tip and the next request is sent.
      other.exec(`update tips set body = 'Edited by the other process.', updated_at = '2030-01-01T00:00:00.000Z' where id = '${tip.id}'`);
      client.write('GET');
      assert.equal(await next, 200, 'the edit is seen, not a stale 304');
    } finally {
      client?.destroy();
      server.close();
      other.close();
      await t.close();
    }
  });
});

describe('questions list: two API processes on one database file', () => {
  let t: TestContext;
  let second: ReturnType<typeof createApp>;
  let close: () => void;
  before(async () => {
    t = await setup();
    // Its own connections and its own response cache, as another process would have.
    const db = await openDatabase(t.url);
    second = createApp({ db, defaultSite: 'demo', version: 'test' });
    close = () => db.$client.close();
  });
  after(async () => {
    close();
    await t.close();
  });

  test('a question asked through one is in the next list read through the other, and the old ETag no longer matches', async () => {
    const token = (await signIn(t, { sub: 'writer', name: 'Wren Writer' })).sessionToken;
    const before = await second.request(LIST);
    const etag = before.headers.get('etag')!;
    assert.deepEqual(((await before.json()) as { items: unknown[] }).items, []);
    const q = await ask(t, token, { title: 'Does the other process see this?' });
    const afterWrite = await second.request(LIST, { headers: { 'if-none-match': etag } });
    assert.equal(afterWrite.status, 200);
    assert.deepEqual(ids((await afterWrite.json()) as { items: Array<{ id: string }> }), [q.id]);
    // Both processes name the same state with the same tag.
    assert.equal((await t.app.request(LIST)).headers.get('etag'), afterWrite.headers.get('etag'));
  });

  test('a change another process commits is seen by the next turn of the event loop, though this turn already read the site', async () => {
    const first = await second.request(LIST);
    const etag = first.headers.get('etag')!;
    // Another process raises the site's content version (any write of its content does) in the same turn.
    await t.db.update(sites).set({ contentVersion: sql`${sites.contentVersion} + 1` }).where(eq(sites.id, 'acme'));
    // Requests this turn handles were received before that write: they may be answered from the read made for the first.
    await nextTurn();
    const next = await second.request(LIST, { headers: { 'if-none-match': etag } });
    assert.equal(next.status, 200, 'the read of the next turn sees the new version');
    assert.notEqual(next.headers.get('etag'), etag);
  });
});
