import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createSite } from '../../api/src/lib/sites';
import { answer, ask, call, giveKudos, hostToken, setup, shareTip, signIn, type CallResult, type TestContext } from './helpers';

type Session = Awaited<ReturnType<typeof signIn>>;

/** The events `GET /v1/stream` replays after Last-Event-ID 0, read for a moment. */
async function replayed(t: TestContext, query: string): Promise<Array<{ type: string; data: string }>> {
  const abort = new AbortController();
  const res = await t.app.request(`/v1/stream?${query}`, { headers: { 'last-event-id': '0' }, signal: abort.signal });
  const reader = res.body!.getReader();
  let text = '';
  const decoder = new TextDecoder();
  const deadline = Date.now() + 300;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  abort.abort();
  await reader.cancel().catch(() => undefined);
  return text
    .split('\n\n')
    .map((block) => ({ type: /^event: (.*)$/m.exec(block)?.[1] ?? '', data: /^data: (.*)$/m.exec(block)?.[1] ?? '' }))
    .filter((e) => e.type && e.type !== 'ping');
}

/** A moderator action; `null` sends no reason. */
const moderate = (t: TestContext, token: string, type: string, id: string, action: string, reason: string | null = 'off topic') =>
  call(t, 'POST', `/v1/moderation/${type}/${id}/${action}`, { token, body: reason === null ? {} : { reason } });

const report = (t: TestContext, token: string, type: string, id: string, reason = 'spam') => call(t, 'POST', '/v1/reports', { token, body: { type, id, reason } });

