/// <reference types="mocha" />
// Forms whose module fetch fails for real: Chromium then answers that URL with the same failure
// until the page reloads. This file runs in a page of its own: no test has fetched the forms before.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '@readyhand/share-tip';
import type { ShareTip } from '@readyhand/share-tip';
import { $, env, text, uniqueTopic, until } from './helpers.js';

const focused = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

beforeEach(() => localStorage.clear());

describe('forms whose fetch fails', () => {
  it('say so with a Retry that has the focus, and Retry fetches them anew and brings them, focus in their first field', async () => {
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${uniqueTopic('retry')}></share-tip>`);
    await until('the guest sign-in form', () => $(el, 'form[part~="sign-in"]'));
    await executeServerCommand('fail-next-fetch', 'draft-form');
    $<HTMLInputElement>(el, '#guest')!.value = 'Retrying Learner';
    $<HTMLButtonElement>(el, 'form[part~="sign-in"] [part~="submit"]')!.click();
    await until('the error', () => $(el, '[part~="error"] [part~="retry"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    // The join form is gone: a keyboard user is on Retry, not thrown back to the page's start.
    await until('focus on Retry', () => focused(el)?.matches('[part~="retry"]'));
    await sendKeys({ press: 'Enter' });
    await until('the share form', () => $(el, 'form[part~="share"]'));
    expect($(el, '[part~="error"]')).to.equal(null);
    // Retry is gone with the error: focus is in the form's first field.
    await until('focus in the tip field', () => focused(el)?.id === 'body');
    await expect(el).to.be.accessible();
  });
});
