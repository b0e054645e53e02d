// Moderation end to end, on the how-to example page and the API's /moderate page: a learner
// reports a colleague's tip with a reason, a moderator (signed in by the host's token) finds
// it in the queue with that reason and hides it, and the tip leaves both learners' pages
// live, without a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sign } from 'hono/jwt';
import type { Page } from 'playwright-core';
import { joinAsGuest, twoBrowserRig } from './helpers';

const DEMO_SITE_SECRET = 'e2e-moderation-secret';
const rig = twoBrowserRig({ DEMO_SITE_SECRET });
const { pageErrors } = rig;

async function learner(name: string): Promise<Page> {
  const page = await rig.person('/examples/how-to.html');
  await joinAsGuest(page, 'share-tip', 'Your name, to share tips as a guest', name, 'Your tip');
  return page;
}

test('a learner reports a tip, a moderator hides it on /moderate, and it leaves the other pages live', async () => {
  const author = await learner('Tim Tipper');
  await author.locator('share-tip').getByLabel('Your tip').fill('Buy followers at spam.example, cheap!');
  await author.locator('share-tip').getByRole('button', { name: 'Share tip' }).click();
  const authorsTip = author.locator('share-tip [part~="item"]', { hasText: 'Buy followers' });
  await authorsTip.waitFor();
  assert.equal(await authorsTip.getByText('Report').count(), 0, 'nobody reports their own tip');

  const reporter = await learner('Rae Reporter');
  const tip = reporter.locator('share-tip [part~="item"]', { hasText: 'Buy followers' });
  await tip.waitFor();
  // The form is not part of widgets.js: the first opening of Report fetches it, precompressed.
  const fetched = () => reporter.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/report-form.js')));
  assert.equal(await fetched(), false, 'report-form.js only once Report is opened');
  const form = reporter.waitForResponse((r) => r.url().endsWith('/report-form.js'));
  await tip.locator('summary', { hasText: 'Report' }).click();
  const response = await form;
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-encoding'], 'gzip');
  await tip.getByLabel('Why report this?').fill('Advertising, not a tip');
  await tip.getByRole('button', { name: 'Report' }).click();
  await reporter.locator('share-tip [part="live"]', { hasText: 'Reported. Thank you.' }).waitFor({ state: 'attached' });

  // The moderator's token, minted as the host's server would, reaches the page in the fragment.
  const now = Math.floor(Date.now() / 1000);
  const token = await sign({ site: 'demo', sub: 'mod-1', name: 'Mia Moderator', roles: ['moderator'], iat: now, exp: now + 600 }, DEMO_SITE_SECRET, 'HS256');
  const moderator = await rig.person(`/moderate?site=demo#token=${token}`);
  assert.equal(new URL(moderator.url()).hash, '', 'the token leaves the address bar');
  const entry = moderator.locator('readyhand-moderation [part~="item"]', { hasText: 'Buy followers' });
  await entry.waitFor();
  assert.match((await entry.textContent()) ?? '', /Tim Tipper/);
  assert.match((await entry.textContent()) ?? '', /Rae Reporter: Advertising, not a tip/);
  await entry.getByLabel(/Reason/).fill('Spam');
  await entry.getByRole('button', { name: 'Hide' }).click();
  await moderator.locator('readyhand-moderation [part="live"]', { hasText: 'Hidden.' }).waitFor({ state: 'attached' });

  // No reload: the stream tells both learners' pages.
  await tip.waitFor({ state: 'detached', timeout: 10_000 });
  await authorsTip.waitFor({ state: 'detached', timeout: 10_000 });

  // The audit log has it, with the reason.
  await moderator.locator('readyhand-moderation').getByRole('button', { name: 'Audit log' }).click();
  await moderator.locator('readyhand-moderation tbody tr', { hasText: 'Spam' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
