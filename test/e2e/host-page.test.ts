// What a host page (or its framework) does to the elements, against widgets.js as served: its
// Lit is cut to what the widgets use (litTrimmed in rollup.config.mjs), and the component tests
// run the sources with the whole of Lit, so this is where those cuts meet a page. A property set
// before the script upgrades the element, the element taken out of the page and put back
// elsewhere (its live updates with it), an attribute changed and removed; and a subclass declaring a
// property that trimmed Lit would not convert is refused where it is declared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twoBrowserRig } from './helpers';

const rig = twoBrowserRig();

const HOST = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Host page</title></head>
  <body>
    <main><ask-expert topic="kubernetes"></ask-expert></main>
    <aside></aside>
    <script>
      // As a framework may, before the element is defined: the upgrade keeps it.
      document.querySelector('ask-expert').theme = 'dark';
    </script>
    <script type="module" src="/widgets.js"></script>
  </body>
</html>`;

async function guestToken(name: string): Promise<string> {
  const res = await fetch(`${rig.url}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'demo', guestName: name }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { sessionToken: string }).sessionToken;
}

test('a property set before the upgrade, the element moved in the page, its attributes changed and removed: the widget follows', async () => {
  const page = await rig.person('/host-page.html', async (page) => {
    await page.route('**/host-page.html', (route) => route.fulfill({ contentType: 'text/html', body: HOST }));
    // tsx names classes with an `__name` helper, which the page lacks.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  });

  const widget = page.locator('ask-expert');
  // Seeded on the kubernetes topic.
  await widget.getByRole('button', { name: 'How do I roll back a deployment that is stuck?' }).waitFor();
  assert.equal(await widget.getAttribute('theme'), 'dark', 'the property set before the upgrade, reflected');

  // Taken out (and updated off the page, which leaves its live updates), then put back elsewhere,
  // as a framework keeping a component aside does.
  await page.evaluate(async () => {
    const el = document.querySelector('ask-expert') as HTMLElement & { updateComplete: Promise<unknown> };
    el.remove();
    await el.updateComplete;
    document.querySelector('aside')!.append(el);
  });
  await widget.getByRole('button', { name: 'How do I roll back a deployment that is stuck?' }).waitFor();
  // Its live updates came back with it: a question asked elsewhere arrives without a reload.
  const title = `Asked while the widget was moved ${Date.now()}?`;
  const asked = await fetch(`${rig.url}/v1/questions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await guestToken('Mo Ved')}` },
    body: JSON.stringify({ topic: 'kubernetes', title, body: '' }),
  });
  assert.equal(asked.status, 201, await asked.text());
  await widget.getByRole('button', { name: title }).waitFor({ timeout: 5000 });

  // An attribute changed: the widget shows that topic (empty); removed: the property is null, as in Lit.
  await widget.evaluate((el) => el.setAttribute('topic', `empty-${Date.now()}`));
  await widget.getByText('No questions here yet').waitFor();
  await widget.evaluate((el) => el.removeAttribute('theme'));
  assert.equal(await widget.evaluate((el) => (el as HTMLElement & { theme: unknown }).theme), null);

  // A host page's subclass with a property the trimmed Lit does not convert fails where it is declared.
  const refused = await page.evaluate(async () => {
    const bundle = '/widgets.js';
    const { AskExpert } = (await import(bundle)) as { AskExpert: CustomElementConstructor };
    class Flagged extends AskExpert {
      static properties = { flag: { type: Boolean } };
    }
    try {
      customElements.define('flagged-ask-expert', Flagged);
      return 'defined';
    } catch (e) {
      return (e as Error).message;
    }
  });
  assert.equal(refused, 'lit: flag');

  assert.deepEqual(rig.pageErrors, []);
});
