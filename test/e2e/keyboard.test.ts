// Keyboard only, end to end: on the example pages the API serves, each widget's main flow
// is done with Tab, Shift+Tab, Enter, Space, Escape and the arrows (never a click), as a
// learner who cannot use a mouse does it. At each step we check where focus is (inside the
// shadow roots), that the focused element shows a focus ring, and that results and errors
// are announced. Real server, real database file, real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { twoBrowserRig } from './helpers';

const rig = twoBrowserRig();
const { pageErrors } = rig;

/** What has focus, down through the shadow roots, and whether a focus ring shows on it. */
interface Focused {
  /** The widget whose shadow root holds focus (`null`: the host page). */
  host: string | null;
  tag: string;
  id: string;
  part: string;
  /** The accessible-ish name: aria-label, or the text. */
  name: string;
  ring: string | null;
  attrs: Record<string, string | null>;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let el = document.activeElement!;
    let host: string | null = null;
    while (el.shadowRoot?.activeElement) {
      host = el.localName;
      el = el.shadowRoot.activeElement;
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const attrs: Record<string, string | null> = {};
    for (const a of ['aria-pressed', 'aria-expanded', 'aria-activedescendant', 'aria-invalid', 'aria-describedby', 'type', 'disabled'])
      attrs[a] = el.getAttribute(a);
    return {
      host,
      tag: el.localName,
      id: el.id,
      part: el.getAttribute('part') ?? '',
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ring: outline ? `outline ${style.outlineWidth} ${style.outlineStyle}` : style.boxShadow !== 'none' ? 'box-shadow' : null,
      attrs,
    };
  });
}

/**
 * The action of a focused toggle is over: it is no longer disabled while busy. Until then
 * Chromium may still move focus off it (the widget gives focus back once the API answers),
 * so what has focus is only worth asserting once the action is settled.
 */
const settled = (f: Focused) => f.attrs.disabled === null;

const show = (f: Focused) => `${f.host ?? 'page'} › ${f.tag}${f.id ? `#${f.id}` : ''}${f.part ? `[part=${f.part}]` : ''} "${f.name.slice(0, 40)}"`;

/** Asserts focus is in `host` on an element matching `what`, with a visible focus ring. */
async function assertFocus(page: Page, host: string, what: (f: Focused) => boolean, message: string) {
  // Focus moved by the widget lands after its next render, often after an API call: give it
  // up to 5 s, which a machine busy with other test runs needs.
  let f = await focused(page);
  for (let i = 0; i < 100 && !(f.host === host && what(f)); i++) {
    await page.waitForTimeout(50);
    f = await focused(page);
  }
  assert.ok(f.host === host && what(f), `${message}: focus is on ${show(f)}`);
  assert.ok(f.ring, `${message}: no focus ring on ${show(f)}`);
  return f;
}

/**
 * Presses Tab (or Shift+Tab) until focus is in `host` on an element matching `what`;
 * every stop inside a widget on the way must show a focus ring.
 */
async function tabTo(page: Page, host: string, what: (f: Focused) => boolean, { back = false, max = 120 } = {}) {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    stops.push(show(f));
    if (f.host) assert.ok(f.ring, `no focus ring on ${show(f)}`);
    if (f.host === host && what(f)) return f;
  }
  assert.fail(`never reached the target in ${host} with ${back ? 'Shift+Tab' : 'Tab'}; stops:\n${stops.slice(-30).join('\n')}`);
}

const byId = (id: string) => (f: Focused) => f.id === id;
const byName = (tag: string, name: string | RegExp) => (f: Focused) =>
  f.tag === tag && (typeof name === 'string' ? f.name === name : name.test(f.name));

/** Waits until the widget's aria-live region says `text`. */
async function announced(page: Page, host: string, text: string | RegExp) {
  const pattern = typeof text === 'string' ? text : text.source;
  await page
    .waitForFunction(
      ([host, pattern, exact]) => {
        const live = document.querySelector(host)!.shadowRoot!.querySelector('[aria-live]');
        const said = (live?.textContent ?? '').replace(/\u200b/g, '').trim();
        return exact ? said === pattern : new RegExp(pattern).test(said);
      },
      [host, pattern, typeof text === 'string'] as const,
      { timeout: 5000 },
    )
    .catch(async () => {
      const said = await page.evaluate((h) => document.querySelector(h)!.shadowRoot!.querySelector('[aria-live]')?.textContent, host);
      assert.fail(`${host} did not announce ${text}; its live region says "${said}"`);
    });
}

