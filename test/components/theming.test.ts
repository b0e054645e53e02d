/// <reference types="mocha" />
// What a host page relies on to make the widgets look like its own: the public
// `--rh-*` custom properties set on any ancestor, `::part()` rules in its own
// stylesheet, its font inherited, and the colour scheme (followed or fixed).
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '@readyhand/ask-expert';
import '@readyhand/share-tip';
import '@readyhand/kudos-wall';
import type { ReadyhandElement } from '@readyhand/core';
import { $, animationsDone, askAs, env, guest, post, signIn, uniqueTopic, until } from './helpers.js';

let people = 0;
const someone = (role: string) => guest(`Theme ${role} ${people++}`);

/** Each widget, the attribute that says where its content lives, and how to put one item there. */
const widgets = [
  {
    tag: 'ask-expert',
    scope: 'topic',
    seed: async (key: string) => askAs(await someone('Asker'), key, 'How do custom properties reach a shadow root?'),
  },
  {
    tag: 'share-tip',
    scope: 'topic',
    seed: async (key: string) =>
      post('/v1/tips', (await someone('Tipper')).sessionToken, { topic: key, body: 'Custom properties inherit into shadow roots.', tags: [] }),
  },
  {
    tag: 'kudos-wall',
    scope: 'wall',
    seed: async (key: string) => {
      const [from, to] = [await someone('Thanker'), await someone('Helper')];
      return post('/v1/kudos', from.sessionToken, { wall: key, to: to.user.id, message: 'Thanks for the theming help', badge: 'helpful' });
    },
  },
] as const;

const surface = { light: 'rgb(255, 255, 255)', dark: 'rgb(22, 27, 34)' };

/** The page's own stylesheet, reaching into the widgets through their parts. */
let pageStyles: HTMLStyleElement;
before(() => {
  pageStyles = document.createElement('style');
  pageStyles.textContent = `
    .themed ::part(submit) { letter-spacing: 2px; }
    .themed ::part(item) { background-color: rgb(250, 240, 200); }`;
  document.head.append(pageStyles);
});
after(() => pageStyles.remove());
beforeEach(() => localStorage.clear());
afterEach(() => emulateMedia({ colorScheme: 'light' }));

/** Mounts `tag` with one item, inside an ancestor with `style` (and the page's part rules), and waits for the item. */
async function mount(widget: (typeof widgets)[number], style = '', theme?: string, themed = true) {
  const key = uniqueTopic(widget.tag);
  await widget.seed(key);
  const wrapper = await fixture<HTMLDivElement>(html`<div class=${themed ? 'themed' : ''} style=${style}></div>`);
  const el = document.createElement(widget.tag) as ReadyhandElement;
  el.setAttribute('api', env.api);
  el.setAttribute('site', 'demo');
  el.setAttribute(widget.scope, key);
  if (theme) el.setAttribute('theme', theme);
  wrapper.append(el);
  await until(`${widget.tag}'s item`, () => $(el, '[part~="item"]'));
  return el;
}

const styleOf = (el: Element | null) => getComputedStyle(el!);

for (const widget of widgets) {
  describe(`<${widget.tag}> theming`, () => {
    it('takes the accent, radius and font from custom properties on an ancestor, and ::part() rules from the page', async () => {
      const el = await mount(
        widget,
        'font-family: Verdana; --rh-color-accent: rgb(10, 120, 30); --rh-radius: 11px; --rh-font-family: Georgia',
      );
      await signIn(el);
      await until('the submit button', () => $(el, '.primary[part~="submit"]'));
      const submit = $(el, '.primary[part~="submit"]');
      expect(styleOf(submit).backgroundColor).to.equal('rgb(10, 120, 30)');
      expect(styleOf(submit).borderTopLeftRadius).to.equal('11px');
      expect(styleOf(submit).fontFamily).to.equal('Georgia');
      expect(styleOf(submit).letterSpacing).to.equal('2px');
      expect(styleOf($(el, '[part~="item"]')).backgroundColor).to.equal('rgb(250, 240, 200)');
    });

    it("inherits the host page's font by default", async () => {
      const el = await mount(widget, 'font-family: Verdana');
      expect(styleOf(el).fontFamily).to.equal('Verdana');
      expect(styleOf($(el, '[part~="item"]')).fontFamily).to.equal('Verdana');
    });

    it('follows the colour scheme with theme="auto", ignores it with theme="light", and is accessible in dark', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const auto = await mount(widget, '', undefined, false);
      const light = await mount(widget, '', 'light', false);
      expect(auto.getAttribute('theme')).to.equal('auto');
      expect(styleOf(auto).backgroundColor).to.equal(surface.dark);
      expect(styleOf(light).backgroundColor).to.equal(surface.light);
      await animationsDone(auto);
      await expect(auto).to.be.accessible();

      await emulateMedia({ colorScheme: 'light' });
      expect(styleOf(auto).backgroundColor).to.equal(surface.light);
      expect(styleOf(light).backgroundColor).to.equal(surface.light);
    });
  });
}
