/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import type { Me } from '@readyhand/api/schemas';
import type { AskExpert } from '@readyhand/ask-expert';
import { ApiClient, ApiError, SessionStore, askQuestion, deriveTopicFromPath, listExperts } from '@readyhand/core';
import '@readyhand/core/provider.js';
import type { ReadyhandProvider } from '@readyhand/core/provider.js';
import { $, askAs, env, guest, loaded, mount, signIn, text, uniqueTopic, until } from './helpers.js';

beforeEach(() => localStorage.clear());

/** A host-signed identity token, as the intranet's own server would mint it. */
async function hostToken(claims: Record<string, unknown>) {
  const b64 = (data: string | ArrayBuffer) =>
    btoa(typeof data === 'string' ? data : String.fromCharCode(...new Uint8Array(data)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(
    JSON.stringify({ site: 'intranet', iat: now, exp: now + 3600, ...claims }),
  )}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode((env as unknown as { intranetSecret: string }).intranetSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `${unsigned}.${b64(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned)))}`;
}

describe('deriveTopicFromPath', () => {
  it('turns a page path into a topic key', () => {
    expect(deriveTopicFromPath('/examples/intranet.html')).to.equal('examples/intranet');
    expect(deriveTopicFromPath('/')).to.equal('home');
    expect(deriveTopicFromPath('')).to.equal('home');
    expect(deriveTopicFromPath('/Docs/Kubernetes/')).to.equal('docs/kubernetes');
    expect(deriveTopicFromPath('/course 101/week%203.aspx')).to.equal('course101/week203');
  });

  it('is what a bare <ask-expert> uses', async () => {
    const el = await fixture<AskExpert>(html`<ask-expert api=${env.api} site="demo"></ask-expert>`);
    expect(el.topicKey).to.equal(deriveTopicFromPath(location.pathname));
    await loaded(el);
  });
});

describe('ApiClient', () => {
  it('turns the API error shape into a typed ApiError with the field details', async () => {
    const session = await guest('Client Tester');
    const client = new ApiClient(env.api, 'demo');
    client.token = session.sessionToken;
    const error = await askQuestion(client, { topic: 'x', title: 'short' }).catch((e) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error).to.include({ status: 400, code: 'validation_failed', retryable: false });
    expect(error.details[0]).to.include({ field: 'title' });
  });

  it('reports an unreachable API as a retryable network error, and passes the abort signal', async () => {
    const error = await listExperts(new ApiClient(env.closed, 'demo'), 'x').catch((e) => e);
    expect(error).to.include({ status: 0, code: 'network', retryable: true });
    const controller = new AbortController();
    const call = listExperts(new ApiClient(env.api, 'demo'), 'x', { signal: controller.signal });
    controller.abort();
    expect((await call.catch((e) => e)).name).to.equal('AbortError');
  });

  it('adds ?site= to every request', async () => {
    const urls: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => (urls.push(String(input)), realFetch(input, init));
    try {
      const el = await mount();
      await loaded(el);
      await signIn(el);
    } finally {
      window.fetch = realFetch;
    }
    expect(urls.length).to.be.greaterThan(3);
    for (const url of urls) expect(new URL(url).searchParams.get('site'), url).to.equal('demo');
  });
});

describe('SessionStore', () => {
  it('keeps a guest session per API and site across a reload, and drops an expired one', async () => {
    const first = new SessionStore(new ApiClient(env.api, 'demo'));
    const me = (await first.signInAsGuest('Persistent Guest'))!;
    const again = new SessionStore(new ApiClient(env.api, 'demo'));
    expect(again.user?.id).to.equal(me.id);
    expect(again.client.token).to.equal(first.session!.sessionToken);
    expect(new SessionStore(new ApiClient(env.api, 'intranet')).user).to.equal(null);

    const key = `readyhand.session:${env.api}|demo`;
    localStorage.setItem(key, JSON.stringify({ ...first.session, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    expect(new SessionStore(new ApiClient(env.api, 'demo')).user).to.equal(null);
    expect(localStorage.getItem(key)).to.equal(null);
  });

  it('signs out when the API rejects the session token', async () => {
    const store = new SessionStore(new ApiClient(env.api, 'demo'));
    await store.signInAsGuest('Soon Expired');
    store.client.token = 'not-a-session';
    await askQuestion(store.client, { topic: 'x', title: 'A title long enough' }).catch(() => {});
    expect(store.user).to.equal(null);
  });
  it('leaves no listener on the page once the widget that built it is removed', async () => {
    // The store follows guest sign-ins of other stores through a window event.
    const listening = new Set<unknown>();
    const { addEventListener: add, removeEventListener: remove } = window;
    window.addEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
      if (type === 'rh-session-stored') listening.add(listener);
      add.call(window, type, listener, options as AddEventListenerOptions);
    };
    window.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
      if (type === 'rh-session-stored') listening.delete(listener);
      remove.call(window, type, listener, options as EventListenerOptions);
    };
    try {
      const el = await mount();
      await loaded(el);
      expect(listening.size).to.equal(1);
      el.remove();
      expect(listening.size).to.equal(0);
    } finally {
      delete (window as { addEventListener?: unknown }).addEventListener;
      delete (window as { removeEventListener?: unknown }).removeEventListener;
    }
  });
});

describe('identity from the host', () => {
  it('exchanges the token attribute for a session; an expert of the topic may accept', async () => {
    const topic = uniqueTopic('expert');
    const signedIn: Me[] = [];
    const token = await hostToken({ sub: 'u-42', name: 'Erin Expert', expert_topics: [topic] });
    // An intranet learner asks and someone answers, through the same site.
    const asker = await (
      await fetch(`${env.api}/v1/session?site=intranet`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: 'intranet', token: await hostToken({ sub: 'u-1', name: 'Ian Intranet' }) }),
      })
    ).json();
    const q = await (
      await fetch(`${env.api}/v1/questions?site=intranet`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${asker.sessionToken}` },
        body: JSON.stringify({ topic, title: 'Who decides on the accepted answer?', body: '', anonymous: false }),
      })
    ).json();
    await fetch(`${env.api}/v1/questions/${q.id}/answers?site=intranet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${asker.sessionToken}` },
      body: JSON.stringify({ body: 'I think the asker does.' }),
    });

    const el = await fixture<AskExpert>(
      html`<ask-expert
        api=${env.api}
        site="intranet"
        topic=${topic}
        token=${token}
        @rh-signed-in=${(e: CustomEvent<Me>) => signedIn.push(e.detail)}
      ></ask-expert>`,
    );
    await until('the host session', () => el.session.user);
    expect(el.session.user).to.include({ name: 'Erin Expert', guest: false });
    expect(signedIn.map((u) => u.name)).to.deep.equal(['Erin Expert']);
    await until('the signed-in line', () => /Signed in as Erin Expert/.test(text($(el, '[part~="sign-in"]'))));
    expect($(el, '[part~="anonymous"]'), 'the intranet site has no anonymous questions').to.equal(null);
    await loaded(el);
    $(el, `#q-${q.id}`)!.click();
    await until('the accept button for the expert', () => $(el, '[part~="accept"]'));
  });
});

describe('<readyhand-provider>', () => {
  it('gives any number of widgets one client and one session', async () => {
    let signals = 0;
    const wrapper = await fixture<HTMLDivElement>(html`<div @rh-signed-in=${() => signals++}>
      <readyhand-provider api=${env.api} site="demo">
        <ask-expert topic=${uniqueTopic('p1')}></ask-expert>
        <section><ask-expert topic=${uniqueTopic('p2')}></ask-expert></section>
      </readyhand-provider>
    </div>`);
    const provider = wrapper.querySelector<ReadyhandProvider>('readyhand-provider')!;
    const [a, b] = [...wrapper.querySelectorAll<AskExpert>('ask-expert')];
    expect(a!.session).to.equal(provider.session);
    expect(b!.session).to.equal(provider.session);
    expect(a!.client).to.equal(b!.client);
    expect(a!.client.api).to.equal(env.api);
    await signIn(a!, 'Shared Learner');
    await until('the second widget signed in too', () => $(b!, 'form[part~="ask"]'));
    expect(text($(b!, '[part~="sign-in"]'))).to.contain('Shared Learner');
    expect(signals).to.equal(1);
  });
});

describe('hidden', () => {
  it('hides a widget whose element carries the configurator’s display: block', async () => {
    const el = await fixture<AskExpert>(
      html`<ask-expert api=${env.api} site="demo" topic=${uniqueTopic('hidden')} hidden style="display: block; block-size: 36rem"></ask-expert>`,
    );
    expect(getComputedStyle(el).display).to.equal('none');
    el.hidden = false;
    expect(getComputedStyle(el).display).to.equal('block');
  });
});

describe('first render', () => {
  it('is not part of the task that added the widgets', async () => {
    const widgets = [1, 2, 3].map(() => Object.assign(document.createElement('ask-expert'), { api: env.api, site: 'demo', topic: uniqueTopic('first') }));
    document.body.append(...widgets);
    try {
      // Lit renders within a few microtasks of connecting: the page's task would hold all three renders.
      for (let i = 0; i < 50; i++) await null;
      expect(widgets.map((el) => !!$(el, '[part~="base"]'))).to.deep.equal([false, false, false]);
      await Promise.all(widgets.map((el) => el.updateComplete));
      expect(widgets.map((el) => !!$(el, '[part~="base"]'))).to.deep.equal([true, true, true]);
    } finally {
      for (const el of widgets) el.remove();
    }
  });
});

describe('themes', () => {
  it('renders dark values for theme="dark", accessibly', async () => {
    const topic = uniqueTopic('dark');
    await askAs(await guest('Night Owl'), topic, 'Does the dark theme have enough contrast?');
    const light = await mount({ topic });
    const dark = await fixture<AskExpert>(
      html`<ask-expert api=${env.api} site="demo" topic=${topic} theme="dark"></ask-expert>`,
    );
    await loaded(light);
    await loaded(dark);
    expect(getComputedStyle(dark).backgroundColor).not.to.equal(getComputedStyle(light).backgroundColor);
    await signIn(dark);
    await expect(dark).to.be.accessible();
  });
});