/** Tabs to the widget's guest name field, types `name`, presses Enter; focus lands on `next`. */
async function joinAsGuest(page: Page, host: string, name: string, next: string) {
  await tabTo(page, host, byId('guest'));
  // Enter on an empty name: the error is tied to the field, and focus stays there.
  await page.keyboard.press('Enter');
  const empty = await assertFocus(page, host, (f) => f.id === 'guest' && f.attrs['aria-invalid'] === 'true', 'an empty name is refused');
  const error = await page.evaluate(
    ([h, id]) => document.querySelector(h)!.shadowRoot!.getElementById(id!)?.textContent,
    [host, empty.attrs['aria-describedby']] as const,
  );
  assert.equal(error, 'Type the name others will see.');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await announced(page, host, `Signed in as ${name}`);
  await assertFocus(page, host, byId(next), 'after joining, focus moves to the form');
}

/** Tabs to the field `id`, types `text`, tabs to the button `submit`, presses Enter; waits for `said` to be announced. */
async function writeAndSend(page: Page, host: string, id: string, text: string, submit: string, said: string) {
  await tabTo(page, host, byId(id));
  await page.keyboard.type(text);
  await tabTo(page, host, byName('button', submit));
  await page.keyboard.press('Enter');
  await announced(page, host, said);
}

const shadowState = <T>(page: Page, host: string, fn: string) =>
  page.evaluate(([h, body]) => new Function('root', body)(document.querySelector(h)!.shadowRoot) as T, [host, fn] as const);

test('<ask-expert> by keyboard: join, ask, vote, a colleague answers, accept, thank, back to the list, filter and sort', async () => {
  const asker = await rig.person('/examples/intranet.html');
  await asker.locator('ask-expert').getByRole('button', { name: 'Can I deploy on a Friday afternoon?' }).waitFor();
  await joinAsGuest(asker, 'ask-expert', 'Kai Keys', 'title');

  // Asking with no title: the API's error names the field, and focus goes back to it.
  await asker.keyboard.press('Enter');
  const invalid = await assertFocus(asker, 'ask-expert', (f) => f.id === 'title' && f.attrs['aria-invalid'] === 'true', 'an empty title is refused');
  assert.ok(invalid.attrs['aria-describedby'], 'the title field is described by its error');

  const title = 'How do I roll back a deploy with the keyboard only?';
  await asker.keyboard.type(title);
  await tabTo(asker, 'ask-expert', byId('body'));
  await asker.keyboard.type('Mouse broke; the rollout is stuck.');
  const ask = await tabTo(asker, 'ask-expert', byName('button', 'Ask'));
  assert.equal(ask.attrs.type, null, 'Ask submits its form');
  await asker.keyboard.press('Enter');
  await announced(asker, 'ask-expert', 'Your question was posted.');
  await assertFocus(asker, 'ask-expert', byId('detail-title'), 'the posted question opens with focus on its title');

  // Its vote button comes just before the title; Space toggles it.
  const vote = await tabTo(asker, 'ask-expert', (f) => f.part === 'vote', { back: true, max: 2 });
  assert.equal(vote.attrs['aria-pressed'], 'false');
  await asker.keyboard.press('Space');
  await assertFocus(asker, 'ask-expert', (f) => f.part === 'vote' && f.attrs['aria-pressed'] === 'true' && settled(f), 'the vote is pressed');
  assert.match((await focused(asker)).name, /Upvote 1/);

  // A colleague opens the question from the list and answers it, by keyboard too.
  const colleague = await rig.person('/examples/intranet.html');
  await colleague.locator('ask-expert').getByRole('button', { name: title }).waitFor();
  await joinAsGuest(colleague, 'ask-expert', 'Ada Arrows', 'title');
  await tabTo(colleague, 'ask-expert', byName('button', title));
  await colleague.keyboard.press('Enter');
  await assertFocus(colleague, 'ask-expert', byId('detail-title'), 'the opened question has focus');
  await writeAndSend(colleague, 'ask-expert', 'answer', 'Run `deploy rollback`, then Tab to Confirm.', 'Post answer', 'Your answer was posted.');
  const posted = await assertFocus(colleague, 'ask-expert', (f) => f.tag === 'li' && f.id.startsWith('a-'), 'focus moves to the posted answer');
  assert.match(posted.name, /deploy rollback/);

  // The answer arrives live on the asker's page; they accept it.
  await asker.locator('ask-expert').getByText('deploy rollback').waitFor();
  await tabTo(asker, 'ask-expert', byName('button', 'Accept this answer'));
  await asker.keyboard.press('Enter');
  await announced(asker, 'ask-expert', 'Answer accepted.');
  await assertFocus(asker, 'ask-expert', (f) => f.id === posted.id, 'focus moves to the accepted answer');

  // Then thanks its author with kudos, and focus stays on the answer.
  await tabTo(asker, 'ask-expert', byName('button', 'Send kudos'));
  await asker.keyboard.press('Enter');
  await announced(asker, 'ask-expert', 'Kudos sent.');
  await assertFocus(asker, 'ask-expert', (f) => f.id === posted.id, 'after the kudos are sent, focus is on the answer again');

  // Back to the list: focus returns to the question that was open.
  await tabTo(asker, 'ask-expert', (f) => f.part === 'back', { back: true });
  await asker.keyboard.press('Enter');
  const listed = await assertFocus(asker, 'ask-expert', byName('button', title), 'back in the list, focus is on the question that was open');
  assert.equal(listed.part, 'title');

  // Filter with Enter, sort with the arrow keys: the new list is announced.
  await tabTo(asker, 'ask-expert', byName('button', 'Answered'));
  await asker.keyboard.press('Enter');
  await assertFocus(asker, 'ask-expert', (f) => f.name === 'Answered' && f.attrs['aria-pressed'] === 'true', 'the filter is pressed');
  await announced(asker, 'ask-expert', /^\d+ questions? shown$/);
  await tabTo(asker, 'ask-expert', (f) => f.tag === 'select');
  // The same words as the filter's announcement: only the zero-width mark of a repeat tells them apart.
  const raw = 'return root.querySelector("[aria-live]").textContent';
  const filtered = await shadowState<string>(asker, 'ask-expert', raw);
  await asker.keyboard.press('ArrowDown');
  await announced(asker, 'ask-expert', /^\d+ questions? shown$/);
  for (let i = 0; i < 100 && (await shadowState<string>(asker, 'ask-expert', raw)) === filtered; i++) await asker.waitForTimeout(50);
  assert.notEqual(await shadowState<string>(asker, 'ask-expert', raw), filtered, 'the sorted list is announced anew');
  assert.equal(await shadowState<string>(asker, 'ask-expert', 'return root.querySelector("[part~=sort] select").value'), 'votes');
  assert.deepEqual(pageErrors, []);
});

