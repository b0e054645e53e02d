// The built bundles as a host page loads them from the API: a widget speaks the page's
// language, fetching its translations (`/locales/<locale>.js`) only when that is not
// English, so an English page pays nothing for them; each widget's own bundle works
// alone on a page, the Report form it fetches on demand included; and the configurator's
// language choice shows in its preview.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type RunningServer } from './helpers';

let server: RunningServer;
let browser: Browser;
let host: Server;
let hostUrl: string;
/** The host pages, by path: each loads a bundle from the API and places one widget. */
const pages = new Map<string, string>();

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  host = createServer((req, res) => {
    const body = pages.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'no such page');
  });
  await new Promise<void>((listening) => host.listen(0, '127.0.0.1', listening));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

after(async () => {
  host?.close();
  await browser?.close();
  await server?.stop();
});

/**
 * Opens a host page of the given `lang` with `bundle` and `widget`, recording every URL it
 * requests, and in `window.firstHeading` the first heading the widget showed in a frame.
 */
async function open(path: string, lang: string, bundle: string, widget: string) {
  pages.set(path, `<!doctype html><html lang="${lang}"><head><title>Host</title></head><body>
<script>
  requestAnimationFrame(function look() {
    const h2 = document.querySelector('body > *:not(script)')?.shadowRoot?.querySelector('h2');
    if (h2?.textContent) window.firstHeading = h2.textContent.trim();
    else requestAnimationFrame(look);
  });
</script>
<script type="module" src="${server.url}/${bundle}"></script>
${widget}
</body></html>`);
  const page = await browser.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${hostUrl}${path}`);
  return { page, requested, errors };
}

const seeded = 'How do I roll back a deployment that is stuck?';

test('an English page requests no translations', async () => {
  const { page, requested, errors } = await open('/en', 'en', 'widgets.js', '<ask-expert topic="kubernetes"></ask-expert>');
  await page.locator('ask-expert').getByRole('button', { name: seeded }).waitFor();
  await page.locator('ask-expert').getByRole('heading', { name: 'Ask an expert', exact: true }).waitFor();
  assert.deepEqual(requested.filter((url) => url.includes('/locales/')), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a German page fetches locales/de.js once, precompressed and cacheable, and the widget speaks German from its first render', async () => {
  const { page, requested, errors } = await open(
    '/de',
    'de-DE',
    'widgets.js',
    '<ask-expert topic="kubernetes"></ask-expert><kudos-wall wall="platform-team"></kudos-wall>',
  );
  const locale = page.waitForResponse((r) => r.url().endsWith('/locales/de.js'));
  const widget = page.locator('ask-expert');
  await widget.getByRole('heading', { name: 'Fragen Sie eine Expertin oder einen Experten' }).waitFor();
  await widget.getByRole('button', { name: seeded }).waitFor();
  await page.locator('kudos-wall').getByRole('heading', { name: 'Anerkennung', exact: true }).waitFor();
  const response = await locale;
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'] ?? '', /^text\/javascript/);
  assert.equal(response.headers()['content-encoding'], 'gzip');
  assert.match(response.headers()['cache-control'] ?? '', /public, max-age=\d+/);
  assert.equal(response.headers()['access-control-allow-origin'], '*');
  // Two widgets, one file; and no English first: the first frame with a heading had the German one.
  assert.deepEqual(requested.filter((url) => url.includes('/locales/')), [`${server.url}/locales/de.js`]);
  assert.equal(await page.evaluate(() => (window as unknown as { firstHeading?: string }).firstHeading), 'Fragen Sie eine Expertin oder einen Experten');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [bundle, widget, text] of [
  ['ask-expert.js', '<ask-expert topic="kubernetes" lang="fr"></ask-expert>', 'Demandez à un expert'],
  ['share-tip.js', '<share-tip topic="kubernetes" lang="es"></share-tip>', 'Consejos'],
  ['kudos-wall.js', '<kudos-wall wall="platform-team" lang="de"></kudos-wall>', 'Anerkennung'],
] as const) {
  test(`${bundle} alone on a page brings its widget, in the language of its lang`, async () => {
    const { page, requested, errors } = await open(`/${bundle}`, 'en', bundle, widget);
    await page.getByRole('heading', { name: text, exact: true }).waitFor();
    assert.ok(!requested.some((url) => url.endsWith('/widgets.js')), 'widgets.js was loaded too');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the configurator's language choice shows in the live preview", async () => {
  const page: Page = await browser.newPage();
  await page.goto(`${server.url}/`);
  const preview = page.locator('#preview ask-expert');
  await preview.getByRole('heading', { name: 'Ask an expert', exact: true }).waitFor();
  await page.getByLabel('Language').selectOption('es');
  await preview.getByRole('heading', { name: 'Pregunte a un experto' }).waitFor();
  assert.match((await page.locator('#snippet').textContent()) ?? '', /<ask-expert lang="es"( style="[^"]*")?><\/ask-expert>/);
  await page.close();
});

test('a widget\'s own bundle opens Report with the shared report-form.js, fetched then, in the widget\'s language', async () => {
  const { page, requested, errors } = await open('/report', 'fr', 'share-tip.js', '<share-tip topic="kubernetes"></share-tip>');
  const widget = page.locator('share-tip');
  await widget.locator('[part~="item"]').first().waitFor();
  await page.evaluate(() => (document.querySelector('share-tip') as HTMLElement & { session: { signInAsGuest(name: string): Promise<unknown> } }).session.signInAsGuest('Lou Lectrice'));
  const report = widget.locator('[part~="item"] summary', { hasText: 'Signaler' }).first();
  await report.waitFor();
  assert.deepEqual(requested.filter((url) => url.endsWith('/report-form.js')), [], 'not before Report is opened');
  await report.click();
  await widget.getByLabel('Pourquoi le signaler ?').first().waitFor();
  assert.deepEqual(requested.filter((url) => url.endsWith('/report-form.js')), [`${server.url}/report-form.js`]);
  assert.deepEqual(errors, []);
  await page.close();
});

