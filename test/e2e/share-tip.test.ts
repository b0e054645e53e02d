// On the how-to example page: a guest shares a tip written in the markdown subset; a
// colleague in another browser sees it rendered (as elements, never as HTML from
// text) and marks it helpful; the author sees the count after a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { twoBrowserRig } from './helpers';

const rig = twoBrowserRig();
const { pageErrors } = rig;

async function reader(name: string): Promise<Page> {
  const page = await rig.person('/examples/how-to.html');
  const tips = page.locator('share-tip');
  await tips.getByLabel('Your name, to share tips as a guest').fill(name);
  await tips.getByRole('button', { name: 'Join as guest' }).click();
  await tips.getByLabel('Your tip').waitFor();
  return page;
}

test('a guest shares a markdown tip, a colleague marks it helpful', async () => {
  const author = await reader('Ada Author');
  const tips = author.locator('share-tip');
  const body =
    'Write the **summary last**: it is easier once the timeline is done. See [the template](https://handbook.example/postmortem) and [this](javascript:alert(1)).';
  await tips.getByLabel('Your tip').fill(body);
  await tips.getByLabel('Tags, separated by commas (optional)').fill('Writing, #Postmortems');
  await tips.getByRole('button', { name: 'Share tip' }).click();
  await tips.getByText('Your tip was shared.').waitFor({ state: 'attached' });

  const colleague = await reader('Cy Colleague');
  const shared = colleague.locator('share-tip [part~="item"]', { hasText: 'summary last' });
  await shared.waitFor();
  assert.equal(await shared.locator('strong').textContent(), 'summary last');
  const link = shared.getByRole('link', { name: 'the template' });
  assert.equal(await link.getAttribute('href'), 'https://handbook.example/postmortem');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  // The javascript: link is shown as its text, and is no link at all.
  assert.equal(await shared.getByRole('link', { name: 'this' }).count(), 0);
  assert.match((await shared.textContent()) ?? '', /postmortems/);

  await shared.getByRole('button', { name: /Helpful/ }).click();
  await shared.locator('[part~="count"]', { hasText: '1' }).waitFor();

  await author.reload();
  const mine = author.locator('share-tip [part~="item"]', { hasText: 'summary last' });
  await mine.locator('[part~="count"]', { hasText: '1' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
