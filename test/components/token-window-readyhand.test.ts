/// <reference types="mocha" />
// `window.readyhand`, for hosts that prefer code to attributes: page-wide
// defaults for every widget without attributes of its own, and a fresh
// identity token handed to every session on the page.
import { expect, fixture, html } from '@open-wc/testing';
import '@readyhand/core/provider.js';
import type { ReadyhandProvider } from '@readyhand/core/provider.js';
import '@readyhand/ask-expert';
import type { AskExpert } from '@readyhand/ask-expert';
import { env, uniqueTopic, until } from './helpers.js';

let learners = 0;
/**
 * A fresh identity token for the "intranet" site, from the test server's intranet
 * token endpoint; without a `jti`, since several sessions on the page exchange it.
 */
async function intranetToken() {
  const name = `Coded Learner ${Date.now().toString(36)} ${learners++}`;
  document.cookie = `intranet_user=${encodeURIComponent(name)}; path=/`;
  try {
    const { token } = await (await fetch('/intranet/token?reusable')).json();
    return { name, token: token as string };
  } finally {
    document.cookie = 'intranet_user=; path=/; max-age=0';
  }
}

const bare = () => fixture<AskExpert>(html`<ask-expert topic=${uniqueTopic('coded')}></ask-expert>`);

beforeEach(() => localStorage.clear());
// Removed widgets may still update once (a sign-in in flight): keep them on the real API.
afterEach(() => window.readyhand.configure({ api: env.api, site: '', token: '', tokenUrl: '' }));

describe('window.readyhand', () => {
  it('is there once widgets.js (the provider module) has loaded', () => {
    expect(window.readyhand.configure).to.be.a('function');
    expect(window.readyhand.setToken).to.be.a('function');
  });

  it('configure() sets the API, site and token of widgets without attributes, already on the page or added later', async () => {
    const earlier = await bare();
    const own = await fixture<AskExpert>(html`<ask-expert api=${env.api} site="demo" topic=${uniqueTopic('coded')}></ask-expert>`);
    const { name, token } = await intranetToken();
    window.readyhand.configure({ api: env.api, site: 'intranet', token });

    await until('the earlier widget to sign in', () => earlier.session.user);
    expect(earlier.client).to.include({ api: env.api, site: 'intranet' });
    expect(earlier.session.user).to.include({ name, guest: false });

    const later = await bare();
    await until('the later widget to sign in', () => later.session.user);
    expect(later.client).to.include({ api: env.api, site: 'intranet' });
    expect(later.session.user).to.include({ name });

    // A widget's own attributes win over the page's defaults.
    await own.updateComplete;
    expect(own.client).to.include({ api: env.api, site: 'demo' });
    expect(own.session.user).to.equal(null);
  });

  it('setToken() signs every session on the page in with the fresh token: widgets and providers alike', async () => {
    const first = await intranetToken();
    window.readyhand.configure({ api: env.api, site: 'intranet', token: first.token });
    const widget = await bare();
    const provider = await fixture<ReadyhandProvider>(
      html`<readyhand-provider api=${env.api} site="intranet"><ask-expert topic=${uniqueTopic('coded')}></ask-expert></readyhand-provider>`,
    );
    const inside = provider.querySelector('ask-expert')!;
    await until('both to sign in', () => widget.session.user && provider.session.user);
    expect(inside.session).to.equal(provider.session);

    const next = await intranetToken();
    window.readyhand.setToken(next.token);
    await until('both to take the new token', () => widget.session.user?.name === next.name && provider.session.user?.name === next.name);
    expect(inside.session.user).to.include({ name: next.name, guest: false });

    // The host signs its user out: every session on the page ends, none is renewed from the old token.
    window.readyhand.setToken('');
    await until('both signed out', () => !widget.session.user && !provider.session.user);
    expect(inside.session.user).to.equal(null);
  });
});
