import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, ask, call, guest, setup, signIn, type TestContext } from './helpers';

describe('questions', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('a signed-in user asks, and anyone reads the question in the topic list', async () => {
    const { sessionToken } = await signIn(t, { sub: 'asker' });
    const q = await ask(t, sessionToken, { topic: 'list-topic' });
    assert.equal(q.mine, true);
    assert.equal(q.status, 'open');
    assert.equal(q.author.name, 'Ada Lovelace');
    assert.match(q.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const list = await call(t, 'GET', '/v1/questions?site=acme&topic=list-topic');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].id, q.id);
    assert.equal(list.body.items[0].mine, false);
    assert.equal(list.body.items[0].myVote, 0);
    assert.equal(list.body.nextCursor, null);
    // The ask's answer is made from what was asked, not read back: it is what the stored question reads as, even for
    // text that UTF-8 cannot hold as given (a lone surrogate, stored as U+FFFD).
    const odd = await ask(t, sessionToken, { topic: 'list-topic', title: 'Half an emoji \ud83d in a title?' });
    assert.equal(odd.title, 'Half an emoji \ufffd in a title?');
    const mine = await call(t, 'GET', '/v1/questions?site=acme&topic=list-topic', { token: sessionToken });
    assert.deepEqual(mine.body.items, [odd, q]);
  });

  test('writes need a session', async () => {
    const res = await call(t, 'POST', '/v1/questions', { body: { topic: 'x', title: 'A long enough title' } });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  test('a question comes back with its answers, the accepted one first', async () => {
    const asker = await signIn(t, { sub: 'asker-2' });
    const helper = await signIn(t, { sub: 'helper', name: 'Grace Hopper' });
    const q = await ask(t, asker.sessionToken, { topic: 'detail-topic' });
    const first = await answer(t, helper.sessionToken, q.id, 'First answer');
    const second = await answer(t, helper.sessionToken, q.id, 'Second answer');
    const accept = await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: asker.sessionToken, body: { answerId: second.id } });
    assert.equal(accept.status, 200);
    const detail = await call(t, 'GET', `/v1/questions/${q.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.status, 'answered');
    assert.equal(detail.body.answerCount, 2);
    assert.deepEqual(detail.body.answers.map((a: { id: string }) => a.id), [second.id, first.id]);
    assert.equal(detail.body.answers[0].accepted, true);
  });

  test('a guest of a site that allows guests can ask on it', async () => {
    const g = await guest(t, 'Sam');
    const q = await ask(t, g.sessionToken, { topic: 'guest-topic' });
    const list = await call(t, 'GET', '/v1/questions?topic=guest-topic');
    assert.equal(list.body.items[0].id, q.id);
    assert.equal(list.body.items[0].author.name, 'Sam');
  });

  test('validation errors name the field and the rule, never raw zod output', async () => {
    const { sessionToken } = await signIn(t, { sub: 'validator' });
    const res = await call(t, 'POST', '/v1/questions', {
      token: sessionToken,
      body: { topic: 'bad topic!', title: 'short', anonymous: 'yes', extra: 1 },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    const byField = Object.fromEntries(res.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]));
    assert.deepEqual(byField, { topic: 'pattern', title: 'too_small', anonymous: 'type', extra: 'unknown_field' });
    for (const d of res.body.error.details) assert.deepEqual(Object.keys(d).sort(), ['field', 'message', 'rule']);
    assert.equal(typeof res.body.error.message, 'string');

    const missing = await call(t, 'GET', '/v1/questions?site=acme');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.details[0], { field: 'topic', rule: 'required', message: 'topic is required' });

    const limit = await call(t, 'GET', '/v1/questions?site=acme&topic=x&limit=500');
    assert.equal(limit.body.error.details[0].field, 'limit');
    assert.equal(limit.body.error.details[0].rule, 'too_big');

    const cursor = await call(t, 'GET', '/v1/questions?site=acme&topic=x&cursor=nonsense');
    assert.deepEqual(cursor.body.error.details[0].field, 'cursor');

    const notJson = await call(t, 'POST', '/v1/questions', { token: sessionToken, body: '{"topic":', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, 'validation_failed');

    const text = await call(t, 'POST', '/v1/questions', { token: sessionToken, body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    assert.deepEqual(text.body.error.details[0], { field: 'Content-Type', rule: 'json', message: 'Content-Type must be application/json' });
    assert.deepEqual(notJson.body.error.details, [{ field: 'body', rule: 'json', message: 'body must be valid JSON' }]);
  });

  test("every validation message is the API's own words, never zod's", async () => {
    const { sessionToken } = await signIn(t, { sub: 'wording' });
    const q = await ask(t, sessionToken, { topic: 'wording' });
    const cases: Array<[Promise<{ status: number; body: Record<string, any> }>, { field: string; rule: string; message: string }]> = [
      [call(t, 'GET', '/v1/questions?site=acme&topic=x&limit='), { field: 'limit', rule: 'too_small', message: 'limit must be at least 1' }],
      [call(t, 'GET', '/v1/questions?site=acme&topic=x&limit=2.5'), { field: 'limit', rule: 'type', message: 'limit must be an integer' }],
      [call(t, 'GET', '/v1/questions?site=acme&topic=x&status=closed'), { field: 'status', rule: 'invalid_value', message: 'status must be one of open, answered, all' }],
      [call(t, 'GET', `/v1/questions/${'x'.repeat(65)}`), { field: 'id', rule: 'too_big', message: 'id must be at most 64 characters' }],
      [call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: sessionToken, body: {} }), { field: 'value', rule: 'required', message: 'value is required' }],
      [call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: sessionToken, body: { value: '1' } }), { field: 'value', rule: 'invalid_value', message: 'value must be one of 1, 0' }],
      [call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: sessionToken, body: { answerId: '' } }), { field: 'answerId', rule: 'too_small', message: 'answerId must be at least 1 character' }],
    ];
    for (const [pending, expected] of cases) {
      const res = await pending;
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(res.body.error.details, [expected]);
      assert.equal(res.body.error.message, expected.message);
    }
  });

  test('pagination walks every question once, in order, for both sorts', async () => {
    const { sessionToken } = await signIn(t, { sub: 'pager' });
    const voters = await Promise.all([1, 2, 3].map((i) => signIn(t, { sub: `voter-${i}` })));
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      const q = await ask(t, sessionToken, { topic: 'paging', title: `Question number ${i} about paging` });
      created.push(q.id);
      for (const v of voters.slice(0, i % 4)) {
        await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: v.sessionToken, body: { value: 1 } });
      }
    }
    for (const sort of ['recent', 'votes'] as const) {
      const seen: Array<{ id: string; votes: number; createdAt: string }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await call(t, 'GET', `/v1/questions?site=acme&topic=paging&sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.items.length <= 5);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 5);
      assert.equal(seen.length, 23, sort);
      assert.equal(new Set(seen.map((q) => q.id)).size, 23, `duplicates in ${sort}`);
      assert.deepEqual(new Set(seen.map((q) => q.id)), new Set(created));
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        if (sort === 'votes') assert.ok(a.votes > b.votes || (a.votes === b.votes && a.createdAt >= b.createdAt), `${sort} order at ${i}`);
        else assert.ok(a.createdAt >= b.createdAt, `${sort} order at ${i}`);
      }
    }
  });

  test('status filters open and answered questions', async () => {
    const asker = await signIn(t, { sub: 'status-asker' });
    const open = await ask(t, asker.sessionToken, { topic: 'status', title: 'A question left open' });
    const done = await ask(t, asker.sessionToken, { topic: 'status', title: 'A question that gets answered' });
    const a = await answer(t, asker.sessionToken, done.id);
    await call(t, 'POST', `/v1/questions/${done.id}/accept`, { token: asker.sessionToken, body: { answerId: a.id } });
    const ids = async (status: string) =>
      (await call(t, 'GET', `/v1/questions?site=acme&topic=status&status=${status}`)).body.items.map((q: { id: string }) => q.id);
    assert.deepEqual(await ids('open'), [open.id]);
    assert.deepEqual(await ids('answered'), [done.id]);
    assert.deepEqual(await ids('all'), [done.id, open.id]);
  });

  test('an Idempotency-Key retry returns the first response and creates nothing', async () => {
    const { sessionToken } = await signIn(t, { sub: 'retrier' });
    const send = (key: string, title = 'A question sent twice by the widget') =>
      call(t, 'POST', '/v1/questions', { token: sessionToken, headers: { 'Idempotency-Key': key }, body: { topic: 'idem', title } });
    const first = await send('draft-1');
    const retry = await send('draft-1');
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const other = await send('draft-2', 'Another question, with another key');
    assert.notEqual(other.body.id, first.body.id);
    const list = await call(t, 'GET', '/v1/questions?site=acme&topic=idem');
    assert.equal(list.body.items.length, 2);

    // Another user's identical key is theirs alone.
    const someoneElse = await signIn(t, { sub: 'retrier-2' });
    const theirs = await call(t, 'POST', '/v1/questions', {
      token: someoneElse.sessionToken,
      headers: { 'Idempotency-Key': 'draft-1' },
      body: { topic: 'idem', title: 'A question sent twice by the widget' },
    });
    assert.notEqual(theirs.body.id, first.body.id);

    // Answers too.
    const postAnswer = () =>
      call(t, 'POST', `/v1/questions/${first.body.id}/answers`, { token: sessionToken, headers: { 'Idempotency-Key': 'ans-1' }, body: { body: 'Once' } });
    const a1 = await postAnswer();
    const a2 = await postAnswer();
    assert.equal(a1.status, 201);
    assert.deepEqual(a2.body, a1.body);
    const detail = await call(t, 'GET', `/v1/questions/${first.body.id}`);
    assert.equal(detail.body.answerCount, 1);
    assert.equal(detail.body.answers.length, 1);

    // The same key for another route conflicts.
    const reused = await call(t, 'POST', `/v1/questions/${first.body.id}/answers`, { token: sessionToken, headers: { 'Idempotency-Key': 'draft-1' }, body: { body: 'x' } });
    assert.equal(reused.status, 409);
    assert.equal(reused.body.error.code, 'conflict');
  });

  test('only the asker or an expert of the topic may accept, and only an answer of the question', async () => {
    const asker = await signIn(t, { sub: 'acc-asker' });
    const stranger = await signIn(t, { sub: 'acc-stranger' });
    const expert = await signIn(t, { sub: 'acc-expert', expert_topics: ['accepting'] });
    const otherExpert = await signIn(t, { sub: 'acc-other-expert', expert_topics: ['something-else'] });
    const q = await ask(t, asker.sessionToken, { topic: 'accepting', title: 'A question to accept on' });
    const other = await ask(t, asker.sessionToken, { topic: 'accepting', title: 'Another question of the asker' });
    const a1 = await answer(t, stranger.sessionToken, q.id, 'one');
    const a2 = await answer(t, expert.sessionToken, q.id, 'two');
    const foreign = await answer(t, stranger.sessionToken, other.id, 'elsewhere');
    assert.equal(a1.expert, false);
    assert.equal(a2.expert, true);
    const accept = (token: string, answerId: string) => call(t, 'POST', `/v1/questions/${q.id}/accept`, { token, body: { answerId } });

    assert.equal((await accept(stranger.sessionToken, a1.id)).status, 403);
    assert.equal((await accept(otherExpert.sessionToken, a1.id)).status, 403);
    assert.equal((await accept(asker.sessionToken, 'no-such-answer')).status, 404);
    const wrong = await accept(asker.sessionToken, foreign.id);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.details[0].field, 'answerId');
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`)).body.status, 'open');

    const byAsker = await accept(asker.sessionToken, a1.id);
    assert.equal(byAsker.status, 200);
    assert.equal(byAsker.body.acceptedAnswerId, a1.id);
    assert.equal(byAsker.body.status, 'answered');
    const again = await accept(asker.sessionToken, a1.id);
    assert.equal(again.status, 200);
    assert.equal(again.body.acceptedAnswerId, a1.id);

    const byExpert = await accept(expert.sessionToken, a2.id);
    assert.equal(byExpert.status, 200);
    assert.equal(byExpert.body.acceptedAnswerId, a2.id);
    assert.deepEqual(byExpert.body.answers.map((a: { accepted: boolean }) => a.accepted), [true, false]);
    assert.equal((await call(t, 'POST', `/v1/questions/nope/accept`, { token: asker.sessionToken, body: { answerId: a1.id } })).status, 404);
  });

  test('votes are one per user, idempotent, and the counts stay exact', async () => {
    const asker = await signIn(t, { sub: 'vote-asker' });
    const voters = await Promise.all([1, 2, 3].map((i) => signIn(t, { sub: `vote-${i}` })));
    const q = await ask(t, asker.sessionToken, { topic: 'voting' });
    const a = await answer(t, asker.sessionToken, q.id);
    const voteQ = (token: string, value: number) => call(t, 'POST', `/v1/questions/${q.id}/vote`, { token, body: { value } });
    const voteA = (token: string, value: number) => call(t, 'POST', `/v1/answers/${a.id}/vote`, { token, body: { value } });

    // Concurrent and repeated votes still count each user once.
    await Promise.all(voters.flatMap((v) => [voteQ(v.sessionToken, 1), voteQ(v.sessionToken, 1), voteA(v.sessionToken, 1)]));
    const last = await voteQ(voters[0]!.sessionToken, 1);
    assert.deepEqual(last.body, { votes: 3, myVote: 1 });
    assert.deepEqual((await voteQ(voters[1]!.sessionToken, 0)).body, { votes: 2, myVote: 0 });
    assert.deepEqual((await voteQ(voters[1]!.sessionToken, 0)).body, { votes: 2, myVote: 0 });
    assert.deepEqual((await voteA(voters[2]!.sessionToken, 0)).body, { votes: 2, myVote: 0 });

    const seen = await call(t, 'GET', `/v1/questions/${q.id}`, { token: voters[0]!.sessionToken });
    assert.equal(seen.body.votes, 2);
    assert.equal(seen.body.myVote, 1);
    assert.equal(seen.body.answers[0].votes, 2);
    assert.equal(seen.body.answers[0].myVote, 1);
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`)).body.myVote, 0);

    const bad = await voteQ(voters[0]!.sessionToken, 2);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'value');
    assert.equal((await call(t, 'POST', '/v1/answers/nope/vote', { token: asker.sessionToken, body: { value: 1 } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/answers/${a.id}/vote`, { body: { value: 1 } })).status, 401);
  });

  test('answers sort accepted first, then by votes, then oldest first', async () => {
    const asker = await signIn(t, { sub: 'sort-asker' });
    const voter = await signIn(t, { sub: 'sort-voter' });
    const q = await ask(t, asker.sessionToken, { topic: 'sorting' });
    const oldest = await answer(t, asker.sessionToken, q.id, 'oldest');
    const voted = await answer(t, asker.sessionToken, q.id, 'voted');
    const accepted = await answer(t, asker.sessionToken, q.id, 'accepted');
    const newest = await answer(t, asker.sessionToken, q.id, 'newest');
    await call(t, 'POST', `/v1/answers/${voted.id}/vote`, { token: voter.sessionToken, body: { value: 1 } });
    await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: asker.sessionToken, body: { answerId: accepted.id } });
    const detail = await call(t, 'GET', `/v1/questions/${q.id}`);
    assert.deepEqual(detail.body.answers.map((a: { id: string }) => a.id), [accepted.id, voted.id, oldest.id, newest.id]);
  });

  test('experts of a topic come with their accepted-answer counts', async () => {
    const asker = await signIn(t, { sub: 'ex-asker' });
    const star = await signIn(t, { sub: 'ex-star', name: 'Star Expert', expert_topics: ['experts-topic'] });
    await signIn(t, { sub: 'ex-new', name: 'New Expert', expert_topics: ['experts-topic', 'other'] });
    await signIn(t, { sub: 'ex-none', name: 'Not An Expert', expert_topics: ['other'] });
    const q = await ask(t, asker.sessionToken, { topic: 'experts-topic' });
    const a = await answer(t, star.sessionToken, q.id);
    await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: asker.sessionToken, body: { answerId: a.id } });
    const res = await call(t, 'GET', '/v1/experts?site=acme&topic=experts-topic');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((e: { name: string; acceptedAnswers: number }) => [e.name, e.acceptedAnswers]),
      [['Star Expert', 1], ['New Expert', 0]],
    );
    assert.deepEqual(Object.keys(res.body.items[0]).sort(), ['acceptedAnswers', 'id', 'name', 'picture']);
  });

  test('a question of another site is not found for writes, and unknown ids are 404', async () => {
    const g = await guest(t, 'Demo Guest');
    const q = await ask(t, g.sessionToken, { topic: 'cross-site' });
    const acmeUser = await signIn(t, { sub: 'cross' });
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/answers`, { token: acmeUser.sessionToken, body: { body: 'hi' } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: acmeUser.sessionToken, body: { value: 1 } })).status, 404);
    const missing = await call(t, 'GET', '/v1/questions/does-not-exist');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });
});

