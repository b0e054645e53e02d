import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';

const bin = resolve(fileURLToPath(import.meta.url), '../../../api/bin/readyhand.js');
const ROUNDS = 3;
const GUESTS = 4;
const WRITES_PER_GUEST = 40;

/** `readyhand serve` on the database file, as a child process, once it listens. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((done) => child.on('exit', done));
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line in 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /^Readyhand listening on (http:\/\/localhost:\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        found(match[1]!);
      }
    });
    child.on('exit', () => fail(new Error(`exited early:\n${output}`)));
  });
  return { url, child, exited };
}

interface Acked {
  questions: string[];
  answers: Array<{ questionId: string; id: string }>;
  votes: Array<{ questionId: string; userId: string }>;
}

describe('durability: a write answered 2xx survives SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-durability-'));
  const file = join(dir, 'durable.db');
  // Each guest writes from its own address behind a trusted local proxy, so the per-address limits stay out of the way.
  const env = { ...process.env, DATABASE_URL: pathToFileURL(file).href, DEMO_SITE_SECRET: '', TRUSTED_PROXIES: '127.0.0.1,::1' };
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(`${ROUNDS} rounds of concurrent writes killed mid-flight; every acknowledged write is there after restart, and the file is sound`, { timeout: 60_000 }, async (t) => {
    const acked: Acked = { questions: [], answers: [], votes: [] };
    let server = await serve(env);
    for (let round = 0; round < ROUNDS; round++) {
      const { url } = server;
      const post = async (path: string, body: unknown, token: string | null, address: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': address };
        if (token) headers.authorization = `Bearer ${token}`;
        const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        return { status: res.status, body: res.ok ? await res.json() : null };
      };
      const guests = await Promise.all(
        Array.from({ length: GUESTS }, async (_, g) => {
          const address = `192.0.2.${round * GUESTS + g + 1}`;
          const s = await post('/v1/session', { site: 'demo', guestName: `Guest ${round}-${g}` }, null, address);
          assert.equal(s.status, 200);
          return { token: s.body.sessionToken as string, userId: s.body.user.id as string, address };
        }),
      );
      const writer = async (guest: (typeof guests)[number], g: number) => {
        let mine: string | null = null;
        for (let i = 0; i < WRITES_PER_GUEST; i++) {
          try {
            if (i % 3 === 0 || !mine) {
              const q = await post('/v1/questions', { topic: 'durability', title: `Round ${round} guest ${g} question ${i}` }, guest.token, guest.address);
              if (q.status === 201) {
                acked.questions.push(q.body.id);
                mine = q.body.id;
              }
            } else if (i % 3 === 1) {
              const a = await post(`/v1/questions/${mine}/answers`, { body: `Round ${round} guest ${g} answer ${i}` }, guest.token, guest.address);
              if (a.status === 201) acked.answers.push({ questionId: mine, id: a.body.id });
            } else {
              const target: string = acked.questions[Math.floor(Math.random() * acked.questions.length)] ?? mine;
              const v = await post(`/v1/questions/${target}/vote`, { value: 1 }, guest.token, guest.address);
              if (v.status === 200) acked.votes.push({ questionId: target, userId: guest.userId });
            }
          } catch {
            return; // the server is gone: what was not answered was never acknowledged
          }
        }
      };
      const writing = Promise.all(guests.map(writer));
      // Kill while writes are in flight.
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 700));
      const before = acked.questions.length + acked.answers.length + acked.votes.length;
      server.child.kill('SIGKILL');
      await server.exited;
      await writing;
      assert.ok(before > 0, `round ${round}: writes were acknowledged before the kill`);

      // Restart on the same file: recovery from the WAL, migrations, then every acknowledged write must be there.
      server = await serve(env);
      for (const id of acked.questions) {
        const res = await fetch(`${server.url}/v1/questions/${id}`);
        assert.equal(res.status, 200, `round ${round}: question ${id} acknowledged before the kill`);
      }
      const answersOf = new Map<string, Set<string>>();
      for (const { questionId } of acked.answers) {
        if (answersOf.has(questionId)) continue;
        const detail = await (await fetch(`${server.url}/v1/questions/${questionId}`)).json();
        answersOf.set(questionId, new Set(detail.answers.map((a: { id: string }) => a.id)));
      }
      for (const { questionId, id } of acked.answers) assert.ok(answersOf.get(questionId)!.has(id), `round ${round}: answer ${id}`);
    }
    server.child.kill('SIGKILL');
    await server.exited;

    const db = createClient({ url: pathToFileURL(file).href });
    try {
      const integrity = await db.execute('PRAGMA integrity_check');
      assert.deepEqual(integrity.rows.map((r) => r[0]), ['ok']);
      for (const { questionId, userId } of acked.votes) {
        const row = await db.execute({ sql: 'select 1 from question_votes where question_id = ? and user_id = ?', args: [questionId, userId] });
        assert.equal(row.rows.length, 1, `vote of ${userId} on ${questionId}`);
      }
      // The counters agree with the rows they count.
      const skewed = await db.execute(
        'select id from questions where votes != (select count(*) from question_votes where question_id = questions.id) or answer_count != (select count(*) from answers where question_id = questions.id)',
      );
      assert.deepEqual(skewed.rows, []);
      const count = (await db.execute("select count(*) from questions where topic = 'durability'")).rows[0]![0];
      assert.ok(Number(count) >= acked.questions.length);
    } finally {
      db.close();
    }
    t.diagnostic(`acknowledged ${acked.questions.length} questions, ${acked.answers.length} answers, ${acked.votes.length} votes`);
    assert.ok(acked.questions.length >= ROUNDS, `acknowledged: ${acked.questions.length} questions, ${acked.answers.length} answers, ${acked.votes.length} votes`);
  });
});
