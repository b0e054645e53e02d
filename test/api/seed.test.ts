import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemoContent } from '../../api/src/db/seed';
import { DEFAULT_BADGES, Tag, TipBody } from '../../api/src/schemas';
import { call, setup, type TestContext } from './helpers';

const TOPICS = ['kubernetes', 'examples/intranet', 'examples/how-to'];

describe('demo content', () => {
  let t: TestContext;
  before(async () => {
    t = await setup();
  });
  after(() => t.close());

  const count = async (table: string) => Number((await t.db.$client.execute(`select count(*) as n from ${table}`)).rows[0]!.n);
  const tipsOf = async (topic: string) => (await call(t, 'GET', `/v1/tips?site=demo&topic=${topic}&limit=50`)).body.items as Array<Record<string, any>>;

  test('seeds tips with tags and helpful marks for the kubernetes topic and both example pages', async () => {
    assert.equal(await seedDemoContent(t.db, 'demo'), true);
    const all = [];
    for (const topic of TOPICS) {
      const tips = await tipsOf(topic);
      assert.ok(tips.length >= 3, `${topic} has tips`);
      assert.ok(tips.some((tip) => tip.helpfulCount > 0), `${topic} has helpful tips`);
      all.push(...tips);
    }
    for (const tip of all) {
      assert.ok(tip.tags.length > 0, 'every tip is tagged');
      for (const tag of tip.tags) assert.equal(Tag.parse(tag), tag, 'tags are stored normalised');
      assert.equal(TipBody.parse(tip.body), tip.body, 'bodies are valid tips');
    }
    const bodies = all.map((tip) => tip.body).join('\n');
    for (const markdown of [/\*\*[^*]+\*\*/, /`[^`]+`/, /^- /m, /https:\/\//]) assert.match(bodies, markdown);

    const consistent = await t.db.$client.execute(`
      select count(*) as n from tips
      where helpful_count != (select count(*) from tip_helpful where tip_id = tips.id)
         or exists (select 1 from tip_helpful where tip_id = tips.id and user_id = tips.author_id)`);
    assert.equal(Number(consistent.rows[0]!.n), 0, 'counts match the marks, and nobody marked their own tip');
    assert.equal(await count('tips_fts'), await count('tips'));
    assert.deepEqual([await count('questions_fts'), await count('questions_fts_pending')], [await count('questions'), 0], 'every question indexed for search');
    const tags = await call(t, 'GET', '/v1/tips/tags?site=demo&topic=examples/how-to');
    assert.equal(tags.body.items[0].tag, 'postmortem');
  });

  test('seeds kudos with badges and reactions on the intranet example and platform-team walls, one for an accepted answer', async () => {
    const all = [];
    for (const wall of ['examples/intranet', 'platform-team']) {
      const items = (await call(t, 'GET', `/v1/kudos?site=demo&wall=${wall}`)).body.items as Array<Record<string, any>>;
      assert.ok(items.length >= 2, `${wall} has kudos`);
      all.push(...items);
    }
    assert.ok(all.every((k) => DEFAULT_BADGES.includes(k.badge) && k.from.id !== k.to.id));
    assert.ok(all.some((k) => k.reactions.some((r: { count: number }) => r.count > 0)), 'with reactions');
    const thanks = all.filter((k) => k.for);
    assert.equal(thanks.length, 1);
    const question = (await call(t, 'GET', `/v1/questions/${thanks[0]!.for.questionId}`)).body;
    assert.equal(question.acceptedAnswerId, thanks[0]!.for.answerId);
    assert.equal(question.anonymous, false);
    assert.equal(question.author.id, thanks[0]!.from.id, 'from the asker');
    const accepted = question.answers.find((a: { id: string }) => a.id === question.acceptedAnswerId);
    assert.equal(accepted.author.id, thanks[0]!.to.id, 'to the answerer');
  });

  test('seeding again changes nothing', async () => {
    const counts = async () => ({ tips: await count('tips'), questions: await count('questions'), users: await count('users'), kudos: await count('kudos'), reactions: await count('kudos_reactions') });
    const before = await counts();
    assert.equal(await seedDemoContent(t.db, 'demo'), false);
    assert.deepEqual(await counts(), before);
  });

  test('a demo database seeded before tips existed gains the tips only', async () => {
    await t.db.$client.execute(`delete from tips where site_id = 'demo'`);
    const questions = await count('questions');
    const users = await count('users');
    assert.equal(await seedDemoContent(t.db, 'demo'), true);
    assert.ok((await count('tips')) >= 9);
    assert.equal(await count('questions'), questions);
    assert.equal(await count('users'), users, 'the same demo people');
    assert.equal(await count('tips_fts'), await count('tips'));
  });
});