test('<share-tip> by keyboard: join, write with a preview, share, edit and cancel, delete, mark a colleague\'s tip helpful', async () => {
  const page = await rig.person('/examples/how-to.html');
  await page.locator('share-tip li[part~="tip"]').first().waitFor();
  await joinAsGuest(page, 'share-tip', 'Tab Taylor', 'body');

  const tip = 'Press **Shift+Tab** to go back a field.';
  await page.keyboard.type(tip);
  const preview = await tabTo(page, 'share-tip', (f) => f.part === 'preview-toggle');
  assert.equal(preview.attrs['aria-pressed'], 'false');
  await page.keyboard.press('Space');
  await assertFocus(page, 'share-tip', (f) => f.part === 'preview-toggle' && f.attrs['aria-pressed'] === 'true', 'the preview is on');
  assert.equal(await shadowState<string>(page, 'share-tip', 'return root.querySelector("[part~=preview] strong")?.textContent'), 'Shift+Tab');
  await writeAndSend(page, 'share-tip', 'tags', 'keyboard', 'Share tip', 'Your tip was shared.');
  const shared = await assertFocus(page, 'share-tip', (f) => f.tag === 'li' && /Shift\+Tab/.test(f.name), 'focus moves to the shared tip');

  // Edit: focus goes to the text; Cancel brings it back to the tip.
  await tabTo(page, 'share-tip', byName('button', 'Edit'));
  await page.keyboard.press('Enter');
  await assertFocus(page, 'share-tip', byId('body'), 'editing starts in the text');
  assert.equal(await shadowState<string>(page, 'share-tip', 'return root.getElementById("body").value'), tip);
  await tabTo(page, 'share-tip', byName('button', 'Cancel'));
  await page.keyboard.press('Enter');
  await assertFocus(page, 'share-tip', byId(shared.id), 'Cancel returns focus to the tip');

  // Delete asks for a second press, then focus moves to the next tip.
  await tabTo(page, 'share-tip', byName('button', 'Delete'));
  await page.keyboard.press('Enter');
  await announced(page, 'share-tip', 'Press again to delete.');
  await assertFocus(page, 'share-tip', byName('button', 'Delete for good'), 'the same button now deletes for good');
  await page.keyboard.press('Enter');
  await announced(page, 'share-tip', 'Tip deleted.');
  const next = await assertFocus(page, 'share-tip', (f) => f.tag === 'li' && f.id !== shared.id, 'focus moves to the next tip');

  // A colleague's tip: Helpful is a toggle button.
  const helpful = await tabTo(page, 'share-tip', (f) => f.part === 'helpful');
  assert.equal(helpful.attrs['aria-pressed'], 'false');
  const before = Number(/\d+/.exec(helpful.name)![0]);
  await page.keyboard.press('Space');
  const marked = await assertFocus(page, 'share-tip', (f) => f.part === 'helpful' && f.attrs['aria-pressed'] === 'true' && settled(f), 'the tip is marked helpful');
  assert.equal(Number(/\d+/.exec(marked.name)![0]), before + 1);
  assert.ok(next.id);

  // Sort with the arrow keys; the new list is announced.
  await tabTo(page, 'share-tip', (f) => f.tag === 'select', { back: true });
  await page.keyboard.press('ArrowDown');
  await announced(page, 'share-tip', /^\d+ tips? shown$/);
  assert.deepEqual(pageErrors, []);
});

