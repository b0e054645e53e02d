/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Kudos, Session } from '@readyhand/api/schemas';
import '@readyhand/kudos-wall';
import type { KudosWall } from '@readyhand/kudos-wall';
import type { ApiError } from '@readyhand/core';
import { $, $$, env, gateway, guest, post, signIn, text, type, uniqueTopic, until } from './helpers.js';

const focused = (el: KudosWall) => el.shadowRoot!.activeElement as HTMLElement | null;

async function mount(attrs: { wall?: string; api?: string; site?: string } = {}) {
  return fixture<KudosWall>(
    html`<kudos-wall api=${attrs.api ?? env.api} site=${attrs.site ?? 'demo'} wall=${attrs.wall ?? uniqueTopic('wall')}></kudos-wall>`,
  );
}

const loaded = (el: KudosWall) =>
  until('the wall to load', () => $(el, '[part~="list"], [part~="empty"], [part~="error"]'));

let guests = 0;

/** A colleague with a name no other test uses, to find by its first letters. */
const colleague = (first: string) => guest(`${first}${Date.now().toString(36)} ${guests++}`);

const thank = (from: Session, wall: string, to: Session, message: string, badge = 'helpful') =>
  post<Kudos>('/v1/kudos', from.sessionToken, { wall, to: to.user.id, message, badge });

const cards = (el: KudosWall) => $$(el, 'li[part~="kudos"]');
/** The leaderboard as "name count" rows. */
const boardRows = (el: KudosWall) =>
  $$(el, 'ol[part~="leaderboard"] li').map((li) => `${text(li.querySelector('[part~="author"]'))} ${text(li.querySelector('[part~="count"]'))}`);
const combobox = (el: KudosWall) => $<HTMLInputElement>(el, '[role="combobox"]')!;
const options = (el: KudosWall) => $$(el, '[role="option"]');

beforeEach(() => localStorage.clear());
afterEach(() => gateway('up'));

