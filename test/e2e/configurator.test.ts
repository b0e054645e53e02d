// An intranet editor opens the configurator, picks a widget, topic and theme, sees the
// real widget in the preview, copies the snippet and pastes it into a blank page of
// their own site: it works there with no other configuration.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, startServer, type RunningServer } from './helpers';

let server: RunningServer;
let browser: Browser;
let hostPage: Server | undefined;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  hostPage?.close();
  await browser?.close();
  await server?.stop();
});

/** A blank page on another origin (as the editor's intranet would be) with the snippet pasted in. */
async function pasteIntoBlankPage(snippet: string): Promise<string> {
  hostPage = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Blank</title></head><body>\n${snippet}\n<p>The page goes on below.</p></body></html>`);
  });
  await new Promise<void>((listening) => hostPage!.listen(0, '127.0.0.1', listening));
  return `http://127.0.0.1:${(hostPage.address() as AddressInfo).port}/`;
}

test('choose options, the live preview follows, and the copied snippet works pasted into a blank page', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/`);

  await page.getByLabel('Topic', { exact: true }).fill('kubernetes');
  await page.getByLabel('Theme').selectOption('dark');
  const preview = page.locator('#preview ask-expert');
  assert.equal(await preview.getAttribute('topic'), 'kubernetes');
  assert.equal(await preview.getAttribute('theme'), 'dark');
  // The preview is the real widget, showing the topic's real questions.
  await preview.getByRole('button', { name: 'How do I roll back a deployment that is stuck?' }).waitFor();

  // A key the widgets would refuse is explained, and kept out of the snippet.
  await page.getByLabel('Topic', { exact: true }).fill('bad topic!');
  await page.getByText('Use letters, digits and . _ ~ - / only').waitFor();
  assert.doesNotMatch((await page.locator('#snippet').textContent()) ?? '', /bad topic/);
  await page.getByLabel('Topic', { exact: true }).fill('kubernetes');

  await page.getByRole('button', { name: 'Copy snippet' }).click();
  await page.getByText('Copied. Paste it into your page.').waitFor();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(
    snippet,
    `<script type="module" src="${server.url}/widgets.js"></script>\n<ask-expert topic="kubernetes" theme="dark" style="display: block; block-size: 36rem; overflow: auto"></ask-expert>`,
  );

  const blank = await context.newPage();
  blank.on('pageerror', (error) => errors.push(error.message));
  await blank.goto(await pasteIntoBlankPage(snippet));
  await blank.getByRole('button', { name: 'How do I roll back a deployment that is stuck?' }).waitFor();
  await blank.getByLabel('Your name, to ask and answer as a guest').waitFor();
  // The widget had its height before its script ran and kept it as its questions arrived: the text below never moved.
  const shifts = await blank.evaluate(async () => {
    const values: number[] = [];
    new PerformanceObserver((list) => values.push(...list.getEntries().map((e) => (e as PerformanceEntry & { value: number }).value))).observe({
      type: 'layout-shift',
      buffered: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    return values;
  });
  assert.deepEqual(shifts, []);
  assert.deepEqual(errors, []);
  await context.close();
});
