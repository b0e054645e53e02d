/// <reference types="mocha" />
// The forms, their drafts and what a signed-in learner's actions send are modules of their own
// (draft-form, tip-form, kudos-form, ask-form), loaded once a learner is signed in or signing in.
// This file runs in a page of its own: no other test has loaded them before its first test.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Question, Tip } from '@readyhand/api/schemas';
import '@readyhand/share-tip';
import '@readyhand/kudos-wall';
import '@readyhand/ask-expert';
import '@readyhand/moderation';
import type { ShareTip } from '@readyhand/share-tip';
import type { KudosWall } from '@readyhand/kudos-wall';
import { $, askAs, env, guest, mount as mountAsk, post, signIn, text, uniqueTopic, until } from './helpers.js';

/** The modules of the page whose name starts with `name`, fetched so far. */
const fetched = (name: string) =>
  performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.split('/').pop()!.startsWith(`${name}.`));

const focused = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

beforeEach(() => localStorage.clear());

describe('forms on demand', () => {
  it('a reader fetches no form code; joining fetches it beside the sign-in, and the first keystrokes land in the real form', async () => {
    const topic = uniqueTopic('on-demand');
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${topic}></share-tip>`);
    await until('the guest sign-in form', () => $(el, 'form[part~="sign-in"]'));
    await until('the tips', () => $(el, '[part~="empty"], [part~="list"]'));
    await new Promise((r) => setTimeout(r, 300));
    expect(fetched('draft-form'), 'draft-form before a sign-in').to.have.length(0);
    expect(fetched('tip-form'), 'tip-form before a sign-in').to.have.length(0);
    expect($(el, 'form[part~="share"]')).to.equal(null);

    $<HTMLInputElement>(el, '#guest')!.value = 'On Demand';
    $<HTMLButtonElement>(el, 'form[part~="sign-in"] [part~="submit"]')!.click();
    await until('focus in the tip field', () => focused(el)?.id === 'body');
    expect(fetched('draft-form'), 'draft-form once joining').to.have.length(1);
    expect(fetched('tip-form'), 'tip-form once joining').to.have.length(1);
    // Typed at once: every keystroke is in the field, counted and saved as a draft.
    await sendKeys({ type: 'Typed at once' });
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('Typed at once');
    await el.updateComplete;
    expect(text($(el, 'form [part~="count"]'))).to.equal('13/500');
    expect(Object.entries(localStorage).some(([k, v]) => k.startsWith('readyhand.draft:') && v.includes('Typed at once'))).to.equal(true);
    const shared = oneEvent(el, 'rh-tip-shared');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('tags');
    await sendKeys({ press: 'Enter' });
    expect(((await shared) as CustomEvent<Tip>).detail.body).to.equal('Typed at once');
  });

  it('a signed-in learner sees the list and the form, with the saved draft, in the same first render', async () => {
    const wall = uniqueTopic('on-demand-wall');
    const mount = () => fixture<KudosWall>(html`<kudos-wall api=${env.api} site="demo" wall=${wall}></kudos-wall>`);
    let el = await mount();
    expect(fetched('kudos-form'), 'kudos-form before a sign-in').to.have.length(0);
    await signIn(el, 'Returning Giver');
    expect(fetched('kudos-form'), 'kudos-form once signed in').to.have.length(1);
    $<HTMLTextAreaElement>(el, '#message')!.focus();
    await sendKeys({ type: 'Saved for later' });
    el.remove();

    // The stored session signs the next widget in at once: the form comes in the render that shows the wall.
    const seen: boolean[] = [];
    const host = document.createElement('div');
    document.body.append(host);
    el = document.createElement('kudos-wall') as KudosWall;
    Object.assign(el, { api: env.api, site: 'demo', wall });
    host.append(el);
    const watch = new MutationObserver(() => {
      if ($(el, '[part~="empty"], [part~="list"]')) seen.push(!!$(el, 'form[part~="give"]'));
    });
    await until('the shadow root', () => el.shadowRoot);
    watch.observe(el.shadowRoot!, { childList: true, subtree: true });
    await until('the wall', () => seen.length);
    watch.disconnect();
    expect(seen[0], 'the form beside the wall').to.equal(true);
    expect($<HTMLTextAreaElement>(el, '#message')!.value).to.equal('Saved for later');
    host.remove();
  });

  it('a sign-in once the list shows brings the form beside it, never the skeleton back', async () => {
    const el = await mountAsk({ topic: uniqueTopic('on-demand-late') });
    await until('the list', () => $(el, '[part~="empty"], [part~="list"]'));
    let skeletons = 0;
    const watch = new MutationObserver(() => (skeletons += $(el, '[part~="loading"]') ? 1 : 0));
    watch.observe(el.shadowRoot!, { childList: true, subtree: true });
    await until('the site settings', () => el.session.site);
    await el.session.signInAsGuest('Late Joiner');
    await until('the ask form', () => $(el, 'form[part~="ask"]'));
    watch.disconnect();
    expect(skeletons, 'renders with the skeleton after the sign-in').to.equal(0);
    expect($(el, '[part~="empty"], [part~="list"]')).not.to.equal(null);
  });

  it('forms that fail to load say so with a Retry, and Retry brings them', async () => {
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${uniqueTopic('on-demand-retry')}></share-tip>`);
    await until('the tips', () => $(el, '[part~="empty"], [part~="list"]'));
    // As when the forms' files cannot be fetched (offline, a deploy in between).
    const widget = el as unknown as { formsModule?: () => Promise<unknown> };
    widget.formsModule = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    await until('the site settings', () => el.session.site);
    await el.session.signInAsGuest('Unlucky Learner');
    await until('the error', () => $(el, '[part~="error"] [part~="retry"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    expect($(el, '[part~="empty"], [part~="list"]'), 'the tips stay').not.to.equal(null);
    await expect(el).to.be.accessible();
    // Signed out, the forms' error goes; signed in again, it is back with its Retry.
    el.session.signOut();
    await until('no error once signed out', () => !$(el, '[part~="error"]'));
    await el.session.signInAsGuest('Unlucky Learner');
    await until('the error again', () => $(el, '[part~="error"] [part~="retry"]'));
    delete widget.formsModule;
    $<HTMLButtonElement>(el, '[part~="error"] [part~="retry"]')!.click();
    await until('the share form', () => $(el, 'form[part~="share"]'));
    expect($(el, '[part~="error"]')).to.equal(null);
  });

  it('the first vote of a learner who just joined is sent', async () => {
    const topic = uniqueTopic('on-demand-vote');
    const question = await askAs(await guest('Asker'), topic, 'Worth a vote?');
    const el = await mountAsk({ topic });
    await signIn(el, 'First Voter');
    expect(fetched('ask-form'), 'ask-form once signed in').to.have.length(1);
    const vote = () => $<HTMLButtonElement>(el, `#q-${question.id}`)!.closest('li')!.querySelector<HTMLButtonElement>('[part~="vote"]')!;
    await until('the question', () => $(el, `#q-${question.id}`));
    vote().click();
    // Shown at once, sent meanwhile: the API has it once the button is no longer busy.
    await until('the vote sent', () => !vote().disabled && text(vote().querySelector('[part~="count"]')) === '1');
    const res = await fetch(`${env.api}/v1/questions/${question.id}?site=demo`);
    expect(((await res.json()) as Question).votes).to.equal(1);
  });

  it('a vote or a helpful clicked while the forms still load waits for them, busy, and is sent', async () => {
    const topic = uniqueTopic('on-demand-early');
    const question = await askAs(await guest('Early Asker'), topic, 'Voted before the forms?');
    const el = await mountAsk({ topic });
    await until('the question', () => $(el, `#q-${question.id}`));
    // The forms arrive late, as over a slow connection.
    const widget = el as unknown as { formsModule: (fresh: string) => Promise<unknown> };
    const real = widget.formsModule.bind(el);
    let arrive!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    widget.formsModule = (fresh: string) => arrived.then(() => real(fresh));
    await until('the site settings', () => el.session.site);
    await el.session.signInAsGuest('Early Voter');
    await el.updateComplete;
    const vote = () => $<HTMLButtonElement>(el, `#q-${question.id}`)!.closest('li')!.querySelector<HTMLButtonElement>('[part~="vote"]')!;
    expect(vote().disabled, 'the vote button once signed in').to.equal(false);
    vote().click();
    await el.updateComplete;
    expect(vote().disabled, 'busy while the forms load').to.equal(true);
    arrive();
    await until('the vote sent', () => !vote().disabled && text(vote().querySelector('[part~="count"]')) === '1');
    const res = await fetch(`${env.api}/v1/questions/${question.id}?site=demo`);
    expect(((await res.json()) as Question).votes).to.equal(1);

    // A reader who was not signed in before.
    el.remove();
    localStorage.clear();
    const sharer = await guest('Early Sharer');
    const tipTopic = uniqueTopic('on-demand-early-tip');
    await post<Tip>('/v1/tips', sharer.sessionToken, { topic: tipTopic, body: 'Helpful early', tags: [] });
    const tips = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${tipTopic}></share-tip>`);
    await until('the tip', () => $(tips, '[part~="helpful"]'));
    const tipWidget = tips as unknown as { formsModule: () => Promise<unknown> };
    tipWidget.formsModule = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    await until('the site settings', () => tips.session.site);
    await tips.session.signInAsGuest('Early Reader');
    await until('the error', () => $(tips, '[part~="error"] [part~="retry"]'));
    // The forms failed: a click tries them again, and once they are in the helpful is sent.
    delete (tipWidget as { formsModule?: unknown }).formsModule;
    $<HTMLButtonElement>(tips, '[part~="helpful"]')!.click();
    const helpful = () => $<HTMLButtonElement>(tips, '[part~="helpful"]')!;
    // No longer busy and still counted: the API took it (a refusal would take the count back).
    await until('the helpful counted', () => !helpful().disabled && text(helpful().querySelector('[part~="count"]')) === '1');
    expect(helpful().getAttribute('aria-pressed')).to.equal('true');
    expect($(tips, '[part~="error"]')).to.equal(null);
  });

  it('an element without forms (the moderators\' page) has none to load', async () => {
    const moderation = document.createElement('readyhand-moderation') as HTMLElement & { loadForms(): Promise<void> };
    const before = fetched('draft-form').length;
    await moderation.loadForms();
    expect(fetched('draft-form').length, 'draft-form fetched by it').to.equal(before);
  });
  it('bring their look with them: the send button in the accent colour, the preview framed, the open question\'s title and accepted answer marked', async () => {
    const topic = uniqueTopic('on-demand-look');
    const accent = 'rgb(1, 2, 3)';
    const el = await fixture<ShareTip>(
      html`<share-tip api=${env.api} site="demo" topic=${topic} style="--rh-color-accent: ${accent}"></share-tip>`,
    );
    await signIn(el, 'Styled Sharer');
    await until('the share form', () => $(el, 'form[part~="share"]'));
    const submit = $(el, 'form[part~="share"] [part~="submit"]')!;
    expect(getComputedStyle(submit).backgroundColor, 'draft-form.js: the send button').to.equal(accent);
    $<HTMLButtonElement>(el, '[part~="preview-toggle"]')!.click();
    await until('the preview', () => $(el, '[part~="preview"]'));
    expect(getComputedStyle($(el, '[part~="preview"]')!).borderTopStyle, "tip-form.js: the preview's frame").to.equal('dashed');

    const asker = await guest('Styled Asker');
    const q = await askAs(asker, topic, 'Which colour is the accepted answer?');
    const a = await post<{ id: string }>(`/v1/questions/${q.id}/answers`, (await guest('Styled Helper')).sessionToken, { body: 'The accent' });
    await post(`/v1/questions/${q.id}/accept`, asker.sessionToken, { answerId: a.id });
    const ask = await mountAsk({ topic });
    ask.style.setProperty('--rh-color-accent', accent);
    await until('the question', () => $(ask, `#q-${q.id}`));
    $(ask, `#q-${q.id}`)!.click();
    await until('the open question', () => $(ask, '#detail-title'));
    const title = $(ask, '#detail-title')!;
    expect(parseFloat(getComputedStyle(title).fontSize), "question-detail.js: the title's size").to.be.closeTo(1.1 * parseFloat(getComputedStyle(ask).fontSize), 0.5);
    expect(getComputedStyle($(ask, '[part~="accepted"]')!).borderInlineStartColor, 'question-detail.js: the accepted answer').to.equal(accent);
  });
});
