import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { ftsQuery, indexListedQuestions } from '../../api/src/lib/fts';
import { ask, call, HOSTILE_FTS_INPUT, setup, signIn, type TestContext } from './helpers';

describe('GET /v1/questions/similar', () => {
  let t: TestContext;
  const ids: Record<string, string> = {};
  before(async () => {
    t = await setup();
    const { sessionToken } = await signIn(t);
    const questions = {
      rollback: { title: 'How do I roll back a stuck deployment?', body: 'kubectl rollout hangs and the pods crash.' },
      rollbackBody: { title: 'Pods crash after an upgrade', body: 'Should I roll back the deployment or fix forward?' },
      ingress: { title: 'Service or Ingress for HTTP traffic?', body: 'Both seem to expose my pods.' },
      pending: { title: 'Pod pending with insufficient cpu', body: 'The scheduler refuses to place the pod.' },
    };
    for (const [key, q] of Object.entries(questions)) ids[key] = (await ask(t, sessionToken, { topic: 'kubernetes', ...q })).id;
    await ask(t, sessionToken, { topic: 'elsewhere', title: 'How do I roll back a stuck deployment elsewhere?' });
  });
  after(() => t.close());

  const similar = (q: string, extra = '') => call(t, 'GET', `/v1/questions/similar?site=acme&topic=kubernetes&q=${encodeURIComponent(q)}${extra}`);

  test('ranks the closest question first, a title match above a body match, within the topic only', async () => {
    const res = await similar('roll back deployment');
    assert.equal(res.status, 200);
    const found = res.body.items.map((q: { id: string }) => q.id);
    assert.deepEqual(found, [ids.rollback, ids.rollbackBody]);
  });

  test('stems words and matches the word being typed as a prefix', async () => {
    const res = await similar('crashing pods after upgr');
    assert.equal(res.body.items[0].id, ids.rollbackBody);
    const ingress = await similar('ingre');
    assert.deepEqual(ingress.body.items.map((q: { id: string }) => q.id), [ids.ingress]);
  });

  test("scores a question's text as it is now: words kept from an earlier request go with an edit", async () => {
    const { sessionToken } = await signIn(t);
    const id = (await ask(t, sessionToken, { topic: 'edited', title: 'Helm chart values per environment', body: 'One file or many?' })).id;
    const inTopic = (q: string) => call(t, 'GET', `/v1/questions/similar?site=acme&topic=edited&q=${encodeURIComponent(q)}`);
    assert.deepEqual((await inTopic('helm values')).body.items.map((q: { id: string }) => q.id), [id]);
    // No route edits a question yet; an operator's fix (or a later edit route) changes its text and updated_at.
    await t.db.run(sql`update questions set title = 'Kustomize overlays per environment', updated_at = ${new Date().toISOString()} where id = ${id}`);
    await new Promise((turnEnds) => setImmediate(turnEnds));
    assert.deepEqual((await inTopic('kustomize overlays')).body.items.map((q: { id: string }) => q.id), [id]);
    assert.deepEqual((await inTopic('helm chart')).body.items, []);
  });

  test('honours limit and returns nothing for stopwords only', async () => {
    assert.equal((await similar('pods', '&limit=1')).body.items.length, 1);
    assert.deepEqual((await similar('how do I')).body.items, []);
  });

  test('hostile full-text syntax never errors', async () => {
    for (const q of HOSTILE_FTS_INPUT) {
      const res = await similar(q);
      assert.equal(res.status, 200, `${JSON.stringify(q)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(Array.isArray(res.body.items));
    }
    assert.equal((await similar('NEAR(roll back, 2)')).body.items[0].id, ids.rollback);
  });

  test('an empty or overlong query is a validation error', async () => {
    assert.equal((await similar('   ')).status, 400);
    const long = await similar('x'.repeat(201));
    assert.equal(long.status, 400);
    assert.equal(long.body.error.details[0].field, 'q');
  });

  test('the query builder quotes every word', () => {
    assert.equal(ftsQuery('NEAR("a" OR b*) roll'), '"near" OR "roll"*');
    assert.equal(ftsQuery('?? !!'), null);
  });
});

describe('the full-text index of questions, kept outside the ask', () => {
  let t: TestContext;
  let author: string;
  before(async () => {
    t = await setup();
    author = (await signIn(t)).user.id as string;
  });
  after(() => t.close());

  const similar = (topic: string, q: string, limit = 5) => call(t, 'GET', `/v1/questions/similar?site=acme&topic=${topic}&q=${encodeURIComponent(q)}&limit=${limit}`);
  const idsOf = (res: { body: any }) => res.body.items.map((q: { id: string }) => q.id);
  const count = async (table: 'questions_fts' | 'questions_fts_pending', id: string) =>
    Number((await t.db.get<{ n: number }>(sql`select count(*) as n from ${sql.identifier(table)} where question_id = ${id}`)).n);
  /** A question written as another process or an operator would: through the database, no ask of this process to index it after. */
  const written = async (topic: string, title: string, id = `q-${topic}`) => {
    const at = new Date().toISOString();
    await t.db.run(sql`insert into questions (id, site_id, topic, title, body, author_id, created_at, updated_at) values (${id}, 'acme', ${topic}, ${title}, '', ${author}, ${at}, ${at})`);
    await turnEnds();
    return id;
  };
  /** The app's reads of a turn share one snapshot (db/client.ts): one written outside the app is read from the next. */
  const turnEnds = () => new Promise((ended) => setImmediate(ended));

  test('a question written a moment ago is listed, not indexed, and the search finds it all the same', async () => {
    const id = await written('listed', 'Canary releases with a service mesh');
    assert.equal(await count('questions_fts', id), 0);
    assert.equal(await count('questions_fts_pending', id), 1);
    assert.deepEqual(idsOf(await similar('listed', 'canary releases')), [id]);
    assert.deepEqual(idsOf(await similar('listed', 'rollback')), [], 'a listed question without the words is not found');
    // The search only reads: the question is indexed by the next run, and found there once.
    assert.equal(await count('questions_fts_pending', id), 1);
    await indexListedQuestions(t.db);
    assert.deepEqual([await count('questions_fts', id), await count('questions_fts_pending', id)], [1, 0]);
    assert.deepEqual(idsOf(await similar('listed', 'canary releases')), [id]);
  });

  test('a listed question is found only by those who may see it, and only in its own site', async () => {
    const shown = await written('seen', 'Tracing requests across services', 'q-seen-shown');
    const waiting = await written('seen', 'Tracing requests across regions', 'q-seen-pending');
    const hidden = await written('seen', 'Tracing requests across clusters', 'q-seen-hidden');
    await t.db.run(sql`update questions set pending = 1 where id = ${waiting}`);
    await t.db.run(sql`update questions set hidden_at = ${new Date().toISOString()} where id = ${hidden}`);
    await t.db.run(sql`update questions set site_id = 'demo' where id = ${shown}`);
    await turnEnds();
    assert.equal(Number((await t.db.get<{ n: number }>(sql`select count(*) as n from questions_fts_pending where question_id like 'q-seen-%'`)).n), 3);
    assert.deepEqual(idsOf(await similar('seen', 'tracing requests')), []);
    const onDemo = await call(t, 'GET', `/v1/questions/similar?site=demo&topic=seen&q=${encodeURIComponent('tracing requests')}`);
    assert.deepEqual(idsOf(onDemo), [shown]);
  });

  test('a listed question is newer than any indexed one: among equals it comes first', async () => {
    const older = await written('order', 'Draining a node before maintenance', 'q-order-older');
    await indexListedQuestions(t.db);
    const newer = await written('order', 'Draining a node before maintenance', 'q-order-newer');
    assert.deepEqual(idsOf(await similar('order', 'draining node')), [newer, older]);
  });

  test('an ask is indexed shortly after without any search', async () => {
    const { sessionToken } = await signIn(t);
    const { id } = await ask(t, sessionToken, { topic: 'soon', title: 'Blue green deployments without downtime' });
    for (let waited = 0; (await count('questions_fts_pending', id)) > 0; waited += 20) {
      assert.ok(waited < 5000, 'the question was still waiting for the index after 5 s');
      await new Promise((wait) => setTimeout(wait, 20));
    }
    assert.equal(await count('questions_fts', id), 1);
  });

  test('a backlog is indexed a thousand at a time, in the order written', async () => {
    const at = new Date().toISOString();
    await t.db.run(sql`insert into questions (id, site_id, topic, title, body, author_id, created_at, updated_at)
      select printf('q-backlog-%04d', n), 'acme', 'backlog', 'Draining a node before maintenance', '', ${author}, ${at}, ${at}
      from (with recursive c(n) as (select 1 union all select n + 1 from c where n < 1005) select n from c)`);
    await turnEnds();
    const newest = ['q-backlog-1005', 'q-backlog-1004', 'q-backlog-1003'];
    assert.deepEqual(idsOf(await similar('backlog', 'draining node', 3)), newest);
    await indexListedQuestions(t.db);
    const listed = await t.db.get<{ n: number }>(sql`select count(*) as n from questions_fts_pending`);
    const indexed = await t.db.get<{ n: number }>(sql`select count(*) as n from questions_fts where question_id like 'q-backlog-%'`);
    assert.deepEqual([Number(listed.n), Number(indexed.n)], [0, 1005]);
    assert.deepEqual(idsOf(await similar('backlog', 'draining node', 3)), newest);
  });

  test('a listed question that is edited is listed once, as it now reads; one deleted is never found', async () => {
    const edited = await written('edited', 'Helm chart values per environment');
    await t.db.run(sql`update questions set title = 'Kustomize overlays per environment' where id = ${edited}`);
    await turnEnds();
    assert.equal(await count('questions_fts_pending', edited), 1);
    assert.deepEqual(idsOf(await similar('edited', 'kustomize overlays')), [edited]);
    assert.deepEqual(idsOf(await similar('edited', 'helm chart')), []);
    await indexListedQuestions(t.db);
    assert.equal(await count('questions_fts', edited), 1);
    assert.deepEqual(idsOf(await similar('edited', 'helm chart')), []);

    const deleted = await written('deleted', 'Rotating secrets in a sealed vault');
    await t.db.run(sql`delete from questions where id = ${deleted}`);
    await turnEnds();
    assert.equal(await count('questions_fts_pending', deleted), 0);
    assert.deepEqual(idsOf(await similar('deleted', 'rotating secrets')), []);
    await indexListedQuestions(t.db);
    assert.equal(await count('questions_fts', deleted), 0);
  });
});