describe('moderation: reports, queue, hide and restore, audit', () => {
  let t: TestContext;
  let author: Session;
  let reader: Session;
  let moderator: Session;
  before(async () => {
    t = await setup({ live: { pollMs: 50, heartbeatMs: 60_000 }, writeLimit: { limit: 10_000, windowMs: 60_000 } });
    author = await signIn(t, { sub: 'author', name: 'Ann Author' });
    reader = await signIn(t, { sub: 'reader', name: 'Rob Reader' });
    moderator = await signIn(t, { sub: 'mod', name: 'Mo Derator', roles: ['moderator'] });
  });
  after(() => t.close());

  test('a report of an anonymous question reaches the queue with the real author; one open report per person', async () => {
    const q = await ask(t, author.sessionToken, { topic: 'reports', title: 'An anonymous question to report', anonymous: true });
    const filed = await report(t, reader.sessionToken, 'question', q.id, 'this is spam');
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.deepEqual({ type: filed.body.type, itemId: filed.body.itemId, status: filed.body.status }, { type: 'question', itemId: q.id, status: 'open' });
    const again = await report(t, reader.sessionToken, 'question', q.id, 'still spam');
    assert.equal(again.status, 409);
    assert.deepEqual(again.body.error.details.map((d: { rule: string }) => d.rule), ['already_reported']);
    assert.equal((await report(t, moderator.sessionToken, 'question', q.id)).status, 201, 'another person may report it too');

    const queue = await call(t, 'GET', '/v1/moderation/queue?site=acme', { token: moderator.sessionToken });
    assert.equal(queue.status, 200);
    const entry = queue.body.items.find((i: { id: string }) => i.id === q.id);
    assert.ok(entry, 'the reported question is in the queue');
    assert.equal(entry.author.name, 'Ann Author', 'moderators see who asked anonymously');
    assert.equal(entry.anonymous, true);
    assert.equal(entry.reports.length, 2);
    assert.ok(entry.reports.every((r: { status: string }) => r.status === 'open'));
    assert.equal(entry.reports.find((r: { reason: string }) => r.reason === 'this is spam').reporter.name, 'Rob Reader');
  });

  test('report validation: type, id and a 1 to 500 character reason; unknown items are 404', async () => {
    const tip = await shareTip(t, author.sessionToken, { topic: 'reports', body: 'A tip to report with a bad reason' });
    for (const [body, field, rule] of [
      [{ type: 'tip', id: tip.id, reason: '' }, 'reason', 'too_small'],
      [{ type: 'tip', id: tip.id, reason: 'x'.repeat(501) }, 'reason', 'too_big'],
      [{ type: 'tip', id: tip.id }, 'reason', 'required'],
      [{ type: 'poem', id: tip.id, reason: 'x' }, 'type', 'invalid_value'],
      [{ type: 'tip', id: 'x'.repeat(65), reason: 'x' }, 'id', 'too_big'],
      [{ type: 'tip', id: tip.id, reason: 'x', extra: 1 }, 'extra', 'unknown_field'],
    ] as const) {
      const res = await call(t, 'POST', '/v1/reports', { token: reader.sessionToken, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [[field, rule]], JSON.stringify(body));
    }
    assert.equal((await report(t, reader.sessionToken, 'tip', 'no-such-tip')).status, 404);
    assert.equal((await report(t, reader.sessionToken, 'answer', tip.id)).status, 404, 'the type must match');
    assert.equal((await call(t, 'POST', '/v1/reports', { body: { type: 'tip', id: tip.id, reason: 'x' } })).status, 401);
  });

  test('hidden content disappears from every list, detail, search, count and replay for non-moderators; moderators see it marked', async () => {
    const topic = 'hide-me';
    const q = await ask(t, author.sessionToken, { topic, title: 'Kubernetes rollback question to hide' });
    const keep = await ask(t, author.sessionToken, { topic, title: 'Kubernetes question that stays visible' });
    const a = await answer(t, reader.sessionToken, keep.id, 'An answer that will be hidden');
    await answer(t, author.sessionToken, keep.id, 'An answer that stays');
    const tip = await shareTip(t, author.sessionToken, { topic, body: 'A tip that will be hidden', tags: ['hidden-tag'] });
    const k = await giveKudos(t, author.sessionToken, { wall: topic, to: reader.user.id, message: 'Kudos that will be hidden' });

    const hidden = await Promise.all([
      moderate(t, moderator.sessionToken, 'question', q.id, 'hide'),
      moderate(t, moderator.sessionToken, 'answer', a.id, 'hide'),
      moderate(t, moderator.sessionToken, 'tip', tip.id, 'hide'),
      moderate(t, moderator.sessionToken, 'kudos', k.id, 'hide'),
    ]);
    for (const res of hidden) {
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.hidden, true);
    }

    for (const viewer of [undefined, reader.sessionToken, author.sessionToken]) {
      const list = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: viewer });
      assert.deepEqual(list.body.items.map((i: { id: string }) => i.id), [keep.id]);
      assert.equal(list.body.items[0].answerCount, 1, 'the hidden answer is not counted');
      assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`, { token: viewer })).status, 404);
      const detail = await call(t, 'GET', `/v1/questions/${keep.id}`, { token: viewer });
      assert.deepEqual(detail.body.answers.map((x: { body: string }) => x.body), ['An answer that stays']);
      const similar = await call(t, 'GET', `/v1/questions/similar?site=acme&topic=${topic}&q=rollback`, { token: viewer });
      assert.deepEqual(similar.body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/tips?site=acme&topic=${topic}`, { token: viewer })).body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/tips/tags?site=acme&topic=${topic}`, { token: viewer })).body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/kudos?site=acme&wall=${topic}`, { token: viewer })).body.items, []);
      const board = await call(t, 'GET', `/v1/kudos/leaderboard?site=acme&wall=${topic}`, { token: viewer });
      assert.deepEqual(board.body.items, []);
    }
    // Writes to hidden content are as impossible as to missing content.
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: reader.sessionToken, body: { value: 1 } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/answers`, { token: reader.sessionToken, body: { body: 'hello' } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/answers/${a.id}/vote`, { token: author.sessionToken, body: { value: 1 } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/tips/${tip.id}/helpful`, { token: reader.sessionToken, body: { helpful: true } })).status, 404);
    assert.equal((await call(t, 'PATCH', `/v1/tips/${tip.id}`, { token: author.sessionToken, body: { body: 'edited' } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/kudos/${k.id}/reactions`, { token: reader.sessionToken, body: { emoji: '🎉' } })).status, 404);
    assert.equal((await report(t, reader.sessionToken, 'tip', tip.id)).status, 404);

    const replay = await replayed(t, `site=acme&topics=${topic}&walls=${topic}`);
    const news = replay.filter((e) => !e.type.endsWith('.hidden'));
    assert.deepEqual(news.map((e) => e.type), ['question.asked', 'answer.posted'], 'only the visible question and answer replay');
    assert.ok(replay.every((e) => !e.data.includes('will be hidden')), JSON.stringify(replay));
    // Pages that show the hidden records learn to drop them, by id, and nothing more of them.
    const gone = replay.filter((e) => e.type.endsWith('.hidden')).map((e) => JSON.parse(e.data));
    assert.deepEqual(
      gone.map((e) => [e.type, e.itemType ?? 'kudos', e.id, e.questionId ?? null]).sort(),
      [
        ['item.hidden', 'answer', a.id, keep.id],
        ['item.hidden', 'question', q.id, null],
        ['item.hidden', 'tip', tip.id, null],
        ['kudos.hidden', 'kudos', k.id, null],
      ].sort(),
    );
    assert.ok(gone.every((e) => (e.type === 'kudos.hidden' ? e.wall : e.topic) === topic), 'each on the scope its record is shown in');

    const modList = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: moderator.sessionToken });
    assert.deepEqual(modList.body.items.map((i: { id: string; hidden?: boolean }) => [i.id, i.hidden ?? false]), [[keep.id, false], [q.id, true]]);
    const modDetail = await call(t, 'GET', `/v1/questions/${keep.id}`, { token: moderator.sessionToken });
    assert.deepEqual(modDetail.body.answers.map((x: { body: string; hidden?: boolean }) => [x.body, x.hidden ?? false]).sort(), [['An answer that stays', false], ['An answer that will be hidden', true]]);
    assert.equal((await call(t, 'GET', `/v1/tips?site=acme&topic=${topic}`, { token: moderator.sessionToken })).body.items[0].hidden, true);
    assert.equal((await call(t, 'GET', `/v1/kudos?site=acme&wall=${topic}`, { token: moderator.sessionToken })).body.items[0].hidden, true);

    for (const [type, id] of [['question', q.id], ['answer', a.id], ['tip', tip.id], ['kudos', k.id]] as const) {
      const res = await moderate(t, moderator.sessionToken, type, id, 'restore', 'was fine after all');
      assert.equal(res.status, 200);
      assert.equal(res.body.hidden, false);
    }
    const restored = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: reader.sessionToken });
    assert.equal(restored.body.items.length, 2);
    assert.ok(restored.body.items.every((i: { hidden?: boolean }) => i.hidden === undefined), 'no marks for non-moderators');
    assert.equal(restored.body.items.find((i: { id: string }) => i.id === keep.id).answerCount, 2);
    assert.equal((await call(t, 'GET', `/v1/tips?site=acme&topic=${topic}`)).body.items.length, 1);
    assert.equal((await call(t, 'GET', `/v1/kudos?site=acme&wall=${topic}`)).body.items.length, 1);
    // Restored, each record is announced again as news, after the news that it was hidden.
    const again = await replayed(t, `site=acme&topics=${topic}&walls=${topic}`);
    const lastHidden = again.findLastIndex((e) => e.type.endsWith('.hidden'));
    const returned = again.slice(lastHidden + 1).map((e) => JSON.parse(e.data));
    assert.deepEqual(
      returned.map((e) => (e.question ?? e.answer ?? e.tip ?? e.kudos).id).sort(),
      [q.id, a.id, tip.id, k.id].sort(),
    );
    // Restoring what is not hidden announces nothing.
    await moderate(t, moderator.sessionToken, 'tip', tip.id, 'restore', null);
    assert.equal((await replayed(t, `site=acme&topics=${topic}&walls=${topic}`)).length, again.length);
  });

  test('hiding resolves the open reports; the resolved queue lists them; the audit log has every action with who and why', async () => {
    const tip = await shareTip(t, author.sessionToken, { topic: 'audit', body: 'A tip reported and hidden' });
    await report(t, reader.sessionToken, 'tip', tip.id, 'rude');
    const hidden = await moderate(t, moderator.sessionToken, 'tip', tip.id, 'hide', 'rude language');
    assert.deepEqual(hidden.body.reports.map((r: { status: string }) => r.status), ['resolved']);
    const open = await call(t, 'GET', '/v1/moderation/queue', { token: moderator.sessionToken });
    assert.ok(!open.body.items.some((i: { id: string }) => i.id === tip.id), 'no longer in the open queue');
    const resolved = await call(t, 'GET', '/v1/moderation/queue?status=resolved', { token: moderator.sessionToken });
    assert.ok(resolved.body.items.some((i: { id: string; hidden: boolean }) => i.id === tip.id && i.hidden));
    assert.equal((await report(t, reader.sessionToken, 'tip', tip.id)).status, 404, 'hidden content cannot be reported again');

    const log = await call(t, 'GET', '/v1/moderation/audit', { token: moderator.sessionToken });
    assert.equal(log.status, 200);
    const entry = log.body.items[0];
    assert.deepEqual(
      { actor: entry.actor.name, action: entry.action, targetType: entry.targetType, targetId: entry.targetId, reason: entry.reason },
      { actor: 'Mo Derator', action: 'hide', targetType: 'tip', targetId: tip.id, reason: 'rude language' },
    );
    assert.match(entry.createdAt, /^\d{4}-\d\d-\d\dT/);
  });

  test('a hide needs a reason; restore and approve may go without', async () => {
    const tip = await shareTip(t, author.sessionToken, { topic: 'reasons', body: 'A tip for reasons' });
    const none = await moderate(t, moderator.sessionToken, 'tip', tip.id, 'hide', null);
    assert.equal(none.status, 400);
    assert.deepEqual(none.body.error.details.map((d: { field: string; rule: string }) => [d.field, d.rule]), [['reason', 'required']]);
    assert.equal((await moderate(t, moderator.sessionToken, 'tip', tip.id, 'hide', 'x'.repeat(501))).status, 400);
    assert.equal((await moderate(t, moderator.sessionToken, 'tip', tip.id, 'restore', null)).status, 200);
    assert.equal((await moderate(t, moderator.sessionToken, 'tip', tip.id, 'approve', null)).status, 200);
    assert.equal((await moderate(t, moderator.sessionToken, 'poem', tip.id, 'hide')).status, 400, 'an unknown type is named');
  });

  test('queue and audit page through everything once, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const tip = await shareTip(t, author.sessionToken, { topic: 'paging', body: `Tip number ${i} to page through` });
      await report(t, reader.sessionToken, 'tip', tip.id);
      ids.push(tip.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await call(t, 'GET', `/v1/moderation/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: moderator.sessionToken }) as never;
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no entry twice');
    assert.deepEqual(seen.filter((id) => ids.includes(id)), [...ids].reverse());

    const audited: string[] = [];
    cursor = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await call(t, 'GET', `/v1/moderation/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: moderator.sessionToken }) as never;
      audited.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.ok(audited.length >= 3);
    assert.deepEqual(audited, [...audited].sort((x, y) => Number(y) - Number(x)));
    assert.equal((await call(t, 'GET', '/v1/moderation/queue?cursor=garbage', { token: moderator.sessionToken })).status, 400);
  });

  test("thanks for an answer leave the stream's replay with the question they name when it is hidden, and come back with it", async () => {
    const [topic, wall] = ['thanked-hidden', 'thanked-hidden-wall'];
    const q = await ask(t, author.sessionToken, { topic, title: 'A title that will be hidden later' });
    const a = await answer(t, reader.sessionToken, q.id, 'The answer that was thanked.');
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token: author.sessionToken, body: { answerId: a.id } })).status, 200);
    const k = await giveKudos(t, author.sessionToken, { wall, to: reader.user.id, message: 'Thanks for that answer', for: { answerId: a.id } });
    assert.equal(k.for.questionTitle, 'A title that will be hidden later');
    const thanks = async () => (await replayed(t, `site=acme&walls=${wall}`)).filter((e) => e.type === 'kudos.given');
    assert.equal((await thanks()).length, 1);

    assert.equal((await moderate(t, moderator.sessionToken, 'question', q.id, 'hide')).status, 200);
    // The wall keeps the kudos, without the link; the replay has nothing that names the question.
    const shown = await call(t, 'GET', `/v1/kudos?site=acme&wall=${wall}`);
    assert.deepEqual(shown.body.items.map((x: { id: string; for: unknown }) => [x.id, x.for]), [[k.id, null]]);
    assert.deepEqual(await thanks(), []);
    assert.ok((await replayed(t, `site=acme&walls=${wall}&topics=${topic}`)).every((e) => !e.data.includes('hidden later')));

    assert.equal((await moderate(t, moderator.sessionToken, 'question', q.id, 'restore', 'fine after all')).status, 200);
    assert.equal((await thanks()).length, 1);
  });

  test("an answer recorded while its question is hidden is withheld from the stream with it, and sent once the question is restored", async () => {
    const topic = 'withheld-answer';
    const q = await ask(t, author.sessionToken, { topic, title: 'Is this answer withheld from the start?' });
    assert.equal((await moderate(t, moderator.sessionToken, 'question', q.id, 'hide')).status, 200);
    // A moderator still sees the hidden question, and may answer it; the answer itself is not held.
    const a = await answer(t, moderator.sessionToken, q.id, 'Answered while the question was hidden.');
    const answersOf = async () => (await replayed(t, `site=acme&topics=${topic}`)).filter((e) => e.type === 'answer.posted' && e.data.includes(a.id));
    assert.equal((await answersOf()).length, 0);
    assert.equal((await moderate(t, moderator.sessionToken, 'question', q.id, 'restore', 'fine after all')).status, 200);
    assert.equal((await answersOf()).length, 1);
  });
});

