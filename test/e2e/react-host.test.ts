// The elements inside a React 19 page: React sets their properties and listens to
// their events like any other element's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, startServer, type RunningServer } from './helpers';

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('React drives the topic and theme properties and hears the widget events', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/examples/react-host/index.html`);

  const widget = page.locator('ask-expert');
  await widget.getByText('No questions here yet').waitFor();
  assert.equal(await widget.evaluate((el) => (el as HTMLElement & { topic: string }).topic), 'k8s-foundations/module-3');

  // A React state change reaches the element as a property, and the widget follows it.
  await page.getByLabel('Module').selectOption('kubernetes');
  await widget.getByRole('button', { name: 'How do I roll back a deployment that is stuck?' }).waitFor();
  await page.getByLabel('Dark').check();
  assert.equal(await widget.getAttribute('theme'), 'dark', 'theme reflects the property React set');

  // An event from inside the shadow root reaches React's listener.
  await widget.getByLabel('Your name, to ask and answer as a guest').fill('Rae React');
  await widget.getByRole('button', { name: 'Join as guest' }).click();
  await page.getByTestId('activity').getByText('Signed in: Rae React').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
