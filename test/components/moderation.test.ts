/// <reference types="mocha" />
// <readyhand-moderation> against the real API, on the token site `intranet`
// (no other test files report or hide anything there, so its queue starts empty).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Tip } from '@readyhand/api/schemas';
import '@readyhand/moderation';
import type { ReadyhandModeration } from '@readyhand/moderation';
import { $, $$, env, gateway, text, type, uniqueTopic, until } from './helpers.js';
import { api, hostToken, sessionOf } from './moderation-helpers.js';

const XSS = '<img src=x onerror="window.__moderationXss=1">Look <b>here</b>';

async function mount(token: string, apiUrl = env.api) {
  return fixture<ReadyhandModeration>(
    html`<readyhand-moderation api=${apiUrl} site="intranet" token=${token}></readyhand-moderation>`,
  );
}

const item = (el: ReadyhandModeration, words: string) => $$(el, 'li[part~="item"]').find((li) => text(li).includes(words));
const button = (li: Element, name: string) => li.querySelector<HTMLButtonElement>(`[part~="action"][part~="${name}"]`)!;
const live = (el: ReadyhandModeration) => text($(el, '[part="live"]'));

afterEach(() => gateway('up'));

describe('<readyhand-moderation>', () => {
  it('shows the empty queue and audit log of a site with nothing to review, accessibly', async () => {
    const el = await mount(await hostToken('intranet', 'first-moderator', ['moderator']));
    await until('the empty queue', () => $(el, '[part~="empty"]'));
    expect(text($(el, '[part~="empty"]'))).to.contain('Nothing to review');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '#view-audit')!.click();
    await until('the empty audit log', () => text($(el, '[part~="empty"]')).includes('No moderator actions yet'));
  });

  it('is for moderators only: without a session it says how to sign in, a learner is told it is not for them', async () => {
    const nobody = await fixture<ReadyhandModeration>(html`<readyhand-moderation api=${env.api} site="intranet"></readyhand-moderation>`);
    await until('the hint', () => $(nobody, '[part~="sign-in"]'));
    expect(text($(nobody, '[part~="sign-in"]'))).to.contain('For moderators only');
    expect($(nobody, '[part~="list"], [part~="toolbar"], form'), 'no queue, and no guest sign-in').to.equal(null);

    const learner = await mount(await hostToken('intranet', 'just-a-learner'));
    await until('the notice', () => $(learner, '[part~="forbidden"]'));
    expect(text($(learner, '[part~="forbidden"]'))).to.contain('For moderators only');
    expect($(learner, '[part~="list"], [part~="toolbar"]')).to.equal(null);
    await expect(learner).to.be.accessible();
  });

  it('shows a skeleton while the queue loads and an error with Retry when it cannot', async () => {
    const token = await hostToken('intranet', 'patient-moderator', ['moderator']);
    await gateway('slow');
    const slow = await mount(token, env.gateway);
    await until('the skeleton', () => $(slow, '[part~="loading"]'), 8000);
    await gateway('up');
    await until('the queue', () => $(slow, '[part~="empty"], [part~="list"]'), 8000);

    const el = await mount(token, env.gateway);
    await until('the queue', () => $(el, '[part~="empty"], [part~="list"]'));
    await gateway('fail');
    $<HTMLButtonElement>(el, '[part~="refresh"]')!.click();
    await until('the error', () => $(el, '[part~="error"]'));
    expect($(el, '[part~="retry"]')).to.not.equal(null);
    await gateway('up');
    $<HTMLButtonElement>(el, '[part~="retry"]')!.click();
    await until('the queue again', () => $(el, '[part~="empty"], [part~="list"]'));
  });

  it('lists a reported tip with its type, text as text, real author, reports and reasons; a hide needs a reason, shows at once and is logged', async () => {
    const topic = uniqueTopic('mod');
    const author = await sessionOf('intranet', 'Ann Author');
    const reporter = await sessionOf('intranet', 'Rob Reporter');
    const tip = await api<Tip>('intranet', 'POST', '/v1/tips', author.sessionToken, { topic, body: XSS });
    await api('intranet', 'POST', '/v1/reports', reporter.sessionToken, { type: 'tip', id: tip.id, reason: 'Spam <script>alert(1)</script>' });

    const el = await mount(await hostToken('intranet', 'Mo Derator', ['moderator']), env.gateway);
    await until('the reported tip', () => item(el, 'Look'));
    const li = item(el, 'Look')!;
    expect(text(li.querySelector('h3'))).to.contain('Tip');
    expect(li.querySelector('[part~="body"]')!.textContent).to.equal(XSS);
    expect(li.querySelector('img, b, script'), 'user content is text, never HTML').to.equal(null);
    expect(text(li.querySelector('[part~="author"]'))).to.equal('Ann Author');
    expect(text(li.querySelector('[part~="reports"]'))).to.contain('Rob Reporter: Spam <script>alert(1)</script>');
    expect((window as unknown as { __moderationXss?: number }).__moderationXss).to.equal(undefined);
    await expect(el).to.be.accessible();

    // Without a reason nothing is sent: the field says why and has focus.
    button(li, 'hide').click();
    await el.updateComplete;
    const reason = li.querySelector<HTMLInputElement>('input')!;
    expect(text(li.querySelector('.field-error'))).to.contain('Give a reason');
    expect(reason.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement).to.equal(reason);
    expect((await api<{ items: Tip[] }>('intranet', 'GET', `/v1/tips?topic=${encodeURIComponent(topic)}`)).items).to.have.length(1);

    // With one, the record shows as hidden at once (the API is slow now), and stays so.
    type(reason, 'Spam link');
    await gateway('slow');
    const moderated = new Promise<CustomEvent>((r) => el.addEventListener('rh-moderated', r as EventListener, { once: true }));
    button(li, 'hide').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(text(li.querySelector('[part~="hidden"]')), 'optimistic').to.equal('Hidden');
    expect(li.getAttribute('aria-busy')).to.equal('true');
    const { detail } = await moderated;
    expect(detail.action).to.equal('hide');
    expect(detail.item.hidden).to.equal(true);
    await until('the announcement', () => live(el).includes('Hidden.'));
    expect(li.getAttribute('aria-busy')).to.equal('false');
    expect(text(el.shadowRoot!.activeElement), 'focus stays on the button, which now restores').to.equal('Restore');
    await gateway('up');
    expect((await api<{ items: Tip[] }>('intranet', 'GET', `/v1/tips?topic=${encodeURIComponent(topic)}`)).items, 'hidden for everyone').to.deep.equal([]);

    // The audit log says who did what and why; the resolved queue has the record.
    $<HTMLButtonElement>(el, '#view-audit')!.click();
    await until('the audit row', () => $$(el, 'tbody tr').some((tr) => text(tr).includes('Spam link')));
    const row = $$(el, 'tbody tr').find((tr) => text(tr).includes('Spam link'))!;
    expect(text(row)).to.contain('Mo Derator').and.contain('hid').and.contain(tip.id);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '#view-resolved')!.click();
    await until('the resolved record', () => item(el, 'Look'));
    expect(text(item(el, 'Look')!.querySelector('[part~="reports"]'))).to.contain('resolved');
  });

  it('rolls an action back and shows the error beside the record when the API refuses it; blocks and unblocks the author', async () => {
    const topic = uniqueTopic('mod-block');
    const author = await sessionOf('intranet', 'Bea Blocked');
    const reporter = await sessionOf('intranet', 'Rita Reporter');
    const tip = await api<Tip>('intranet', 'POST', '/v1/tips', author.sessionToken, { topic, body: 'Buy cheap watches here' });
    await api('intranet', 'POST', '/v1/reports', reporter.sessionToken, { type: 'tip', id: tip.id, reason: 'advertising' });
    const el = await mount(await hostToken('intranet', 'Max Moderator', ['moderator']), env.gateway);
    await until('the record', () => item(el, 'cheap watches'));
    const li = item(el, 'cheap watches')!;

    await gateway('fail');
    type(li.querySelector('input')!, 'advertising');
    button(li, 'hide').click();
    await until('the error beside the record', () => li.querySelector('[part~="error"]'));
    expect(li.querySelector('[part~="hidden"]'), 'rolled back').to.equal(null);
    expect($(el, 'section > [part~="error"]'), 'not at the top').to.equal(null);
    await gateway('up');

    button(li, 'block').click();
    await until('blocked', () => li.querySelector('[part~="blocked"]') && live(el).includes('is blocked'));
    expect(li.querySelector('[part~="error"]'), 'the old error is gone').to.equal(null);
    // Blocking ended the author's sessions: a new one may read but not write.
    const again = await sessionOf('intranet', 'Bea Blocked');
    const refused = await fetch(`${env.api}/v1/tips?site=intranet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${again.sessionToken}` },
      body: JSON.stringify({ topic, body: 'More watches' }),
    });
    expect(refused.status).to.equal(403);

    button(li, 'unblock').click();
    await until('unblocked', () => !li.querySelector('[part~="blocked"]') && live(el).includes('is unblocked'));
    // Kept: the reports are dismissed, the tip stays.
    button(li, 'restore').click();
    await until('kept', () => live(el).includes('Restored.'));
    expect((await api<{ items: Tip[] }>('intranet', 'GET', `/v1/tips?topic=${encodeURIComponent(topic)}`)).items).to.have.length(1);
  });
});
