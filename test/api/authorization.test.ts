import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, ask, call, hostToken, setup, shareTip, signIn, type TestContext } from './helpers';

/**
 * Who may do what to whose content, exhaustively: every role × action ×
 * target (the role's own content, someone else's on acme, content of
 * another site), each case on fresh content so that no case sees another's effects.
 */
type Role = 'anonymous' | 'guest' | 'user' | 'expert' | 'moderator' | 'admin' | 'blocked' | 'foreignModerator';
type Target = 'own' | 'others' | 'otherSite';
type Action = 'report' | 'hide' | 'restore' | 'approve' | 'editTip' | 'deleteTip' | 'accept' | 'block' | 'queue' | 'audit';

const ROLES: Role[] = ['anonymous', 'guest', 'user', 'expert', 'moderator', 'admin', 'blocked', 'foreignModerator'];
const TARGETS: Target[] = ['own', 'others', 'otherSite'];

/**
 * Expected statuses per action and role, for [own, others', another site's]
 * content (for `block`: oneself, another person of acme, a person of another
 * site). `null` where the case cannot exist (an anonymous reader owns
 * nothing; a blocked person writes nothing of their own).
 * The foreign moderator moderates `demo`: acme is "another site" to them,
 * and `otherSite` content (on demo) is their own site's.
 */
type Row = Record<Role, readonly [number | null, number | null, number | null]>;
const forbiddenWriters = { anonymous: [null, 401, 401], blocked: [null, 403, 403] } as const;
const moderatorsOfTheSite: Row = {
  ...forbiddenWriters,
  guest: [403, 403, 403],
  user: [403, 403, 403],
  expert: [403, 403, 403],
  moderator: [200, 200, 404],
  admin: [200, 200, 404],
  foreignModerator: [200, 404, 200],
};
const EXPECTED: Record<Exclude<Action, 'queue' | 'audit'>, Row> = {
  report: {
    ...forbiddenWriters,
    guest: [201, 201, 404],
    user: [201, 201, 404],
    expert: [201, 201, 404],
    moderator: [201, 201, 404],
    admin: [201, 201, 404],
    foreignModerator: [201, 404, 201],
  },
  hide: moderatorsOfTheSite,
  restore: moderatorsOfTheSite,
  approve: moderatorsOfTheSite,
  editTip: {
    ...forbiddenWriters,
    guest: [200, 403, 404],
    user: [200, 403, 404],
    expert: [200, 403, 404],
    moderator: [200, 403, 404],
    admin: [200, 403, 404],
    foreignModerator: [200, 404, 403],
  },
  deleteTip: {
    ...forbiddenWriters,
    guest: [204, 403, 404],
    user: [204, 403, 404],
    expert: [204, 403, 404],
    moderator: [204, 204, 404],
    admin: [204, 204, 404],
    foreignModerator: [204, 404, 204],
  },
  // Accepting is the asker's or a topic expert's, not a moderator's.
  accept: {
    ...forbiddenWriters,
    guest: [200, 403, 404],
    user: [200, 403, 404],
    expert: [200, 200, 404],
    moderator: [200, 403, 404],
    admin: [200, 403, 404],
    foreignModerator: [200, 404, 403],
  },
  block: {
    anonymous: [null, 401, 401],
    blocked: [403, 403, 403],
    guest: [403, 403, 403],
    user: [403, 403, 403],
    expert: [403, 403, 403],
    moderator: [403, 200, 404],
    admin: [403, 200, 404],
    foreignModerator: [403, 404, 200],
  },
};
const READS: Record<'queue' | 'audit', Record<Role, number>> = {
  queue: { anonymous: 401, guest: 403, user: 403, expert: 403, blocked: 403, moderator: 200, admin: 200, foreignModerator: 403 },
  audit: { anonymous: 401, guest: 403, user: 403, expert: 403, blocked: 403, moderator: 200, admin: 200, foreignModerator: 403 },
};