describe('<kudos-wall> states', () => {
  it('shows a skeleton that keeps its height while loading, and is accessible', async () => {
    await gateway('slow');
    const el = await mount({ api: env.gateway });
    const loading = $(el, '[part~="loading"]');
    expect(loading).to.exist;
    expect(loading!.getAttribute('aria-busy')).to.equal('true');
    expect(loading!.offsetHeight).to.be.greaterThan(100);
    await expect(el).to.be.accessible();
    await gateway('up');
    await until('content after loading', () => $(el, '[part~="empty"]'), 8000);
  });

  it('says what happened, reports rh-error, and recovers through Retry', async () => {
    await gateway('down');
    const failed = oneEvent(document, 'rh-error');
    const el = await mount({ api: env.gateway });
    expect(((await failed) as CustomEvent<ApiError>).detail.code).to.equal('network');
    await until('the error state', () => $(el, '[part~="retry"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    await expect(el).to.be.accessible();
    await gateway('up');
    $(el, '[part~="retry"]')!.click();
    await until('the empty state', () => $(el, '[part~="empty"]'));
  });

  it('invites to be first on an empty wall', async () => {
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="empty"]'))).to.match(/be the first to thank/i);
    await expect(el).to.be.accessible();
  });

  it('shows cards with who thanked whom, badge, message, time and reactions, as text only', async () => {
    const wall = uniqueTopic('cards');
    const ada = await guest('Ada Lovelace');
    const alan = await guest('Alan Turing');
    await thank(ada, wall, alan, 'Thanks for the review!', 'mentor');
    await thank(alan, wall, ada, '<img src=x onerror="window.pwned=1"> you rock');
    const el = await mount({ wall });
    await loaded(el);
    expect(cards(el)).to.have.length(2);
    const older = cards(el)[1]!;
    expect($$(el, 'li[part~="kudos"]')[0]!.querySelector('img')).to.equal(null);
    expect(text(cards(el)[0]!.querySelector('[part~="body"]'))).to.contain('<img src=x');
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    expect([...older.querySelectorAll('[part~="author"]')].map(text)).to.deep.equal(['Ada Lovelace', 'Alan Turing']);
    expect(text(older.querySelector('[part~="meta"]'))).to.match(/^ALAda Lovelace thanked ATAlan Turing · now mentor$/);
    expect(text(older.querySelector('[part~="badge"]'))).to.equal('mentor');
    expect(older.querySelector('time')).to.exist;
    expect(older.querySelectorAll('[part~="reaction"]')).to.have.length(5);
    for (const part of ['base', 'list', 'item', 'kudos', 'author', 'avatar', 'meta', 'badge', 'body', 'reactions', 'reaction', 'count', 'toggle', 'live']) {
      expect($(el, `[part~="${part}"]`), part).to.exist;
    }
    // Read-only without a session: reactions are shown, not offered.
    expect(older.querySelector<HTMLButtonElement>('[part~="reaction"]')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('lays out and paints only the cards near the screen, the rest once scrolled to', async () => {
    const wall = uniqueTopic('long');
    const [ada, alan] = [await guest('Ada Long'), await guest('Alan Long')];
    for (let i = 0; i < 12; i++) await thank(i % 2 ? ada : alan, wall, i % 2 ? alan : ada, `Thanks, number ${i + 1}`);
    const box = await fixture<HTMLDivElement>(
      html`<div style="block-size: 20rem; overflow: auto"><kudos-wall api=${env.api} site="demo" wall=${wall}></kudos-wall></div>`,
    );
    const el = box.querySelector('kudos-wall')!;
    await until('12 cards', () => cards(el).length === 12);
    const drawn = (card: Element) => card.querySelector('[part~="body"]')!.checkVisibility({ contentVisibilityAuto: true });
    await until('the first card drawn, the last skipped', () => drawn(cards(el)[0]!) && !drawn(cards(el)[11]!));
    cards(el)[11]!.scrollIntoView();
    await until('the last card drawn once scrolled to', () => drawn(cards(el)[11]!));
    expect(text(cards(el)[11]!.querySelector('[part~="body"]'))).to.equal('Thanks, number 1');
  });

  it('shows older kudos a page at a time past the first 50, announced, focus on the first of them', async () => {
    const wall = uniqueTopic('paged');
    const [ada, alan] = [await guest('Ada Paged'), await guest('Alan Paged')];
    for (let i = 0; i < 52; i++) await thank(i % 2 ? ada : alan, wall, i % 2 ? alan : ada, `Thanks, number ${i + 1}`);
    const el = await mount({ wall });
    await until('the first 50', () => cards(el).length === 50);
    expect(text(cards(el)[0]!.querySelector('[part~="body"]'))).to.equal('Thanks, number 52');
    await expect(el).to.be.accessible();
    // One more arrives live, above: the older ones still come below, after what is shown.
    await thank(ada, wall, alan, 'Thanks, number 53');
    await until('the new one on top', () => cards(el).length === 51);
    $(el, '[part~="more"]')!.click();
    await until('two older ones below', () => cards(el).length === 53);
    expect(cards(el).slice(51).map((c) => text(c.querySelector('[part~="body"]')))).to.deep.equal(['Thanks, number 2', 'Thanks, number 1']);
    expect($(el, '[part~="more"]')).to.equal(null);
    expect(text($(el, '[part~="live"]'))).to.equal('2 more kudos');
    await until('focus on the first of them', () => focused(el) === cards(el)[51]);
    // Once the live one has slid in (mid-fade its text is pale).
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
  });

  it('shows what a kudos thanks for, linking back to the question', async () => {
    // Seeded: Tomás thanked Amira for her answer on the intranet example page.
    const el = await mount({ wall: 'examples/intranet' });
    await loaded(el);
    const link = $<HTMLAnchorElement>(el, '[part~="for"] a')!;
    expect(text(link)).to.equal('Can I deploy on a Friday afternoon?');
    expect(link.getAttribute('href')).to.match(/^#rh-question-examples\/intranet:\S+$/);
  });

  it('shows the leaderboard instead of the wall, and back', async () => {
    const el = await mount({ wall: 'platform-team' });
    await loaded(el);
    const toggle = $<HTMLButtonElement>(el, '[part~="toggle"]')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await until('the leaderboard', () => $(el, 'ol[part~="leaderboard"] li'));
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    const names = $$(el, 'ol[part~="leaderboard"] [part~="author"]').map(text);
    expect(names).to.include.members(['Amira Haddad', 'Jonas Berg', 'Tomás Ruiz']);
    expect(text($(el, 'ol[part~="leaderboard"] [part~="count"]'))).to.equal('1');
    await expect(el).to.be.accessible();
    toggle.click();
    await until('the wall again', () => cards(el).length === 3);
  });
});

describe('<kudos-wall> giving kudos', () => {
  it('picks the recipient with the keyboard alone, as an ARIA combobox', async () => {
    const prefix = `Kb${Date.now().toString(36)}`;
    const first = await guest(`${prefix} Ann`);
    await guest(`${prefix} Bob`);
    const el = await mount();
    await signIn(el, 'Keyboard Giver');
    const input = combobox(el);
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    const listbox = el.shadowRoot!.getElementById(input.getAttribute('aria-controls')!)!;
    expect(listbox.getAttribute('role')).to.equal('listbox');
    expect(listbox.hidden).to.equal(true);

    input.focus();
    await sendKeys({ type: prefix });
    await until('two people found', () => options(el).length === 2 && !listbox.hidden);
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    expect(input.hasAttribute('aria-activedescendant')).to.equal(false);

    const active = () => input.getAttribute('aria-activedescendant');
    const selected = () => options(el).filter((o) => o.getAttribute('aria-selected') === 'true').map(text);
    await sendKeys({ press: 'ArrowDown' });
    expect(active()).to.equal(options(el)[0]!.id);
    expect(selected()).to.deep.equal([text(options(el)[0])]);
    await sendKeys({ press: 'ArrowDown' });
    expect(active()).to.equal(options(el)[1]!.id);
    await sendKeys({ press: 'ArrowDown' });
    expect(active(), 'wraps to the first').to.equal(options(el)[0]!.id);
    await sendKeys({ press: 'ArrowUp' });
    expect(active(), 'wraps to the last').to.equal(options(el)[1]!.id);
    await sendKeys({ press: 'ArrowUp' });
    expect(active()).to.equal(options(el)[0]!.id);

    // Escape closes the list and keeps what was typed.
    await sendKeys({ press: 'Escape' });
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
    expect(input.value).to.equal(prefix);
    // Down opens it again, moving on; Enter chooses without sending the form.
    await sendKeys({ press: 'ArrowDown' });
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    expect(active()).to.equal(options(el)[1]!.id);
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(input.value).to.equal(`${prefix} Ann`);
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(focused(el)).to.equal(input);
    expect(cards(el)).to.have.length(0);
    expect(first.user.name).to.equal(`${prefix} Ann`);
    await expect(el).to.be.accessible();
  });

  it('gives kudos with a badge and a message, fires rh-kudos-given and shows them first', async () => {
    const wall = uniqueTopic('give');
    const other = await guest('Earlier Giver');
    const recipient = await colleague('Rc');
    await thank(other, wall, recipient, 'An earlier thank-you');
    const el = await mount({ wall });
    await signIn(el, 'Grateful Colleague');
    await loaded(el);

    type(combobox(el), recipient.user.name.slice(0, 6));
    await until('the recipient found', () => options(el).length === 1);
    options(el)[0]!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(combobox(el).value).to.equal(recipient.user.name);

    const badge = $<HTMLSelectElement>(el, '[part~="badge-picker"] select')!;
    expect([...badge.options].map((o) => o.value)).to.deep.equal(['helpful', 'mentor', 'team-player', 'problem-solver', 'above-and-beyond']);
    badge.value = 'mentor';
    badge.dispatchEvent(new Event('change'));
    type($<HTMLTextAreaElement>(el, '#message')!, 'Thanks for unblocking the release');
    await el.updateComplete;
    expect(text($(el, 'form [part~="count"]'))).to.equal('33/280');

    const given = oneEvent(el, 'rh-kudos-given');
    $<HTMLButtonElement>(el, 'form[part~="give"] [part~="submit"]')!.click();
    const { detail } = (await given) as CustomEvent<Kudos>;
    expect(detail).to.include({ wall, message: 'Thanks for unblocking the release', badge: 'mentor' });
    expect(detail.to.id).to.equal(recipient.user.id);
    await until('the new card first', () => text(cards(el)[0]?.querySelector('[part~="body"]')) === 'Thanks for unblocking the release');
    expect(cards(el)).to.have.length(2);
    expect(combobox(el).value).to.equal('');
    expect($<HTMLTextAreaElement>(el, '#message')!.value).to.equal('');
    // The picker shows the badge the next kudos will carry: the first again, as the draft is new.
    expect(badge.value).to.equal('helpful');
    await until('announced', () => text($(el, '[part~="live"]')) === `Grateful Colleague thanked ${recipient.user.name}`);
    // Its live echo does not show it twice.
    await new Promise((r) => setTimeout(r, 600));
    expect(cards(el)).to.have.length(2);
  });

  it("shows the API's message and moves focus to the field when no one was chosen", async () => {
    const el = await mount();
    await signIn(el);
    type($<HTMLTextAreaElement>(el, '#message')!, 'For whom?');
    $<HTMLButtonElement>(el, 'form[part~="give"] [part~="submit"]')!.click();
    await until('the error', () => $(el, 'form [part~="error"]'));
    expect(text($(el, 'form [part~="error"]'))).to.match(/^to /);
    await until('focus on the recipient', () => focused(el) === combobox(el));
  });

  it('keeps what was typed across a reload', async () => {
    const wall = uniqueTopic('draft');
    let el = await mount({ wall });
    await signIn(el, 'Draft Giver');
    type($<HTMLTextAreaElement>(el, '#message')!, 'Half a thank-you');
    type(combobox(el), 'Someone');
    el.remove();
    el = await mount({ wall });
    await until('the form', () => $(el, '#message'));
    expect($<HTMLTextAreaElement>(el, '#message')!.value).to.equal('Half a thank-you');
    expect(combobox(el).value).to.equal('Someone');
  });

  it('toggles a reaction', async () => {
    const wall = uniqueTopic('react');
    await thank(await guest('Reactor A'), wall, await guest('Reactor B'), 'React to me');
    let el = await mount({ wall });
    await signIn(el, 'Clapper');
    // Signed in from the start (the guest session is kept), so the wall loads once.
    el.remove();
    el = await mount({ wall });
    await until('an enabled reaction', () => $<HTMLButtonElement>(el, '[part~="reaction"]:not([disabled])'));
    const clap = () => $<HTMLButtonElement>(el, '[part~="reaction"]')!;
    expect(clap().getAttribute('aria-pressed')).to.equal('false');
    clap().click();
    await until('pressed', () => clap().getAttribute('aria-pressed') === 'true' && text(clap().querySelector('[part~="count"]')) === '1');
    // A click on the count inside the button is the button's; so is the keyboard's press.
    clap().querySelector<HTMLElement>('[part~="count"]')!.click();
    await until('taken back', () => clap().getAttribute('aria-pressed') === 'false' && text(clap().querySelector('[part~="count"]')) === '0');
    clap().focus();
    await sendKeys({ press: 'Space' });
    await until('pressed again', () => clap().getAttribute('aria-pressed') === 'true' && text(clap().querySelector('[part~="count"]')) === '1');
  });

  it('listens for reactions once, on the list, not on each of its buttons', async () => {
    const wall = uniqueTopic('listen');
    const [from, to] = [await guest('Listener A'), await guest('Listener B')];
    for (const message of ['One', 'Two', 'Three']) await thank(from, wall, to, message);
    const add = EventTarget.prototype.addEventListener;
    let onButtons = 0;
    EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
      if (args[0] === 'click' && this instanceof HTMLButtonElement && this.matches('[part~="reaction"]')) onButtons++;
      return add.apply(this, args);
    };
    try {
      const el = await mount({ wall });
      await until('three cards', () => cards(el).length === 3);
      expect($$(el, '[part~="reaction"]')).to.have.length(15);
    } finally {
      EventTarget.prototype.addEventListener = add;
    }
    expect(onButtons).to.equal(0, 'a wall of 50 kudos would add 250 listeners');
  });

  it('is read-only with a hint where the site has no guests and no token is given', async () => {
    const el = await mount({ site: 'intranet' });
    await loaded(el);
    await until('the hint', () => $(el, '[part~="sign-in"]'));
    expect(text($(el, '[part~="sign-in"]'))).to.match(/to give kudos, sign in/i);
    expect($(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<kudos-wall> live', () => {
  it('shows kudos given elsewhere without a reload, once, announced and animated', async () => {
    const wall = uniqueTopic('live');
    const a = await guest('Live Giver');
    const b = await guest('Live Receiver');
    await thank(a, wall, b, 'Already here');
    const el = await mount({ wall });
    await loaded(el);
    // Give the stream a moment to open before anything is given.
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await thank(b, wall, a, 'Arrived live');
    await until('the live kudos', () => text(cards(el)[0]?.querySelector('[part~="body"]')) === 'Arrived live', 2000);
    expect(Date.now() - started).to.be.lessThan(2000);
    expect(cards(el)[0]!.classList.contains('new')).to.equal(true);
    expect(cards(el)[1]!.classList.contains('new')).to.equal(false);
    await until('announced', () => text($(el, '[part~="live"]')) === 'Live Receiver thanked Live Giver');
    await thank(a, wall, b, 'And another');
    await until('the second one on top', () => text(cards(el)[0]?.querySelector('[part~="body"]')) === 'And another');
    expect(cards(el).map((c) => text(c.querySelector('[part~="body"]')))).to.deep.equal(['And another', 'Arrived live', 'Already here']);
  });

  it('counts kudos given elsewhere on the leaderboard while it is shown', async () => {
    const wall = uniqueTopic('live-board');
    const a = await guest('Board Giver');
    const b = await guest('Board Receiver');
    await thank(a, wall, b, 'First thanks');
    const el = await mount({ wall });
    await loaded(el);
    $<HTMLButtonElement>(el, '[part~="toggle"]')!.click();
    const board = () => boardRows(el);
    await until('the leaderboard', () => board().length === 1);
    expect(board()).to.deep.equal(['Board Receiver 1']);
    const list = $(el, 'ol[part~="leaderboard"]');
    // Give the stream a moment to open before anything is given.
    await new Promise((r) => setTimeout(r, 500));
    await thank(a, wall, b, 'Second thanks');
    await thank(b, wall, a, 'Thanks back');
    await until('the new counts', () => board().join() === 'Board Receiver 2,Board Giver 1', 3000);
    // The same list all along: the old counts stayed until the new ones came, with no loading state between.
    expect($(el, 'ol[part~="leaderboard"]')).to.equal(list);
    await until('announced', () => text($(el, '[part~="live"]')) === 'Board Receiver thanked Board Giver');
  });

  it('keeps the leaderboard it shows when a refresh of it fails', async () => {
    const wall = uniqueTopic('board-fail');
    const a = await guest('Steady Giver');
    const b = await guest('Steady Receiver');
    await thank(a, wall, b, 'First thanks');
    const el = await mount({ wall, api: env.gateway });
    await loaded(el);
    $<HTMLButtonElement>(el, '[part~="toggle"]')!.click();
    const board = () => boardRows(el);
    await until('the leaderboard', () => board().length === 1);
    await new Promise((r) => setTimeout(r, 500));
    // The refresh that the next kudos sets off is held at the gateway, then its connection is cut.
    await gateway('hold-reads');
    await thank(a, wall, b, 'Second thanks');
    await until('announced', () => text($(el, '[part~="live"]')) === 'Steady Giver thanked Steady Receiver');
    await new Promise((r) => setTimeout(r, 300));
    await gateway('down');
    await new Promise((r) => setTimeout(r, 500));
    expect(board()).to.deep.equal(['Steady Receiver 1']);
    expect($(el, '[part~="error"]')).to.equal(null);
    // The next arrival tries again (the stream resumes from its last event once the gateway is up).
    await gateway('up');
    await thank(a, wall, b, 'Third thanks');
    await until('the counts of now', () => board().join() === 'Steady Receiver 3', 6000);
  });

  it('animates what arrives live only where motion is welcome', async () => {
    const el = await mount();
    await loaded(el);
    // The rule comes with the live updates (live-stream.js), fetched once the wall has rendered.
    const rules = () =>
      el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('');
    await until('the live updates\' styles', () => /\.new\s*\{\s*animation/.test(rules()));
    expect(rules()).to.match(/@media \(prefers-reduced-motion: no-preference\)\s*\{[^@]*\.new\s*\{\s*animation/);
  });
});
