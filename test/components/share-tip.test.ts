/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Session, Tip } from '@readyhand/api/schemas';
import '@readyhand/share-tip';
import type { ShareTip } from '@readyhand/share-tip';
import type { ApiError } from '@readyhand/core';
import { $, $$, animationsDone, env, formsShown, gateway, guest, post, text, type, uniqueTopic, until } from './helpers.js';

const focused = (el: ShareTip) => el.shadowRoot!.activeElement as HTMLElement | null;

async function mount(attrs: { topic?: string; api?: string; site?: string } = {}) {
  return fixture<ShareTip>(
    html`<share-tip api=${attrs.api ?? env.api} site=${attrs.site ?? 'demo'} topic=${attrs.topic ?? uniqueTopic('tip')}></share-tip>`,
  );
}

const loaded = (el: ShareTip) =>
  until('the tips to load', () => $(el, '[part~="list"], [part~="empty"], [part~="error"]'));

let guests = 0;
async function signIn(el: ShareTip, name = `Tip Guest ${guests++}`) {
  await until('the site settings', () => el.session.site);
  await el.session.signInAsGuest(name);
  await el.updateComplete;
  await formsShown(el);
  return el.session.user!;
}

const shareAs = (session: Session, topic: string, body: string, tags: string[] = []) =>
  post<Tip>('/v1/tips', session.sessionToken, { topic, body, tags });

async function tipsOf(topic: string): Promise<Tip[]> {
  const res = await fetch(`${env.api}/v1/tips?site=demo&sort=recent&limit=50&topic=${encodeURIComponent(topic)}`);
  return (await res.json()).items;
}

const bodies = (el: ShareTip) => $$(el, 'li[part~="tip"] [part~="body"]').map(text);
const submit = (el: ShareTip, form: string) => $<HTMLButtonElement>(el, `form[part~="${form}"] [part~="submit"]`)!.click();

beforeEach(() => localStorage.clear());
afterEach(() => gateway('up'));