describe('moderation: blocking', () => {
  let t: TestContext;
  before(async () => {
    t = await setup({ writeLimit: { limit: 10_000, windowMs: 60_000 } });
  });
  after(() => t.close());

  test('blocking ends every session; a blocked person reads and signs out but every write is 403 blocked; unblocking restores writing', async () => {
    const moderator = await signIn(t, { sub: 'blocker', roles: ['moderator'] });
    const victim = await signIn(t, { sub: 'troll', name: 'Troll' });
    const secondTab = await signIn(t, { sub: 'troll', name: 'Troll' });
    const q = await ask(t, victim.sessionToken, { topic: 'block', title: 'A question before the block' });
    const tip = await shareTip(t, victim.sessionToken, { topic: 'block', body: 'A tip before the block' });
    const other = await signIn(t, { sub: 'bystander', name: 'Bystander' });
    const otherQ = await ask(t, other.sessionToken, { topic: 'block', title: 'A question of a bystander' });
    const ans = await answer(t, other.sessionToken, q.id);

    const blocked = await call(t, 'POST', `/v1/moderation/users/${victim.user.id}/block`, { token: moderator.sessionToken, body: { reason: 'spamming' } });
    assert.equal(blocked.status, 200);
    assert.deepEqual(blocked.body, { user: { id: victim.user.id, name: 'Troll', picture: null }, blocked: true });
    for (const s of [victim, secondTab]) {
      const me = await call(t, 'GET', '/v1/me', { token: s.sessionToken });
      assert.equal(me.status, 401, 'every session ends at once');
      assert.deepEqual(me.body.error.details.map((d: { rule: string }) => d.rule), ['revoked']);
    }

    const again = await signIn(t, { sub: 'troll', name: 'Troll' });
    assert.equal((await call(t, 'GET', '/v1/me', { token: again.sessionToken })).status, 200, 'a blocked person may still sign in and read');
    assert.equal((await call(t, 'GET', `/v1/questions?site=acme&topic=block`, { token: again.sessionToken })).status, 200);
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/v1/questions', { topic: 'block', title: 'A question after the block' }],
      ['POST', `/v1/questions/${otherQ.id}/answers`, { body: 'An answer after the block' }],
      ['POST', `/v1/questions/${otherQ.id}/vote`, { value: 1 }],
      ['POST', `/v1/questions/${q.id}/accept`, { answerId: ans.id }],
      ['POST', `/v1/answers/${ans.id}/vote`, { value: 1 }],
      ['POST', '/v1/tips', { topic: 'block', body: 'A tip after the block' }],
      ['PATCH', `/v1/tips/${tip.id}`, { body: 'Edited after the block' }],
      ['DELETE', `/v1/tips/${tip.id}`, undefined],
      ['POST', '/v1/kudos', { wall: 'block', to: other.user.id, message: 'Thanks', badge: 'helpful' }],
      ['POST', '/v1/reports', { type: 'question', id: otherQ.id, reason: 'revenge' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(t, method, path, { token: again.sessionToken, body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.deepEqual(res.body.error.details.map((d: { rule: string }) => d.rule), ['blocked'], `${method} ${path}`);
    }
    assert.equal((await call(t, 'DELETE', '/v1/session', { token: again.sessionToken })).status, 204, 'signing out is allowed');

    const unblocked = await call(t, 'POST', `/v1/moderation/users/${victim.user.id}/unblock`, { token: moderator.sessionToken, body: {} });
    assert.deepEqual(unblocked.body.blocked, false);
    const back = await signIn(t, { sub: 'troll', name: 'Troll' });
    assert.equal((await call(t, 'POST', '/v1/tips', { token: back.sessionToken, body: { topic: 'block', body: 'Back to writing' } })).status, 201);
    const log = await call(t, 'GET', '/v1/moderation/audit', { token: moderator.sessionToken });
    assert.deepEqual(log.body.items.map((e: { action: string; reason: string | null }) => [e.action, e.reason]), [['unblock', null], ['block', 'spamming']]);
  });

  test('only an admin blocks a moderator or admin; nobody blocks themselves; a block needs a reason', async () => {
    const moderator = await signIn(t, { sub: 'm-1', roles: ['moderator'] });
    const otherModerator = await signIn(t, { sub: 'm-2', roles: ['moderator'] });
    const admin = await signIn(t, { sub: 'a-1', roles: ['admin'] });
    const rule = (res: CallResult) => res.body.error.details.map((d: { rule: string }) => d.rule);
    const block = (by: Session, target: Session, body: unknown = { reason: 'test' }) => call(t, 'POST', `/v1/moderation/users/${target.user.id}/block`, { token: by.sessionToken, body });
    const mm = await block(moderator, otherModerator);
    assert.equal(mm.status, 403);
    assert.deepEqual(rule(mm), ['admin_only']);
    assert.deepEqual(rule(await block(moderator, admin)), ['admin_only']);
    assert.deepEqual(rule(await block(moderator, moderator)), ['not_self']);
    assert.deepEqual(rule(await block(admin, admin)), ['not_self']);
    const noReason = await block(admin, otherModerator, {});
    assert.equal(noReason.status, 400);
    assert.equal((await block(admin, otherModerator)).status, 200, 'an admin may');
    assert.equal((await call(t, 'POST', '/v1/moderation/users/nobody/block', { token: admin.sessionToken, body: { reason: 'x' } })).status, 404);

    // The blocked moderator signs in again with the host's token (roles and all): no moderator's view any more.
    const asker = await signIn(t, { sub: 'shy', name: 'Shy Asker' });
    const q = await ask(t, asker.sessionToken, { topic: 'blocked-mod', title: 'Who asked this?', anonymous: true });
    const back = await signIn(t, { sub: 'm-2', roles: ['moderator'] });
    const detail = await call(t, 'GET', `/v1/questions/${q.id}`, { token: back.sessionToken });
    assert.equal(detail.status, 200);
    assert.equal(detail.body.author, null, 'the anonymous asker stays anonymous to a blocked moderator');
    const listed = await call(t, 'GET', '/v1/questions?site=acme&topic=blocked-mod', { token: back.sessionToken });
    assert.equal(listed.body.items[0].author, null);
    assert.equal((await call(t, 'GET', '/v1/moderation/queue', { token: back.sessionToken })).status, 403);
    assert.notEqual((await call(t, 'GET', `/v1/questions/${q.id}`, { token: admin.sessionToken })).body.author, null, 'an admin still sees who asked');
  });
});

describe('moderation: pre-moderation', () => {
  let t: TestContext;
  before(async () => {
    t = await setup({ live: { pollMs: 50, heartbeatMs: 60_000 }, writeLimit: { limit: 10_000, windowMs: 60_000 } }, { premoderation: 'everyone' });
  });
  after(() => t.close());

  test('content of a held user is stored pending, returned to its author marked pending, invisible to others, announced only on approval', async () => {
    const author = await signIn(t, { sub: 'newbie', name: 'Newbie' });
    const other = await signIn(t, { sub: 'regular', name: 'Regular' });
    const moderator = await signIn(t, { sub: 'mod', name: 'Mod', roles: ['moderator'] });
    const topic = 'held';
    const q = await ask(t, author.sessionToken, { topic, title: 'A held question about pods' });
    assert.equal(q.pending, true);
    const tip = await shareTip(t, author.sessionToken, { topic, body: 'A held tip', tags: ['held'] });
    assert.equal(tip.pending, true);
    const k = await giveKudos(t, author.sessionToken, { wall: topic, to: other.user.id, message: 'Held thanks' });
    assert.equal(k.pending, true);
    const modQ = await ask(t, moderator.sessionToken, { topic, title: 'A moderator question is never held' });
    assert.equal(modQ.pending, undefined);

    // The author sees their own, marked; others and anonymous readers do not.
    const mine = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: author.sessionToken });
    assert.deepEqual(mine.body.items.map((i: { id: string; pending?: boolean }) => [i.id, i.pending ?? false]), [[modQ.id, false], [q.id, true]]);
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`, { token: author.sessionToken })).body.pending, true);
    for (const token of [undefined, other.sessionToken]) {
      const list = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token });
      assert.deepEqual(list.body.items.map((i: { id: string }) => i.id), [modQ.id]);
      assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`, { token })).status, 404);
      assert.deepEqual((await call(t, 'GET', `/v1/tips?site=acme&topic=${topic}`, { token })).body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/tips/tags?site=acme&topic=${topic}`, { token })).body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/kudos?site=acme&wall=${topic}`, { token })).body.items, []);
      assert.deepEqual((await call(t, 'GET', `/v1/questions/similar?site=acme&topic=${topic}&q=pods`, { token })).body.items, []);
    }
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/answers`, { token: other.sessionToken, body: { body: 'hi' } })).status, 404);
    assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: other.sessionToken, body: { value: 1 } })).status, 404);
    assert.deepEqual((await replayed(t, `site=acme&topics=${topic}&walls=${topic}`)).map((e) => e.type), ['question.asked'], 'only the moderator question');

    const queue = await call(t, 'GET', '/v1/moderation/queue', { token: moderator.sessionToken });
    const pendingIds = queue.body.items.filter((i: { pending: boolean }) => i.pending).map((i: { id: string }) => i.id).sort();
    assert.deepEqual(pendingIds, [q.id, tip.id, k.id].sort());

    for (const [type, id] of [['question', q.id], ['tip', tip.id], ['kudos', k.id]] as const) {
      const approved = await moderate(t, moderator.sessionToken, type, id, 'approve', null);
      assert.equal(approved.status, 200);
      assert.equal(approved.body.pending, false);
    }
    const list = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}`, { token: other.sessionToken });
    assert.equal(list.body.items.length, 2);
    assert.equal((await call(t, 'GET', `/v1/tips?site=acme&topic=${topic}`)).body.items.length, 1);
    assert.equal((await call(t, 'GET', `/v1/kudos?site=acme&wall=${topic}`)).body.items.length, 1);
    const replay = await replayed(t, `site=acme&topics=${topic}&walls=${topic}`);
    assert.deepEqual(replay.map((e) => e.type), ['question.asked', 'question.asked', 'tip.shared', 'kudos.given'], 'announced on approval, in approval order');
    assert.ok(replay.every((e) => !e.data.includes('"pending"')));
    // Approving again announces nothing twice.
    await moderate(t, moderator.sessionToken, 'tip', tip.id, 'approve', null);
    assert.equal((await replayed(t, `site=acme&topics=${topic}&walls=${topic}`)).length, 4);
  });

  test('a list shows each reader the published, pending and hidden questions they may see: in order, once each, a page at a time', async () => {
    const author = await signIn(t, { sub: 'merge-author', name: 'Held Author' });
    const other = await signIn(t, { sub: 'merge-other', name: 'Held Other' });
    const plain = await signIn(t, { sub: 'merge-plain', name: 'Nothing Held' });
    const moderator = await signIn(t, { sub: 'merge-mod', name: 'Mod', roles: ['moderator'] });
    const { secret } = await createSite(t.db, { id: 'merge-elsewhere', origins: ['https://elsewhere.example'] });
    const elsewhere = await call(t, 'POST', '/v1/session', { body: { site: 'merge-elsewhere', token: await hostToken(secret, { site: 'merge-elsewhere', sub: 'mod', roles: ['moderator'] }) } });
    assert.equal(elsewhere.status, 200);
    const topic = 'merged';
    type Item = { id: string; votes: number; createdAt: string; status: string; pending?: true; hidden?: true };
    const asked = {
      published: [] as string[],
      hidden: [] as string[],
      author: [] as string[],
      /** The author's, published and then hidden; and held and hidden: for moderators only. */
      authorHidden: [] as string[],
      authorHeldHidden: [] as string[],
      other: [] as string[],
    };
    const hide = async (id: string) => assert.equal((await moderate(t, moderator.sessionToken, 'question', id, 'hide')).status, 200);
    // Pending and published questions asked in turn, so that a page holds both kinds.
    for (let i = 0; i < 5; i++) {
      asked.author.push((await ask(t, author.sessionToken, { topic, title: `Held question number ${i}` })).id);
      const q = await ask(t, moderator.sessionToken, { topic, title: `Published question number ${i}` });
      // Votes that order the published ones otherwise than by time.
      for (const voter of [moderator, author, other].slice(0, (i * 2) % 3)) {
        assert.equal((await call(t, 'POST', `/v1/questions/${q.id}/vote`, { token: voter.sessionToken, body: { value: 1 } })).status, 200);
      }
      if (i % 2) {
        await hide(q.id);
        asked.hidden.push(q.id);
      } else asked.published.push(q.id);
    }
    const approved = (await ask(t, author.sessionToken, { topic, title: 'Held, approved, then hidden' })).id;
    assert.equal((await moderate(t, moderator.sessionToken, 'question', approved, 'approve', null)).status, 200);
    await hide(approved);
    asked.authorHidden.push(approved);
    const heldHidden = (await ask(t, author.sessionToken, { topic, title: 'Held and hidden' })).id;
    await hide(heldHidden);
    asked.authorHeldHidden.push(heldHidden);
    asked.other.push((await ask(t, other.sessionToken, { topic, title: 'Held question of another' })).id);
    // The newest pages of the author's list hold only their own held questions.
    for (let i = 0; i < 4; i++) asked.author.push((await ask(t, author.sessionToken, { topic, title: `Newest held question ${i}` })).id);
    const answered = asked.published[1]!;
    const a = await answer(t, author.sessionToken, answered);
    assert.equal((await moderate(t, moderator.sessionToken, 'answer', a.id, 'approve', null)).status, 200);
    assert.equal((await call(t, 'POST', `/v1/questions/${answered}/accept`, { token: moderator.sessionToken, body: { answerId: a.id } })).status, 200);

    const readers: [who: string, token: string | undefined, expected: string[], query?: string][] = [
      // First: another site's session shares the response cache's entries with nobody's (lib/response-cache.ts).
      ["another site's moderator", elsewhere.body.sessionToken, asked.published],
      ['anonymous', undefined, asked.published],
      ['a signed-in reader with nothing held', plain.sessionToken, asked.published],
      ['the author', author.sessionToken, [...asked.published, ...asked.author]],
      ['another held author', other.sessionToken, [...asked.published, ...asked.other]],
      ['a moderator', moderator.sessionToken, Object.values(asked).flat()],
      ['the author, their own', author.sessionToken, asked.author, '&mine=true'],
      ['a moderator, their own', moderator.sessionToken, [...asked.published, ...asked.hidden], '&mine=true'],
      ['the author, answered', author.sessionToken, [answered], '&status=answered'],
      ['a moderator, open', moderator.sessionToken, Object.values(asked).flat().filter((id) => id !== answered), '&status=open'],
    ];
    for (const [who, token, expected, query = ''] of readers) {
      for (const sort of ['recent', 'votes'] as const) {
        const seen: Item[] = [];
        let cursor: string | null = null;
        do {
          const res = await call(t, 'GET', `/v1/questions?site=acme&topic=${topic}&sort=${sort}&limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`, { token });
          assert.equal(res.status, 200);
          seen.push(...res.body.items);
          cursor = res.body.nextCursor;
        } while (cursor);
        const key = (q: Item) => [sort === 'votes' ? String(q.votes).padStart(3, '0') : '', q.createdAt, q.id].join(' ');
        const ordered = [...seen].sort((a, b) => (key(a) < key(b) ? 1 : -1));
        assert.deepEqual(seen.map((q) => q.id), ordered.map((q) => q.id), `${who}, ${sort}: in order`);
        assert.deepEqual(seen.map((q) => q.id).sort(), [...expected].sort(), `${who}, ${sort}: each once`);
        for (const q of seen) {
          const held = [...asked.author, ...asked.authorHeldHidden, ...asked.other].includes(q.id);
          assert.equal(q.pending ?? false, held, `${who}: pending mark`);
          assert.equal(q.hidden ?? false, [...asked.hidden, ...asked.authorHidden, ...asked.authorHeldHidden].includes(q.id), `${who}: hidden mark`);
          assert.equal(q.status, q.id === answered ? 'answered' : 'open', `${who}: status`);
        }
      }
    }
  });

  test('a held answer does not count until approved; an edited tip of a held user waits again', async () => {
    const author = await signIn(t, { sub: 'newbie-2' });
    const moderator = await signIn(t, { sub: 'mod-2', roles: ['admin'] });
    const q = await ask(t, moderator.sessionToken, { topic: 'held-2', title: 'A question by an admin' });
    const a = await answer(t, author.sessionToken, q.id, 'A held answer');
    assert.equal(a.pending, true);
    const voter = await signIn(t, { sub: 'voter-2' });
    const vote = (token: string) => call(t, 'POST', `/v1/answers/${a.id}/vote`, { token, body: { value: 1 } });
    assert.equal((await vote(voter.sessionToken)).status, 404, 'nobody else may vote on a held answer');
    assert.equal((await vote(author.sessionToken)).status, 200, 'its author sees it');
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`)).body.answerCount, 0);
    assert.deepEqual((await call(t, 'GET', `/v1/questions/${q.id}`)).body.answers, []);
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`, { token: author.sessionToken })).body.answers.length, 1, 'the author sees their answer');
    await moderate(t, moderator.sessionToken, 'answer', a.id, 'approve', null);
    assert.equal((await call(t, 'GET', `/v1/questions/${q.id}`)).body.answerCount, 1);
    assert.equal((await vote(voter.sessionToken)).status, 200, 'approved, it may be voted on');

    const tip = await shareTip(t, author.sessionToken, { topic: 'held-2', body: 'Harmless at first' });
    await moderate(t, moderator.sessionToken, 'tip', tip.id, 'approve', null);
    assert.equal((await call(t, 'GET', '/v1/tips?site=acme&topic=held-2')).body.items.length, 1);
    const edited = await call(t, 'PATCH', `/v1/tips/${tip.id}`, { token: author.sessionToken, body: { body: 'Now something else entirely' } });
    assert.equal(edited.body.pending, true);
    assert.deepEqual((await call(t, 'GET', '/v1/tips?site=acme&topic=held-2')).body.items, [], 'the edit waits for approval');
    assert.deepEqual((await replayed(t, 'site=acme&topics=held-2')).filter((e) => e.type === 'tip.shared'), [], 'and so does its event');
  });

  test("premoderation 'guests' holds guests only", async () => {
    const { secret } = await createSite(t.db, { id: 'club', origins: ['https://club.example'], guestsAllowed: true, premoderation: 'guests' });
    const visitor = await call(t, 'POST', '/v1/session', { body: { site: 'club', guestName: 'Visitor' } });
    const member = await call(t, 'POST', '/v1/session', { body: { site: 'club', token: await hostToken(secret, { site: 'club' }) } });
    const tipOf = (token: string, body: string) => call(t, 'POST', '/v1/tips', { token, body: { topic: 'club', body } });
    assert.equal((await tipOf(visitor.body.sessionToken, 'A guest tip')).body.pending, true);
    assert.equal((await tipOf(member.body.sessionToken, 'A member tip')).body.pending, undefined);
    assert.deepEqual((await call(t, 'GET', '/v1/tips?site=club&topic=club')).body.items.map((i: { body: string }) => i.body), ['A member tip']);
  });
});

describe('moderation: the /moderate page', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  test('is served as a page that loads <readyhand-moderation> from /moderation.js, holds no secret and is not cached or framed elsewhere', async () => {
    const page = await t.app.request('/moderate?site=acme');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/moderation\.js"><\/script>/);
    assert.match(html, /<readyhand-moderation><\/readyhand-moderation>/);
    assert.doesNotMatch(html, /secret|eyJ/i);

    // The bundle, once built; before that, the one error shape says how to build it.
    const bundle = await t.app.request('/moderation.js', { headers: { 'accept-encoding': 'gzip' } });
    if (existsSync('packages/moderation/dist/moderation.js')) {
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(bundle.headers.get('content-encoding'), 'gzip');
    } else {
      assert.equal(bundle.status, 404);
      assert.match((await bundle.json()).error.message, /npm run build/);
    }
  });
});
