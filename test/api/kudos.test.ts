import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSite } from '../../api/src/lib/sites';
import { DEFAULT_BADGES, DEFAULT_REACTIONS } from '../../api/src/schemas';
import { answer, ask, call, giveKudos, guest, hostToken, setup, signIn, type TestContext } from './helpers';

type Item = { id: string; createdAt: string; message: string };
type Detail = { field: string; rule: string; message: string };
const detailsOf = (res: { body: Record<string, any> }) => res.body.error.details.map((d: Detail) => [d.field, d.rule, d.message]);
const noReactions = DEFAULT_REACTIONS.map((emoji) => ({ emoji, count: 0, mine: false }));

describe('kudos', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  const list = (query: string, token?: string) => call(t, 'GET', `/v1/kudos?site=acme&${query}`, { token });
  const react = (id: string, token: string, emoji: unknown) => call(t, 'POST', `/v1/kudos/${id}/reactions`, { token, body: { emoji } });
  const eventsOf = async (type: string) =>
    (await t.db.$client.execute({ sql: 'select scope, payload from events where type = ? order by id', args: [type] })).rows.map((r) => ({
      scope: String(r.scope),
      payload: JSON.parse(String(r.payload)),
    }));

  test('a person thanks another on a wall; anyone reads it, newest first', async () => {
    const from = await signIn(t, { sub: 'thanker', name: 'Grace Hopper' });
    const to = await signIn(t, { sub: 'thanked', name: 'Alan Turing' });
    const kudos = await giveKudos(t, from.sessionToken, { wall: 'reading', to: to.user.id, message: '  Thanks for the review!  ', badge: 'mentor' });
    assert.equal(kudos.site, 'acme');
    assert.equal(kudos.wall, 'reading');
    assert.deepEqual(kudos.from, { id: from.user.id, name: 'Grace Hopper', picture: null });
    assert.deepEqual(kudos.to, { id: to.user.id, name: 'Alan Turing', picture: null });
    assert.equal(kudos.message, 'Thanks for the review!');
    assert.equal(kudos.badge, 'mentor');
    assert.deepEqual(kudos.reactions, noReactions, 'every reaction of the site, in its order');
    assert.equal(kudos.for, null);
    assert.equal(kudos.mine, true);

    const second = await giveKudos(t, to.sessionToken, { wall: 'reading', to: from.user.id, message: 'And thanks for asking.' });
    const anonymous = await list('wall=reading');
    assert.deepEqual(anonymous.body, { items: [{ ...second, mine: false }, { ...kudos, mine: false }], nextCursor: null });
    assert.equal((await list('wall=reading', from.sessionToken)).body.items[1].mine, true);
    assert.deepEqual((await list('wall=elsewhere')).body, { items: [], nextCursor: null });
    assert.deepEqual((await call(t, 'GET', '/v1/kudos?wall=reading')).body.items, [], 'the default site is demo');
  });

  test('writes need a session', async () => {
    assert.equal((await call(t, 'POST', '/v1/kudos', { body: { wall: 'x', to: 'y', message: 'Hi', badge: 'helpful' } })).status, 401);
    assert.equal((await call(t, 'POST', '/v1/kudos/any/reactions', { body: { emoji: '👏' } })).status, 401);
  });

  test('validation names the field and the rule', async () => {
    const from = await signIn(t, { sub: 'validating-thanker' });
    const to = await signIn(t, { sub: 'validating-thanked' });
    const give = (kudos: Record<string, unknown>) =>
      call(t, 'POST', '/v1/kudos', { token: from.sessionToken, body: { wall: 'validation', to: to.user.id, message: 'Thanks!', badge: 'helpful', ...kudos } });
    const refused = async (kudos: Record<string, unknown>, status = 400) => {
      const res = await give(kudos);
      assert.equal(res.status, status, JSON.stringify(res.body));
      return detailsOf(res);
    };

    for (const message of ['', '   ', 'x'.repeat(281)]) {
      const rule = message.length > 280 ? 'too_big' : 'too_small';
      assert.deepEqual(await refused({ message }), [['message', rule, 'message must be 1 to 280 characters']]);
    }
    assert.equal((await give({ message: 'x'.repeat(280) })).status, 201);
    assert.deepEqual(await refused({ badge: 'rockstar' }), [['badge', 'invalid_value', `badge must be one of ${DEFAULT_BADGES.join(', ')}`]]);
    assert.deepEqual(await refused({ to: from.user.id }, 403), [['to', 'not_self', 'you may not give kudos to yourself']]);
    const demoGuest = await guest(t, 'Demo Person');
    assert.deepEqual(await refused({ to: demoGuest.user.id }), [['to', 'same_site', 'to must be a person of this site']]);
    assert.deepEqual(await refused({ to: 'nobody-at-all' }), [['to', 'same_site', 'to must be a person of this site']]);
    assert.deepEqual(await refused({ to: undefined }), [['to', 'required', 'to is required']]);
    assert.deepEqual(await refused({ wall: 'bad wall!' }), [['wall', 'pattern', 'wall may contain letters, digits and . _ ~ - /']]);
    assert.deepEqual(await refused({ extra: 1 }), [['extra', 'unknown_field', 'extra is not allowed']]);
    assert.deepEqual(await refused({ for: { answerId: 'no-such-answer' } }), [['for.answerId', 'unknown_answer', 'for.answerId must be an answer of this site']]);
    assert.equal((await list('wall=validation')).body.items.length, 1, 'only the valid kudos was stored');
    assert.equal((await eventsOf('kudos.given')).filter((e) => e.scope === 'wall:validation').length, 1, 'and only it was logged');

    const badCursor = await list('wall=validation&cursor=nonsense');
    assert.deepEqual(badCursor.body.error.details[0].field, 'cursor');
  });

  test("a site's own badge and reaction sets replace the defaults", async () => {
    const { secret } = await createSite(t.db, { id: 'globex', origins: ['https://globex.example'], kudosBadges: ['rockstar'], reactions: ['🚀'] });
    const session = async (sub: string) =>
      (await call(t, 'POST', '/v1/session', { body: { site: 'globex', token: await hostToken(secret, { sub, site: 'globex' }) } })).body;
    const [a, b] = [await session('g-a'), await session('g-b')];
    const refused = await call(t, 'POST', '/v1/kudos', { token: a.sessionToken, body: { wall: 'w', to: b.user.id, message: 'Hi', badge: 'helpful' } });
    assert.deepEqual(detailsOf(refused), [['badge', 'invalid_value', 'badge must be one of rockstar']]);
    const kudos = await giveKudos(t, a.sessionToken, { wall: 'w', to: b.user.id, badge: 'rockstar' });
    assert.deepEqual(kudos.reactions, [{ emoji: '🚀', count: 0, mine: false }]);
    assert.deepEqual(detailsOf(await react(kudos.id, b.sessionToken, '👏')), [['emoji', 'invalid_value', 'emoji must be one of 🚀']]);
    assert.deepEqual((await react(kudos.id, b.sessionToken, '🚀')).body.reactions, [{ emoji: '🚀', count: 1, mine: true }]);
  });

  test('reactions toggle, one per person and emoji, from the site set only', async () => {
    const [from, to, c, d] = await Promise.all(['r-from', 'r-to', 'r-c', 'r-d'].map((sub) => signIn(t, { sub })));
    const kudos = await giveKudos(t, from!.sessionToken, { wall: 'reactions', to: to!.user.id });
    const counts = (res: { body: Record<string, any> }) => Object.fromEntries(res.body.reactions.map((r: any) => [r.emoji, [r.count, r.mine]]));

    assert.deepEqual(counts(await react(kudos.id, c!.sessionToken, '👏')), { '👏': [1, true], '🎉': [0, false], '❤️': [0, false], '🙌': [0, false], '💡': [0, false] });
    assert.deepEqual(counts(await react(kudos.id, d!.sessionToken, '👏'))['👏'], [2, true]);
    assert.deepEqual(counts(await react(kudos.id, c!.sessionToken, '🎉'))['🎉'], [1, true], 'several emoji per person');
    assert.deepEqual(counts(await react(kudos.id, c!.sessionToken, '👏'))['👏'], [1, false], 'the same emoji again takes it back');
    // A heart typed without the variation selector is the site's ❤️.
    const heart = await react(kudos.id, to!.sessionToken, '❤');
    assert.deepEqual(counts(heart)['❤️'], [1, true]);
    assert.equal(heart.body.reactions.length, DEFAULT_REACTIONS.length);

    const asD = (await list('wall=reactions', d!.sessionToken)).body.items[0];
    assert.deepEqual(asD.reactions.map((r: any) => [r.emoji, r.count, r.mine]), [['👏', 1, true], ['🎉', 1, false], ['❤️', 1, false], ['🙌', 0, false], ['💡', 0, false]]);
    assert.ok((await list('wall=reactions')).body.items[0].reactions.every((r: any) => !r.mine));

    assert.deepEqual(detailsOf(await react(kudos.id, c!.sessionToken, '🍕')), [['emoji', 'invalid_value', `emoji must be one of ${DEFAULT_REACTIONS.join(' ')}`]]);
    assert.deepEqual(detailsOf(await react(kudos.id, c!.sessionToken, '')), [['emoji', 'too_small', 'emoji must be at least 1 character']]);
    assert.equal((await react('no-such-kudos', c!.sessionToken, '👏')).status, 404);
    const demoGuest = await guest(t, 'Reacting Guest');
    assert.equal((await react(kudos.id, demoGuest.sessionToken, '👏')).status, 404, 'a kudos of another site is not found');

    const stored = await t.db.$client.execute({ sql: 'select count(*) as n from kudos_reactions where kudos_id = ?', args: [kudos.id] });
    assert.equal(Number(stored.rows[0]!.n), 3, "d's 👏, c's 🎉, the recipient's ❤️");
  });

  test('pagination walks every kudos once, newest first, also through equal timestamps', async () => {
    const from = await signIn(t, { sub: 'pager-from' });
    const to = await signIn(t, { sub: 'pager-to' });
    const created = new Set<string>();
    for (let i = 0; i < 20; i++) created.add((await giveKudos(t, from.sessionToken, { wall: 'paging', to: to.user.id, message: `Kudos ${i}` })).id);
    // Three kudos of one millisecond: only the id orders them.
    for (const id of ['same-a', 'same-b', 'same-c']) {
      await t.db.$client.execute({
        sql: `insert into kudos (id, site_id, wall, from_user_id, to_user_id, message, badge, created_at) values (?, 'acme', 'paging', ?, ?, 'Tie', 'helpful', '2026-01-01T00:00:00.000Z')`,
        args: [id, from.user.id, to.user.id],
      });
      created.add(id);
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`wall=paging&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 4);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 23);
    assert.deepEqual(new Set(seen.map((k) => k.id)), created, 'no gaps, no duplicates');
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      assert.ok(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id), `order at ${i}`);
    }
    assert.deepEqual(seen.slice(-3).map((k) => k.id), ['same-c', 'same-b', 'same-a']);
  });

  test('thanks for an answer: only the asker, only to its author, and never for an anonymous question', async () => {
    const [asker, answerer, other] = await Promise.all(['for-asker', 'for-answerer', 'for-other'].map((sub) => signIn(t, { sub, name: sub })));
    const question = await ask(t, asker!.sessionToken, { topic: 'thanks', title: 'How do I drain a node safely?' });
    const reply = await answer(t, answerer!.sessionToken, question.id, 'kubectl drain --ignore-daemonsets');
    assert.equal((await call(t, 'POST', `/v1/questions/${question.id}/accept`, { token: asker!.sessionToken, body: { answerId: reply.id } })).status, 200);

    const thanks = await giveKudos(t, asker!.sessionToken, { wall: 'thanks', to: answerer!.user.id, for: { answerId: reply.id } });
    assert.deepEqual(thanks.for, { type: 'answer', questionId: question.id, answerId: reply.id, questionTitle: 'How do I drain a node safely?', topic: 'thanks' });
    assert.deepEqual((await list('wall=thanks')).body.items[0].for, thanks.for);
    const [event] = (await eventsOf('kudos.given')).filter((e) => e.payload.kudos.id === thanks.id);
    assert.deepEqual(event!.payload.kudos, { ...thanks, mine: false });

    const give = (token: string, kudos: Record<string, unknown>) => call(t, 'POST', '/v1/kudos', { token, body: { wall: 'thanks', message: 'Thanks!', badge: 'helpful', ...kudos } });
    const notAsker = await give(other!.sessionToken, { to: answerer!.user.id, for: { answerId: reply.id } });
    assert.equal(notAsker.status, 403);
    assert.deepEqual(detailsOf(notAsker), [['for.answerId', 'asker_only', 'only the asker of the question may thank for one of its answers']]);
    const wrongPerson = await give(asker!.sessionToken, { to: other!.user.id, for: { answerId: reply.id } });
    assert.deepEqual(detailsOf(wrongPerson), [['to', 'answer_author', 'to must be the author of the answer thanked for']]);

    // The kudos is from the asker: with a link to an anonymous question it would name them to everyone.
    const secret = await ask(t, asker!.sessionToken, { topic: 'thanks', title: 'Is it fine that I never used kubectl?', anonymous: true });
    const secretReply = await answer(t, answerer!.sessionToken, secret.id, 'Everyone starts somewhere.');
    const unmasking = await give(asker!.sessionToken, { to: answerer!.user.id, for: { answerId: secretReply.id } });
    assert.equal(unmasking.status, 403);
    assert.deepEqual(detailsOf(unmasking), [
      ['for.answerId', 'anonymous_question', 'for.answerId must not be an answer to an anonymous question: the thanks would show who asked it'],
    ]);
    const listed = JSON.stringify((await list('wall=thanks&limit=50')).body);
    assert.ok(!listed.includes(secret.id) && !listed.includes(secretReply.id), 'no kudos links to the anonymous question');
    // Plain thanks, with nothing linking them to the question, are still possible.
    assert.equal((await give(asker!.sessionToken, { to: answerer!.user.id })).status, 201);
  });

  test('an Idempotency-Key retry returns the first kudos, stored and logged once', async () => {
    const from = await signIn(t, { sub: 'kudos-retrier' });
    const to = await signIn(t, { sub: 'kudos-retried' });
    const send = () =>
      call(t, 'POST', '/v1/kudos', {
        token: from.sessionToken,
        headers: { 'Idempotency-Key': 'kudos-1' },
        body: { wall: 'idem-kudos', to: to.user.id, message: 'Sent twice', badge: 'helpful' },
      });
    const first = await send();
    const retry = await send();
    assert.equal(first.status, 201);
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal((await list('wall=idem-kudos')).body.items.length, 1);
    assert.equal((await eventsOf('kudos.given')).filter((e) => e.scope === 'wall:idem-kudos').length, 1);
  });
});

describe('kudos leaderboard', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  const board = async (query: string) => {
    const res = await call(t, 'GET', `/v1/kudos/leaderboard?site=acme&${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((i: { user: { name: string }; count: number }) => [i.user.name, i.count]);
  };

  test('counts kudos received per person in the last week, month, or ever; by wall or site-wide', async () => {
    const people = Object.fromEntries(
      await Promise.all(['Ana', 'Bo', 'Cy', 'Di'].map(async (name) => [name, await signIn(t, { sub: `lb-${name}`, name })] as const)),
    );
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
    let n = 0;
    const kudosTo = (name: string, days: number, wall = 'board') =>
      t.db.$client.execute({
        sql: `insert into kudos (id, site_id, wall, from_user_id, to_user_id, message, badge, created_at) values (?, 'acme', ?, ?, ?, 'Thanks', 'helpful', ?)`,
        args: [`lb-${n++}`, wall, people.Di!.user.id, people[name]!.user.id, daysAgo(days)],
      });
    // Ana: 1 this week. Bo: 2 this month (10 days ago). Cy: 3 long ago (40 days ago).
    await kudosTo('Ana', 1);
    for (let i = 0; i < 2; i++) await kudosTo('Bo', 10);
    for (let i = 0; i < 3; i++) await kudosTo('Cy', 40);
    await giveKudos(t, people.Ana!.sessionToken, { wall: 'board', to: people.Bo!.user.id }); // Bo: 1 more, now
    await kudosTo('Ana', 2, 'other-wall');

    assert.deepEqual(await board('wall=board&period=week'), [['Ana', 1], ['Bo', 1]], 'ties by name');
    assert.deepEqual(await board('wall=board&period=month'), [['Bo', 3], ['Ana', 1]]);
    assert.deepEqual(await board('wall=board'), [['Bo', 3], ['Ana', 1]], 'month is the default');
    assert.deepEqual(await board('wall=board&period=all'), [['Bo', 3], ['Cy', 3], ['Ana', 1]]);
    assert.deepEqual(await board('wall=board&period=all&limit=1'), [['Bo', 3]]);
    assert.deepEqual(await board('period=week'), [['Ana', 2], ['Bo', 1]], 'site-wide counts every wall');
    assert.deepEqual(await board('wall=empty&period=all'), []);

    const bad = await call(t, 'GET', '/v1/kudos/leaderboard?site=acme&period=year');
    assert.deepEqual(bad.body.error.details[0], { field: 'period', rule: 'invalid_value', message: 'period must be one of week, month, all' });
    assert.equal((await call(t, 'GET', '/v1/kudos/leaderboard?site=nope')).status, 404);
  });

  test('a leaderboard read again counts kudos given since, and the week moves on with the hour', async () => {
    const [from, to] = await Promise.all([signIn(t, { sub: 'lb-moves-from', name: 'Eve' }), signIn(t, { sub: 'lb-moves-to', name: 'Fay' })]);
    const url = '/v1/kudos/leaderboard?site=acme&wall=moving&period=week';
    const first = await call(t, 'GET', url);
    assert.deepEqual(first.body.items, []);
    assert.equal((await call(t, 'GET', url, { headers: { 'if-none-match': first.headers.get('etag')! } })).status, 304);
    await giveKudos(t, from.sessionToken, { wall: 'moving', to: to.user.id });
    const after = await call(t, 'GET', url, { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(after.status, 200);
    assert.deepEqual(after.body.items.map((i: { user: { name: string }; count: number }) => [i.user.name, i.count]), [['Fay', 1]]);

    // A kudos given 7 days and 30 minutes before this hour began counts this hour, not the next, even
    // where the same request was answered from the cache before (and nothing was written since).
    const HOUR = 60 * 60 * 1000;
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    await t.db.$client.execute({
      sql: `insert into kudos (id, site_id, wall, from_user_id, to_user_id, message, badge, created_at) values ('lb-moving', 'acme', 'moving', ?, ?, 'Thanks', 'helpful', ?)`,
      args: [from.user.id, to.user.id, new Date(hour - 7 * 24 * HOUR + HOUR / 2).toISOString()],
    });
    // Written by another connection: seen from the next turn of the event loop, as by a request that comes after.
    await new Promise((resolve) => setImmediate(resolve));
    const counted = async (at: number) => {
      const now = Date.now;
      Date.now = () => at;
      try {
        return (await call(t, 'GET', url)).body.items[0]?.count;
      } finally {
        Date.now = now;
      }
    };
    assert.equal(await counted(hour + HOUR - 1000), 2);
    assert.equal(await counted(hour + HOUR - 500), 2, 'answered again within the hour');
    assert.equal(await counted(hour + HOUR + 1000), 1, 'the next hour');
  });
});