describe('<share-tip> states', () => {
  it('shows a skeleton that keeps its height while loading, and is accessible', async () => {
    await gateway('slow');
    const el = await mount({ api: env.gateway });
    const loading = $(el, '[part~="loading"]');
    expect(loading!.getAttribute('aria-busy')).to.equal('true');
    expect(loading!.offsetHeight).to.be.greaterThan(100);
    await expect(el).to.be.accessible();
    await gateway('up');
    await until('content after loading', () => $(el, '[part~="empty"]'), 8000);
  });

  it('says what happened with a Retry when the API cannot be reached, reports rh-error, and recovers', async () => {
    await gateway('down');
    const failed = oneEvent(document, 'rh-error');
    const el = await mount({ api: env.gateway });
    expect(((await failed) as CustomEvent<ApiError>).detail).to.include({ code: 'network', status: 0 });
    await until('the error state', () => $(el, '[part~="retry"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    await expect(el).to.be.accessible();
    await gateway('up');
    $(el, '[part~="retry"]')!.click();
    await until('the empty state', () => $(el, '[part~="empty"]'));
  });

  it('invites to share the first tip on an empty topic, and is accessible', async () => {
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="empty"]'))).to.match(/share the first one/i);
    await expect(el).to.be.accessible();
  });

  it("lists the topic's tips with their parts, markdown, tags and helpful counts, and is accessible", async () => {
    const topic = uniqueTopic('list');
    const ada = await guest('Ada Lovelace');
    const tip = await shareAs(ada, topic, 'Use **kubectl** `get pods -w` and read [the docs](https://kubernetes.io/docs/)', ['kubectl', 'Pods']);
    await post(`/v1/tips/${tip.id}/helpful`, (await guest('Fan')).sessionToken, { helpful: true });
    const el = await mount({ topic });
    await loaded(el);
    const item = $(el, 'li[part~="tip"]')!;
    for (const part of ['base', 'toolbar', 'sort', 'filter', 'list', 'item', 'tip', 'author', 'avatar', 'body', 'meta', 'badge', 'tag', 'helpful', 'count', 'live']) {
      expect($(el, `[part~="${part}"]`), part).to.exist;
    }
    expect(text(item.querySelector('[part~="author"]'))).to.equal('Ada Lovelace');
    expect(text(item.querySelector('strong'))).to.equal('kubectl');
    expect(text(item.querySelector('code'))).to.equal('get pods -w');
    const link = item.querySelector('a')!;
    expect(link.href).to.equal('https://kubernetes.io/docs/');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener noreferrer nofollow');
    expect($$(el, 'li [part~="tag"]').map(text)).to.deep.equal(['#kubectl', '#pods']);
    expect(text(item.querySelector('[part~="helpful"] [part~="count"]'))).to.equal('1');
    // Not signed in: reading only.
    expect(item.querySelector<HTMLButtonElement>('[part~="helpful"]')!.disabled).to.equal(true);
    expect($(el, 'form[part~="share"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the seeded demo tips of the kubernetes topic', async () => {
    const el = await mount({ topic: 'kubernetes' });
    await loaded(el);
    expect($$(el, 'li[part~="tip"]').length).to.be.greaterThan(0);
  });

  it('sorts by helpful or recent, filters by tag, and says how many tips are shown', async () => {
    const topic = uniqueTopic('sort');
    const author = await guest('Sorter');
    const old = await shareAs(author, topic, 'Older but helpful', ['probes']);
    await shareAs(author, topic, 'Newer, nobody marked it', ['logs']);
    await post(`/v1/tips/${old.id}/helpful`, (await guest('Marker')).sessionToken, { helpful: true });
    const el = await mount({ topic });
    await loaded(el);
    expect(bodies(el)).to.deep.equal(['Older but helpful', 'Newer, nobody marked it']);
    const select = (part: string, value: string) => {
      const s = $<HTMLSelectElement>(el, `[part~="${part}"] select`)!;
      s.value = value;
      s.dispatchEvent(new Event('change'));
    };
    select('sort', 'recent');
    await until('newest first', () => bodies(el)[0] === 'Newer, nobody marked it');
    await until('the tag options', () => $$(el, '[part~="filter"] option').length === 3);
    expect($$(el, '[part~="filter"] option').map(text)).to.deep.equal(['All tags', '#logs', '#probes']);
    select('filter', 'probes');
    await until('only the tagged tip', () => bodies(el).join() === 'Older but helpful');
    await until('the count announced', () => text($(el, '[part~="live"]')) === '1 tip shown');
    select('filter', '');
    await until('both again', () => bodies(el).length === 2);
  });

  it('loads more on demand and moves focus to the first new tip', async () => {
    const topic = uniqueTopic('more');
    const author = await guest('Prolific');
    for (let i = 0; i < 12; i++) await shareAs(author, topic, `Tip number ${i}`);
    const el = await mount({ topic });
    await loaded(el);
    expect($$(el, 'li[part~="tip"]')).to.have.length(10);
    $(el, '[part~="more"]')!.click();
    await until('two more tips', () => $$(el, 'li[part~="tip"]').length === 12);
    expect($(el, '[part~="more"]')).to.equal(null);
    await until('focus on the first new tip', () => focused(el)?.textContent?.includes('Tip number 1'));
    expect(text($(el, '[part~="live"]'))).to.equal('2 more tips');
  });
});

describe('<share-tip> sharing', () => {
  it('signs in a guest, counts characters, previews, suggests tags, shares with rh-tip-shared and focuses the tip', async () => {
    const topic = uniqueTopic('share');
    await shareAs(await guest('Tagger'), topic, 'An earlier tip', ['networking', 'dns']);
    const el = await mount({ topic });
    await until('the guest sign-in form', () => $(el, 'form[part~="sign-in"]'));
    $<HTMLInputElement>(el, '#guest')!.value = 'Grace Hopper';
    const signedIn = oneEvent(el, 'rh-signed-in');
    $<HTMLButtonElement>(el, 'form[part~="sign-in"] [part~="submit"]')!.click();
    expect((await signedIn).detail).to.include({ name: 'Grace Hopper', guest: true });
    await until('focus on the tip field', () => focused(el)?.id === 'body');

    type($<HTMLTextAreaElement>(el, '#body')!, 'Try *this*:\n\n- one\n- two');
    await el.updateComplete;
    expect(text($(el, 'form [part~="count"]'))).to.equal('24/500');
    const toggle = $<HTMLButtonElement>(el, '[part~="preview-toggle"]')!;
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    const preview = $(el, '[part~="preview"]')!;
    expect(text(preview.querySelector('em'))).to.equal('this');
    expect([...preview.querySelectorAll('li')].map(text)).to.deep.equal(['one', 'two']);

    const tags = $<HTMLInputElement>(el, '#tags')!;
    expect(tags.getAttribute('list')).to.equal('tag-list');
    await until('tag suggestions', () => $$(el, '#tag-list option').length === 2);
    type(tags, 'dns, ne');
    await el.updateComplete;
    expect($$<HTMLOptionElement>(el, '#tag-list option').map((o) => o.value)).to.deep.equal(['dns, networking']);
    type(tags, 'dns, networking');
    await expect(el).to.be.accessible();

    const shared = oneEvent(el, 'rh-tip-shared');
    submit(el, 'share');
    const { detail } = (await shared) as CustomEvent<Tip>;
    expect(detail).to.include({ topic, body: 'Try *this*:\n\n- one\n- two', mine: true });
    expect(detail.tags).to.deep.equal(['dns', 'networking']);
    await until('focus on the new tip', () => focused(el)?.id === `t-${detail.id}`);
    expect(text($(el, '[part~="live"]'))).to.match(/tip was shared/i);
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('');
    expect($(el, '[part~="preview"]')).to.equal(null);
    expect((await tipsOf(topic)).map((t) => t.id)).to.include(detail.id);
  });

  it("shows the API's validation errors next to the named fields and keeps the draft", async () => {
    const el = await mount();
    await signIn(el);
    const body = $<HTMLTextAreaElement>(el, '#body')!;
    type(body, 'x'.repeat(501));
    await el.updateComplete;
    expect($(el, 'form [part~="count"]')!.className).to.equal('field-error');
    submit(el, 'share');
    await until('the body error', () => $(el, '#body-error'));
    expect(text($(el, '#body-error'))).to.match(/body must be 1 to 500 characters/);
    expect(body.getAttribute('aria-invalid')).to.equal('true');
    await until('focus on the field', () => focused(el) === body);

    type(body, 'A fine tip');
    type($<HTMLInputElement>(el, '#tags')!, 'ok, not<valid>');
    submit(el, 'share');
    await until('the tags error', () => $(el, '#tags-error'));
    expect(text($(el, '#tags-error'))).to.match(/tags may contain letters, digits/);
    await until('focus on the tags field', () => focused(el)?.id === 'tags');
    expect(body.value).to.equal('A fine tip');
    await expect(el).to.be.accessible();
  });

  it('is usable with the keyboard alone', async () => {
    const topic = uniqueTopic('keys');
    const el = await mount({ topic });
    await signIn(el, 'Keyboard Sharer');
    await loaded(el);
    const tabTo = async (id: string) => {
      for (let i = 0; i < 25 && focused(el)?.id !== id; i++) await sendKeys({ press: 'Tab' });
      expect(focused(el)?.id, `Tab reaches #${id}`).to.equal(id);
    };
    (document.activeElement as HTMLElement | null)?.blur();
    await tabTo('body');
    await sendKeys({ type: 'Press **Tab** to move on' });
    await sendKeys({ press: 'Tab' }); // Preview
    expect(focused(el)?.getAttribute('part')).to.equal('preview-toggle');
    await sendKeys({ press: 'Enter' });
    await until('the preview', () => $(el, '[part~="preview"] strong'));
    await tabTo('tags');
    await sendKeys({ type: 'keyboard' });
    const shared = oneEvent(el, 'rh-tip-shared');
    await sendKeys({ press: 'Enter' });
    const { detail } = (await shared) as CustomEvent<Tip>;
    await until('focus on the new tip', () => focused(el)?.id === `t-${detail.id}`);
    // From the tip on to its own Edit button.
    for (let i = 0; i < 4 && focused(el)?.getAttribute('part') !== 'edit'; i++) await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await until('focus in the form, editing', () => focused(el)?.id === 'body');
    expect(text($(el, 'form[part~="share"] h3'))).to.equal('Edit your tip');
  });
});

describe('<share-tip> helpful, edit and delete', () => {
  it('toggles helpful at once with rh-tip-marked-helpful, rolls back when the API fails, and never on your own tip', async () => {
    const topic = uniqueTopic('helpful');
    await shareAs(await guest('Tip Author'), topic, 'Mark me helpful');
    const el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Reader');
    await until('the helpful button enabled', () => $<HTMLButtonElement>(el, 'li [part~="helpful"]:not([disabled])'));
    const button = () => $<HTMLButtonElement>(el, 'li [part~="helpful"]')!;
    const count = () => text(button().querySelector('[part~="count"]'));
    expect(button().getAttribute('aria-pressed')).to.equal('false');

    const marked = oneEvent(el, 'rh-tip-marked-helpful');
    button().click();
    await el.updateComplete;
    expect(button().getAttribute('aria-pressed'), 'at once').to.equal('true');
    expect(count()).to.equal('1');
    expect(((await marked) as CustomEvent<Tip>).detail).to.include({ helpfulCount: 1, myHelpful: true });
    await until('settled', () => !button().disabled);
    expect((await tipsOf(topic))[0]!.helpfulCount).to.equal(1);

    await gateway('down');
    const failed = oneEvent(el, 'rh-error');
    button().click();
    await el.updateComplete;
    expect(count(), 'at once').to.equal('0');
    await failed;
    await until('rolled back', () => count() === '1' && button().getAttribute('aria-pressed') === 'true');
    expect(text($(el, '[part~="error"][role="alert"]'))).to.match(/can't reach/i);
    await gateway('up');

    type($<HTMLTextAreaElement>(el, '#body')!, 'My own tip');
    const shared = oneEvent(el, 'rh-tip-shared');
    submit(el, 'share');
    const mine = ((await shared) as CustomEvent<Tip>).detail;
    await until('my tip listed', () => $(el, `#t-${mine.id}`));
    expect($<HTMLButtonElement>(el, `#t-${mine.id} [part~="helpful"]`)!.disabled).to.equal(true);
  });

  it('keeps a helpful mark when a reload read before it lands after it', async () => {
    const topic = uniqueTopic('stale');
    await shareAs(await guest('Tip Author'), topic, 'Mark me while the list reloads');
    const el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Marker');
    await until('the helpful button enabled', () => $<HTMLButtonElement>(el, 'li [part~="helpful"]:not([disabled])'));
    const button = () => $<HTMLButtonElement>(el, 'li [part~="helpful"]')!;
    const count = () => text(button().querySelector('[part~="count"]'));
    try {
      // A reload, read by the API now (the tip unmarked) and answered only after the mark below.
      await gateway('hold-reads');
      el.sort = 'recent';
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 300));
      const marked = oneEvent(el, 'rh-tip-marked-helpful');
      button().click();
      await marked;
      expect(count()).to.equal('1');
    } finally {
      await gateway('up');
    }
    await until('the reload done', () => !$(el, '[part~="loading"]') && !!$(el, 'li [part~="helpful"]:not([disabled])'));
    await new Promise((r) => setTimeout(r, 300));
    await el.updateComplete;
    expect(count(), 'after the reload').to.equal('1');
    expect(button().getAttribute('aria-pressed')).to.equal('true');
  });

  it('edits one of your tips in the form, keeping the new tip\'s draft, and deletes it on a second press', async () => {
    const topic = uniqueTopic('edit');
    const other = await shareAs(await guest('Someone Else'), topic, 'Not yours to edit');
    const el = await mount({ topic });
    await signIn(el, 'Editor');
    type($<HTMLTextAreaElement>(el, '#body')!, 'First version');
    const shared = oneEvent(el, 'rh-tip-shared');
    submit(el, 'share');
    const tip = ((await shared) as CustomEvent<Tip>).detail;
    await until('my tip listed', () => $(el, `#t-${tip.id} [part~="edit"]`));
    expect($(el, `#t-${other.id} [part~="edit"]`)).to.equal(null);
    expect($(el, `#t-${other.id} [part~="delete"]`)).to.equal(null);

    type($<HTMLTextAreaElement>(el, '#body')!, 'A new tip, half written');
    $(el, `#t-${tip.id} [part~="edit"]`)!.click();
    await until('focus in the form', () => focused(el)?.id === 'body');
    const body = () => $<HTMLTextAreaElement>(el, '#body')!;
    expect(body().value).to.equal('First version');
    expect(text($(el, 'form[part~="share"] [part~="submit"]'))).to.equal('Save');
    // Cancel leaves the tip as it was, brings back the new tip's draft, and focus goes to the tip.
    $(el, '[part~="cancel"]')!.click();
    await until('focus back on the tip', () => focused(el)?.id === `t-${tip.id}`);
    expect(body().value).to.equal('A new tip, half written');
    $(el, `#t-${tip.id} [part~="edit"]`)!.click();
    await until('editing again', () => body().value === 'First version');
    type(body(), 'Second, **better** version');
    type($<HTMLInputElement>(el, '#tags')!, 'edited');
    await animationsDone(el);
    await expect(el).to.be.accessible();
    submit(el, 'share');
    await until('the edited tip shown', () => text($(el, `#t-${tip.id} [part~="body"]`)) === 'Second, better version');
    expect(text($(el, `#t-${tip.id} strong`))).to.equal('better');
    expect(text($(el, `#t-${tip.id} [part~="tag"]`))).to.equal('#edited');
    expect(text($(el, '[part~="live"]'))).to.match(/tip was saved/i);
    await until('focus on the tip', () => focused(el)?.id === `t-${tip.id}`);
    expect(body().value).to.equal('A new tip, half written');
    const stored = (await tipsOf(topic)).find((t) => t.id === tip.id)!;
    expect(stored).to.include({ body: 'Second, **better** version' });

    const del = () => $<HTMLButtonElement>(el, `#t-${tip.id} [part~="delete"]`)!;
    del().click();
    await el.updateComplete;
    expect(text(del())).to.equal('Delete for good');
    expect(text($(el, '[part~="live"]'))).to.match(/press again/i);
    expect((await tipsOf(topic)).length).to.equal(2);
    del().click();
    await until('the tip gone', () => !$(el, `#t-${tip.id}`));
    expect(text($(el, '[part~="live"]'))).to.equal('Tip deleted.');
    expect((await tipsOf(topic)).map((t) => t.id)).to.deep.equal([other.id]);
  });
});

describe('<share-tip> drafts', () => {
  it('keeps what was typed across a reload', async () => {
    const topic = uniqueTopic('draft');
    let el = await mount({ topic });
    await signIn(el, 'Draft Writer');
    type($<HTMLTextAreaElement>(el, '#body')!, 'Half a tip');
    type($<HTMLInputElement>(el, '#tags')!, 'later');
    el.remove();
    el = await mount({ topic });
    await until('the share form', () => $(el, '#body'));
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('Half a tip');
    expect($<HTMLInputElement>(el, '#tags')!.value).to.equal('later');
    expect(text($(el, 'form [part~="count"]'))).to.equal('10/500');
  });

  it('keeps a tip whose send failed, and shares it exactly once when the API is back', async () => {
    const topic = uniqueTopic('resend');
    let el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Flaky Network');
    type($<HTMLTextAreaElement>(el, '#body')!, 'Shared while the network was flaky');
    await gateway('lose-responses');
    submit(el, 'share');
    await until('the send error', () => $(el, 'form[part~="share"] [part~="error"]'));
    expect(text($(el, 'form[part~="share"] [part~="error"]'))).to.match(/saved here and will be sent/i);
    expect(await tipsOf(topic)).to.have.length(1);

    await gateway('down');
    el.remove();
    el = await mount({ topic, api: env.gateway });
    await until('the restored draft', () => $<HTMLTextAreaElement>(el, '#body')?.value === 'Shared while the network was flaky');
    await gateway('up');
    const shared = oneEvent(el, 'rh-tip-shared');
    dispatchEvent(new Event('online'));
    $<HTMLButtonElement>(el, 'form[part~="share"] [part~="retry"]')?.click();
    expect(((await shared) as CustomEvent<Tip>).detail.body).to.equal('Shared while the network was flaky');
    await new Promise((r) => setTimeout(r, 300));
    expect((await tipsOf(topic)).map((t) => t.body)).to.deep.equal(['Shared while the network was flaky']);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('readyhand.draft:'))).to.deep.equal([]);
  });
});

describe('<share-tip> identity', () => {
  it('is read-only with a hint where the site has no guests and no token is given', async () => {
    const el = await mount({ site: 'intranet' });
    await loaded(el);
    await until('the hint', () => $(el, '[part~="sign-in"]'));
    expect(text($(el, '[part~="sign-in"]'))).to.match(/to share a tip, sign in/i);
    expect($(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