test('<kudos-wall> by keyboard: join, pick a colleague in the combobox (arrows, Escape, Enter), a badge, give kudos, react, leaderboard', async () => {
  const page = await rig.person('/examples/intranet.html');
  await page.locator('kudos-wall li[part~="kudos"]').first().waitFor();
  await joinAsGuest(page, 'kudos-wall', 'Kim Keyboard', 'to');

  await page.keyboard.type('Ami');
  const wall = page.locator('kudos-wall');
  await wall.getByRole('option', { name: 'Amira Haddad' }).waitFor();
  await assertFocus(page, 'kudos-wall', (f) => f.id === 'to' && f.attrs['aria-expanded'] === 'true', 'the list of people opens');
  await page.keyboard.press('ArrowDown');
  const active = await assertFocus(page, 'kudos-wall', (f) => f.id === 'to' && !!f.attrs['aria-activedescendant'], 'Down makes an option active');
  const option = await shadowState<{ selected: string; text: string; background: string }>(
    page,
    'kudos-wall',
    `const o = root.getElementById(${JSON.stringify(active.attrs['aria-activedescendant'])});
     return { selected: o.getAttribute('aria-selected'), text: o.textContent.trim(), background: getComputedStyle(o).backgroundColor };`,
  );
  assert.equal(option.selected, 'true');
  assert.match(option.text, /Amira Haddad/);
  assert.notEqual(option.background, 'rgba(0, 0, 0, 0)', 'the active option is highlighted');

  // Escape closes the list and keeps focus in the field; Down opens it again.
  await page.keyboard.press('Escape');
  await assertFocus(page, 'kudos-wall', (f) => f.id === 'to' && f.attrs['aria-expanded'] === 'false', 'Escape closes the list, focus stays');
  await page.keyboard.press('ArrowDown');
  await assertFocus(page, 'kudos-wall', (f) => f.id === 'to' && f.attrs['aria-expanded'] === 'true', 'Down opens the list again');
  await page.keyboard.press('Enter');
  await assertFocus(page, 'kudos-wall', (f) => f.id === 'to' && f.attrs['aria-expanded'] === 'false', 'Enter chooses and closes');
  assert.equal(await shadowState<string>(page, 'kudos-wall', 'return root.getElementById("to").value'), 'Amira Haddad');

  await tabTo(page, 'kudos-wall', (f) => f.tag === 'select');
  const picker = 'root.querySelector(\'[part~="badge-picker"] select\')';
  const badges = await shadowState<string[]>(page, 'kudos-wall', `return [...${picker}.options].map((o) => o.value)`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await shadowState<string>(page, 'kudos-wall', `return ${picker}.value`), badges[1]);
  const message = 'Thanks for the keyboard shortcuts cheat sheet!';
  await writeAndSend(page, 'kudos-wall', 'message', message, 'Give kudos', 'Kim Keyboard thanked Amira Haddad');
  const card = wall.locator('li[part~="kudos"]', { hasText: message });
  await card.waitFor();
  assert.equal(await card.locator('[part~="badge"]').textContent(), badges[1]);
  // Focus is not lost to the page: it stays in the form, ready for the next kudos.
  await assertFocus(page, 'kudos-wall', (f) => f.part.includes('submit') || f.id === 'to', 'after giving kudos, focus stays in the form');

  // React to the new card: the first reaction button after the form.
  const reaction = await tabTo(page, 'kudos-wall', (f) => f.part === 'reaction');
  assert.equal(reaction.attrs['aria-pressed'], 'false');
  await page.keyboard.press('Space');
  await assertFocus(page, 'kudos-wall', (f) => f.part === 'reaction' && f.attrs['aria-pressed'] === 'true' && settled(f), 'the reaction is pressed');

  // The leaderboard toggle, back with Shift+Tab.
  await tabTo(page, 'kudos-wall', (f) => f.part === 'toggle', { back: true });
  await page.keyboard.press('Enter');
  await assertFocus(page, 'kudos-wall', (f) => f.part === 'toggle' && f.attrs['aria-pressed'] === 'true', 'the leaderboard is shown');
  await wall.getByRole('list', { name: 'Leaderboard' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
