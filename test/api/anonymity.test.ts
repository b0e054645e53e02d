import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, ask, call, hostToken, setup, signIn, type TestContext } from './helpers';

/** Every string anywhere in a response body. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('anonymous questions', () => {
  let t: TestContext;
  let asker: { sessionToken: string; user: Record<string, any> };
  let other: { sessionToken: string; user: Record<string, any> };
  let moderator: { sessionToken: string; user: Record<string, any> };
  let questionId: string;
  const topic = 'anon-topic';
  const secretName = 'Zed Anonymouse';
  const picture = 'https://img.example/zed.png';

  before(async () => {
    t = await setup();
    asker = await signIn(t, { sub: 'zed', name: secretName, picture });
    other = await signIn(t, { sub: 'other', name: 'Olga Other', expert_topics: [topic] });
    moderator = await signIn(t, { sub: 'mod', name: 'Mo Derator', roles: ['moderator'] });
    const q = await ask(t, asker.sessionToken, { topic, title: 'Is it fine to ask a basic question?', anonymous: true });
    questionId = q.id;
    assert.equal(q.author, null);
    assert.equal(q.mine, true);
    // The asker answers their own question and gets an answer accepted: still hidden.
    await answer(t, asker.sessionToken, questionId, 'Adding some context myself.');
    const a = await answer(t, other.sessionToken, questionId, 'Yes, always.');
    await call(t, 'POST', `/v1/questions/${questionId}/accept`, { token: asker.sessionToken, body: { answerId: a.id } });
  });
  after(() => t.close());

  const leaks = (body: unknown) => strings(body).filter((s) => s === asker.user.id || s.includes(secretName) || s === picture || s === 'zed');

  const readers = () =>
    [
      ['nobody', undefined],
      ['another user', other.sessionToken],
      ['the asker', asker.sessionToken],
    ] as Array<[string, string | undefined]>;

  test('no response to a non-moderator identifies the asker', async () => {
    for (const [who, token] of readers()) {
      const responses = [
        await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token }),
        await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}&status=answered&sort=votes`, { token }),
        await call(t, 'GET', `/v1/questions/similar?site=acme&topic=${topic}&q=basic+question`, { token }),
        await call(t, 'GET', `/v1/questions/${questionId}`, { token }),
        await call(t, 'GET', `/v1/experts?site=acme&topic=${topic}`, { token }),
      ];
      for (const res of responses) {
        assert.equal(res.status, 200);
        assert.deepEqual(leaks(res.body), [], `${who} sees the asker in ${JSON.stringify(res.body)}`);
      }
      const detail = responses[3]!.body;
      assert.equal(detail.author, null);
      assert.equal(detail.mine, who === 'the asker', who);
      const own = detail.answers.find((a: { body: string }) => a.body === 'Adding some context myself.');
      assert.equal(own.author.id, 'anonymous');
      assert.equal(responses[0]!.body.items[0].author, null);
      assert.equal(responses[2]!.body.items.length, 1);
      assert.equal(responses[2]!.body.items[0].author, null);
    }
  });

  test('the asker still finds it among their own questions', async () => {
    const mine = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}&mine=true`, { token: asker.sessionToken });
    assert.equal(mine.body.items.length, 1);
    assert.equal(mine.body.items[0].mine, true);
    assert.equal(mine.body.items[0].author, null);
    const othersMine = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}&mine=true`, { token: other.sessionToken });
    assert.equal(othersMine.body.items.length, 0);
  });

  test('responses to the other writers (answer, accept, vote) do not identify the asker', async () => {
    const ans = await call(t, 'POST', `/v1/questions/${questionId}/answers`, { token: other.sessionToken, body: { body: 'Another answer' } });
    const vote = await call(t, 'POST', `/v1/questions/${questionId}/vote`, { token: other.sessionToken, body: { value: 1 } });
    const accept = await call(t, 'POST', `/v1/questions/${questionId}/accept`, { token: other.sessionToken, body: { answerId: ans.body.id } });
    for (const res of [ans, vote, accept]) assert.deepEqual(leaks(res.body), [], JSON.stringify(res.body));
    assert.equal(accept.status, 200);
    assert.equal(accept.body.author, null);
  });

  test("an expert asking anonymously is not singled out by their own answer's expert badge or accepted count", async () => {
    const expertTopic = 'anon-expert-topic';
    const hidden = await signIn(t, { sub: 'hidden-expert', name: 'Hidden Expert', expert_topics: [expertTopic] });
    await signIn(t, { sub: 'open-expert', name: 'Open Expert', expert_topics: [expertTopic] });
    const q = await ask(t, hidden.sessionToken, { topic: expertTopic, title: 'An expert asks without a name', anonymous: true });
    const own = await answer(t, hidden.sessionToken, q.id, 'Answering myself.');
    const accepted = await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: hidden.sessionToken, body: { answerId: own.id } });
    assert.equal(accepted.status, 200);

    for (const [who, token] of readers()) {
      const detail = await call(t, 'GET', `/v1/questions/${q.id}`, { token });
      assert.equal(detail.body.answers[0].author.id, 'anonymous', who);
      assert.equal(detail.body.answers[0].expert, false, `${who} sees the hidden asker badged as an expert`);
      const experts = await call(t, 'GET', `/v1/experts?site=acme&topic=${expertTopic}`, { token });
      assert.deepEqual(
        experts.body.items.map((e: { name: string; acceptedAnswers: number }) => e.acceptedAnswers),
        [0, 0],
        `${who} can tell the accepted answer's author from the experts' counts`,
      );
    }
    // A moderator may see the asker, and with them the badge.
    const seen = await call(t, 'GET', `/v1/questions/${q.id}`, { token: moderator.sessionToken });
    assert.equal(seen.body.answers[0].expert, true);
  });

  test('a moderator sees who asked', async () => {
    const detail = await call(t, 'GET', `/v1/questions/${questionId}`, { token: moderator.sessionToken });
    assert.equal(detail.body.author.id, asker.user.id);
    assert.equal(detail.body.author.name, secretName);
    assert.equal(detail.body.mine, false);
    assert.equal(detail.headers.get('cache-control'), 'no-store', 'no cache may hand this to someone else');
    const list = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: moderator.sessionToken });
    assert.equal(list.body.items[0].author.name, secretName);
  });

  test('a moderator of another site does not', async () => {
    const demoMod = await call(t, 'POST', '/v1/session', {
      body: { site: 'demo', token: await hostToken(t.demoSecret, { sub: 'demo-mod', site: 'demo', roles: ['moderator'] }) },
    });
    assert.deepEqual(demoMod.body.user.roles, ['moderator']);
    const detail = await call(t, 'GET', `/v1/questions/${questionId}`, { token: demoMod.body.sessionToken });
    assert.equal(detail.body.author, null);
    const list = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: demoMod.body.sessionToken });
    assert.equal(list.body.items[0].author, null);
    const similar = await call(t, 'GET', `/v1/questions/similar?site=acme&topic=${topic}&q=basic`, { token: demoMod.body.sessionToken });
    assert.equal(similar.body.items[0].author, null);
  });

  test('a site that does not allow anonymous questions refuses them, naming anonymous', async () => {
    const strict = await setup({}, { anonymousQuestionsAllowed: false });
    try {
      const user = await signIn(strict);
      const res = await call(strict, 'POST', '/v1/questions', {
        token: user.sessionToken,
        body: { topic, title: 'An anonymous question here?', anonymous: true },
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.details[0].field, 'anonymous');
      const site = await call(strict, 'GET', '/v1/sites/acme');
      assert.equal(site.body.anonymousQuestionsAllowed, false);
    } finally {
      await strict.close();
    }
  });
});
