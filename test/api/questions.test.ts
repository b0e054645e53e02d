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
});
