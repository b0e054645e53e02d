// Two colleagues on the intranet example page, each in a browser of their own: one gives
// kudos, the other sees it arrive on the same wall without reloading. Real server, real
// database file, real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { twoBrowserRig } from './helpers';

const rig = twoBrowserRig();
const { pageErrors } = rig;

const colleague = (): Promise<Page> => rig.person('/examples/intranet.html');

const wall = (page: Page) => page.locator('kudos-wall');

test('one colleague gives kudos, the other sees it on the same wall within 2 seconds, without reloading', async () => {
  const watcher = await colleague();
  // The page's own wall (examples/intranet), seeded: it shows before anyone signs in.
  await wall(watcher).getByText('Your answer about Friday deploys').waitFor();

  const giver = await colleague();
  await wall(giver).getByLabel('Your name, to give kudos as a guest').fill('Kim Giver');
  await wall(giver).getByRole('button', { name: 'Join as guest' }).click();
  const to = wall(giver).getByRole('combobox', { name: 'To' });
  await to.click();
  await to.pressSequentially('Ami');
  await wall(giver).getByRole('option', { name: 'Amira Haddad' }).waitFor();
  await to.press('ArrowDown');
  await to.press('Enter');
  assert.equal(await to.inputValue(), 'Amira Haddad');
  await wall(giver).getByLabel('Badge').selectOption('mentor');
  const message = 'Thanks for walking me through the rollout checklist!';
  await wall(giver).getByLabel('Message').fill(message);

  const given = giver.evaluate(
    () => new Promise<{ message: string }>((resolve) => document.addEventListener('rh-kudos-given', (e) => resolve((e as CustomEvent).detail), { once: true })),
  );
  const started = Date.now();
  await wall(giver).getByRole('button', { name: 'Give kudos' }).click();
  assert.equal((await given).message, message);

  const card = wall(watcher).locator('li[part~="kudos"]').first();
  await card.getByText(message).waitFor({ timeout: 2000 });
  assert.ok(Date.now() - started < 2000, `arrived after ${Date.now() - started} ms`);
  assert.match((await card.textContent()) ?? '', /Kim Giver\s*thanked\s*AH\s*Amira Haddad/);
  assert.match(await wall(watcher).getByRole('status').textContent() ?? '', /Kim Giver thanked Amira Haddad/);
  assert.equal(await card.evaluate((li) => li.classList.contains('new')), true);
  assert.deepEqual(pageErrors, []);
});
