// A company runs Readyhand for its own intranet: its site, its origin, made the server's
// default site. The snippet an editor pastes names no site, and works on the intranet's pages:
// reading, joining as a guest and asking, every call across origins.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { joinAsGuest, launchChromium, startServer, type RunningServer } from './helpers';

let intranet: Server;
let intranetUrl: string;
let server: RunningServer;
let browser: Browser;
let snippet = '';

before(async () => {
  // The intranet: another origin than the server's (Chromium takes *.localhost to this machine).
  intranet = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Onboarding</title></head><body><h1>Onboarding</h1>\n${snippet}\n</body></html>`);
  });
  await new Promise<void>((listening) => intranet.listen(0, '127.0.0.1', listening));
  intranetUrl = `http://intranet.localhost:${(intranet.address() as AddressInfo).port}`;
  server = await startServer({}, { commands: [['site', 'add', 'acme', '--origin', intranetUrl, '--guests']], serveArgs: ['--default-site', 'acme'] });
  browser = await launchChromium();
});

after(async () => {
  intranet?.close();
  await browser?.close();
  await server?.stop();
});

test("the pasted snippet, without a site, works on the company's intranet when its site is the server's default", async () => {
  snippet = `<script type="module" src="${server.url}/widgets.js"></script>\n<ask-expert topic="onboarding"></ask-expert>`;
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const refused: string[] = [];
  page.on('console', (m) => /CORS|blocked/i.test(m.text()) && refused.push(m.text()));
  await page.goto(`${intranetUrl}/`);
  const widget = page.locator('ask-expert');
  // acme's own, empty topic (the demo content is the demo site's).
  await widget.getByText('No questions here yet. Be the first to ask!').waitFor();
  await joinAsGuest(page, 'ask-expert', 'Your name, to ask and answer as a guest', 'Ada at Acme', 'Your question');
  await widget.getByLabel('Your question').fill('Where do I find the onboarding checklist?');
  await widget.getByRole('button', { name: 'Ask', exact: true }).click();
  await widget.getByRole('heading', { name: 'Where do I find the onboarding checklist?' }).waitFor();

  // It is acme's: the API has it under acme, not under the demo site.
  const listed = async (site: string) =>
    ((await (await fetch(`${server.url}/v1/questions?site=${site}&topic=onboarding`)).json()) as { items: { title: string }[] }).items.map((q) => q.title);
  assert.deepEqual(await listed('acme'), ['Where do I find the onboarding checklist?']);
  assert.deepEqual(await listed('demo'), []);
  assert.deepEqual(refused, []);
  assert.deepEqual(errors, []);
});
