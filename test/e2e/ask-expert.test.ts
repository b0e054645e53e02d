// A learner on the intranet example page asks; a colleague in another browser answers;
// the asker accepts; both see it. Real server, real database file, real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { twoBrowserRig } from './helpers';

const rig = twoBrowserRig();
const { pageErrors } = rig;

/** A learner in a browser of their own (own storage), on the intranet page. */
const learner = (): Promise<Page> => rig.person('/examples/intranet.html');

async function joinAsGuest(page: Page, name: string) {
  await page.getByLabel('Your name, to ask and answer as a guest').fill(name);
  // The page's <kudos-wall> offers the same button.
  await page.locator('ask-expert').getByRole('button', { name: 'Join as guest' }).click();
  await page.getByLabel('Your question').waitFor();
}

const title = 'How do I give my service more memory?';

test('a guest asks, another answers, the asker accepts, and both see it', async () => {
  const asker = await learner();
  // Seeded questions of the page's own topic show before anyone signs in.
  await asker.getByRole('button', { name: 'Can I deploy on a Friday afternoon?' }).waitFor();
  await joinAsGuest(asker, 'Alex Asker');

  const asked = asker.evaluate(
    () =>
      new Promise<{ title: string; topic: string }>((resolve) =>
        document.addEventListener('rh-question-asked', (e) => resolve((e as CustomEvent).detail), { once: true }),
      ),
  );
  await asker.getByLabel('Your question').fill(title);
  await asker.getByLabel('Details (optional)').fill('The pods get OOMKilled during the nightly import.');
  await asker.getByRole('button', { name: 'Ask', exact: true }).click();
  const question = await asked;
  assert.equal(question.title, title);
  assert.equal(question.topic, 'examples/intranet', 'a bare <ask-expert> takes its topic from the page path');
  // The new question opens, ready for answers to arrive.
  await asker.getByRole('heading', { name: title }).waitFor();

  const colleague = await learner();
  await joinAsGuest(colleague, 'Bea Answerer');
  await colleague.getByRole('button', { name: title }).click();
  await colleague.getByLabel('Your answer').fill('Raise `memory:` under resources in service.yaml and merge.');
  await colleague.getByRole('button', { name: 'Post answer' }).click();
  await colleague.getByText('Raise `memory:` under resources').waitFor();

  // The asker comes back later (a reload keeps the guest session) and accepts.
  await asker.reload();
  await asker.getByRole('button', { name: title }).click();
  await asker.getByRole('button', { name: 'Accept this answer' }).click();
  await asker.getByText('Accepted answer').waitFor();

  // Recognition: the asker is offered to thank the answerer, one click sends kudos, and
  // the page's <kudos-wall> shows what it was for, linking back to the question.
  await asker.getByText('Thank Bea Answerer with kudos?').waitFor();
  await asker.locator('ask-expert').getByRole('button', { name: 'Send kudos' }).click();
  const card = asker.locator('kudos-wall [part~="kudos"]', { hasText: 'Thank you for your answer!' });
  await card.waitFor();
  assert.match((await card.textContent()) ?? '', /Alex Asker\s*thanked\s*\S*\s*Bea Answerer/);
  const link = card.getByRole('link', { name: title });
  assert.match((await link.getAttribute('href')) ?? '', /^#rh-question-examples\/intranet:/);

  // The colleague's page got the kudos live, without a reload.
  await colleague.locator('kudos-wall [part~="kudos"]', { hasText: 'Thank you for your answer!' }).waitFor({ timeout: 5000 });

  await colleague.reload();
  await colleague.getByRole('button', { name: title }).click();
  await colleague.getByText('Accepted answer').waitFor();
  assert.equal(await colleague.getByRole('button', { name: 'Accept this answer' }).count(), 0, 'only the asker may accept');

  // What both saw is what the database holds.
  const stored = await (await fetch(`${rig.url}/v1/questions?topic=examples/intranet&status=answered`)).json();
  const answered = stored.items.find((q: { title: string }) => q.title === title);
  assert.ok(answered, 'the question is stored as answered');
  assert.equal(answered.author.name, 'Alex Asker');
  assert.deepEqual(pageErrors, []);
});

test('an open question loads its view on demand; a view that cannot be fetched shows the error state, and Retry opens it', async () => {
  const reader = await learner();
  const opened = reader.locator('ask-expert').getByRole('button', { name: 'Can I deploy on a Friday afternoon?' });
  await opened.waitFor();
  const fetched = () => reader.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/question-detail.js')));
  assert.equal(await fetched(), false, 'question-detail.js only once a question is opened');

  await reader.route('**/question-detail.js', (route) => route.abort());
  await opened.click();
  const error = reader.locator('ask-expert').getByRole('alert');
  await error.getByText("Can't reach Readyhand right now.").waitFor();
  await reader.unroute('**/question-detail.js');
  await error.getByRole('button', { name: 'Retry' }).click();
  await reader.getByRole('heading', { name: 'Can I deploy on a Friday afternoon?' }).waitFor();
  assert.equal(await fetched(), true);
  assert.deepEqual(pageErrors, []);
});