describe('authorization matrix', () => {
  let t: TestContext;
  const sessions = {} as Record<Exclude<Role, 'anonymous'>, string>;
  const userIds = {} as Record<Exclude<Role, 'anonymous'>, string>;
  let acmeOther: { token: string; id: string };
  let demoOther: { token: string; id: string };
  let acmeHelper: string;
  let demoHelper: string;
  let n = 0;
  const acme = async (claims: Record<string, unknown>) => signIn(t, claims);
  const demo = async (claims: Record<string, unknown>) => {
    const res = await call(t, 'POST', '/v1/session', { body: { site: 'demo', token: await hostToken(t.demoSecret, { site: 'demo', ...claims }) } });
    return res.body as Awaited<ReturnType<typeof signIn>>;
  };

  before(async () => {
    t = await setup({ writeLimit: { limit: 100_000, windowMs: 60_000 } }, { guestsAllowed: true });
    const guestRes = await call(t, 'POST', '/v1/session', { body: { site: 'acme', guestName: 'Gus Guest' } });
    const made = {
      guest: guestRes.body as Awaited<ReturnType<typeof signIn>>,
      user: await acme({ sub: 'm-user' }),
      expert: await acme({ sub: 'm-expert', expert_topics: ['matrix'] }),
      moderator: await acme({ sub: 'm-moderator', roles: ['moderator'] }),
      admin: await acme({ sub: 'm-admin', roles: ['admin'] }),
      blocked: await acme({ sub: 'm-blocked' }),
      foreignModerator: await demo({ sub: 'm-foreign', roles: ['moderator'] }),
    };
    for (const [role, s] of Object.entries(made)) {
      sessions[role as keyof typeof sessions] = s.sessionToken;
      userIds[role as keyof typeof userIds] = s.user.id;
    }
    const blockRes = await call(t, 'POST', `/v1/moderation/users/${userIds.blocked}/block`, { token: sessions.admin, body: { reason: 'matrix' } });
    assert.equal(blockRes.status, 200);
    sessions.blocked = (await acme({ sub: 'm-blocked' })).sessionToken;
    const other = await acme({ sub: 'm-other' });
    acmeOther = { token: other.sessionToken, id: other.user.id };
    const otherDemo = await demo({ sub: 'm-demo-other' });
    demoOther = { token: otherDemo.sessionToken, id: otherDemo.user.id };
    acmeHelper = (await acme({ sub: 'm-helper' })).sessionToken;
    demoHelper = (await demo({ sub: 'm-demo-helper' })).sessionToken;
  });
  after(() => t.close());

  /** Who owns content of `target` for `role`, and who else writes on that site. */
  function ownerOf(role: Exclude<Role, 'anonymous'>, target: Target) {
    const roleSite = role === 'foreignModerator' ? 'demo' : 'acme';
    if (target === 'own') return { token: sessions[role], helper: roleSite === 'demo' ? demoHelper : acmeHelper };
    if (target === 'others') return { token: acmeOther.token, helper: acmeHelper };
    return { token: demoOther.token, helper: demoHelper };
  }

  async function perform(role: Role, action: Action, target: Target): Promise<number> {
    const token = role === 'anonymous' ? undefined : sessions[role];
    const owner = role === 'anonymous' ? (target === 'others' ? { token: acmeOther.token, helper: acmeHelper } : { token: demoOther.token, helper: demoHelper }) : ownerOf(role, target);
    const unique = `matrix case ${++n}`;
    switch (action) {
      case 'report':
      case 'hide':
      case 'restore':
      case 'approve': {
        const tip = await shareTip(t, owner.token, { topic: 'matrix', body: unique });
        if (action === 'report') return (await call(t, 'POST', '/v1/reports', { token, body: { type: 'tip', id: tip.id, reason: 'matrix' } })).status;
        return (await call(t, 'POST', `/v1/moderation/tip/${tip.id}/${action}`, { token, body: { reason: 'matrix' } })).status;
      }
      case 'editTip':
      case 'deleteTip': {
        const tip = await shareTip(t, owner.token, { topic: 'matrix', body: unique });
        if (action === 'editTip') return (await call(t, 'PATCH', `/v1/tips/${tip.id}`, { token, body: { body: `${unique}, edited` } })).status;
        return (await call(t, 'DELETE', `/v1/tips/${tip.id}`, { token })).status;
      }
      case 'accept': {
        const q = await ask(t, owner.token, { topic: 'matrix', title: `A question, ${unique}` });
        const a = await answer(t, owner.helper, q.id, `An answer, ${unique}`);
        return (await call(t, 'POST', `/v1/questions/${q.id}/accept`, { token, body: { answerId: a.id } })).status;
      }
      case 'block': {
        const targetId =
          target === 'own' ? (role === 'anonymous' ? '' : userIds[role]) : target === 'others' ? acmeOther.id : demoOther.id;
        const res = await call(t, 'POST', `/v1/moderation/users/${targetId}/block`, { token, body: { reason: 'matrix' } });
        if (res.status === 200) {
          // Undo, and sign the person in again (the block ended their sessions) for the next cases.
          await call(t, 'POST', `/v1/moderation/users/${targetId}/unblock`, { token, body: {} });
          if (target === 'others') acmeOther.token = (await acme({ sub: 'm-other' })).sessionToken;
          else demoOther.token = (await demo({ sub: 'm-demo-other' })).sessionToken;
        }
        return res.status;
      }
      case 'queue':
        return (await call(t, 'GET', '/v1/moderation/queue?site=acme', { token })).status;
      case 'audit':
        return (await call(t, 'GET', '/v1/moderation/audit?site=acme', { token })).status;
    }
  }

  for (const [action, row] of Object.entries(EXPECTED) as Array<[Action, Row]>) {
    test(`${action}: every role on own, others' and another site's content`, async () => {
      const failures: string[] = [];
      for (const role of ROLES) {
        for (const [i, target] of TARGETS.entries()) {
          const expected = row[role][i];
          if (expected === null) continue;
          const status = await perform(role, action, target);
          if (status !== expected) failures.push(`${role} × ${target}: expected ${expected}, got ${status}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  for (const [action, row] of Object.entries(READS) as Array<['queue' | 'audit', Record<Role, number>]>) {
    test(`${action}: only moderators and admins of the site`, async () => {
      const failures: string[] = [];
      for (const role of ROLES) {
        const status = await perform(role, action, 'others');
        if (status !== row[role]) failures.push(`${role}: expected ${row[role]}, got ${status}`);
      }
      assert.deepEqual(failures, []);
    });
  }

  test('the refusals name their rule', async () => {
    const tip = await shareTip(t, acmeOther.token, { topic: 'matrix', body: 'rules of refusal' });
    const rules = async (token: string, path: string, body: unknown = { reason: 'x' }) =>
      (await call(t, 'POST', path, { token, body })).body.error.details.map((d: { rule: string }) => d.rule);
    assert.deepEqual(await rules(sessions.user, `/v1/moderation/tip/${tip.id}/hide`), ['moderator_only']);
    assert.deepEqual(await rules(sessions.blocked, `/v1/moderation/tip/${tip.id}/hide`), ['blocked']);
    assert.deepEqual(await rules(sessions.blocked, '/v1/reports', { type: 'tip', id: tip.id, reason: 'x' }), ['blocked']);
    const foreign = await call(t, 'GET', '/v1/moderation/queue?site=acme', { token: sessions.foreignModerator });
    assert.deepEqual(foreign.body.error.details.map((d: { rule: string }) => d.rule), ['own_site']);
    const own = await call(t, 'GET', '/v1/moderation/queue', { token: sessions.foreignModerator });
    assert.equal(own.status, 200, 'a moderator of demo moderates demo');
    assert.ok(own.body.items.every((i: { site: string }) => i.site === 'demo'));
  });
});
