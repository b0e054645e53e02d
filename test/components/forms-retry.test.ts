/// <reference types="mocha" />
// Forms whose module fetch fails for real: Chromium then answers that URL with the same failure
// until the page reloads. This file runs in a page of its own: no test has fetched the forms before.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '@readyhand/share-tip';
import type { ShareTip } from '@readyhand/share-tip';
import { $, env, text, uniqueTopic, until } from './helpers.js';

beforeEach(() => localStorage.clear());

describe('forms whose fetch fails', () => {
  it('say so with a Retry, and Retry fetches them anew and brings them', async () => {
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${uniqueTopic('retry')}></share-tip>`);
    await until('the guest sign-in form', () => $(el, 'form[part~="sign-in"]'));
    await executeServerCommand('fail-next-fetch', 'draft-form');
    $<HTMLInputElement>(el, '#guest')!.value = 'Retrying Learner';
    $<HTMLButtonElement>(el, 'form[part~="sign-in"] [part~="submit"]')!.click();
    await until('the error', () => $(el, '[part~="error"] [part~="retry"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    $<HTMLButtonElement>(el, '[part~="retry"]')!.click();
    await until('the share form', () => $(el, 'form[part~="share"]'));
    expect($(el, '[part~="error"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
