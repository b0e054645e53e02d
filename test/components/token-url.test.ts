/// <reference types="mocha" />
// `token-url`: an intranet serves its learner's identity token from its own
// origin (web-test-runner.config.mjs mints 70 s tokens at /intranet/token for
// the `intranet_user` cookie), and the widget signs in with it, and again
// before the session runs out.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '@readyhand/ask-expert';
import type { AskExpert } from '@readyhand/ask-expert';
import type { ApiError } from '@readyhand/core';
import { env, uniqueTopic, until } from './helpers.js';

const tokensMinted = () => executeServerCommand<number, undefined>('intranet-tokens');

let learners = 0;
/** Signs a learner in to "the intranet" (its cookie), and returns the name its tokens carry. */
function intranetLearner() {
  const name = `Intranet Learner ${Date.now().toString(36)} ${learners++}`;
  document.cookie = `intranet_user=${encodeURIComponent(name)}; path=/`;
  return name;
}

const mount = () =>
  fixture<AskExpert>(
    html`<ask-expert api=${env.api} site="intranet" token-url="/intranet/token" topic=${uniqueTopic('token')}></ask-expert>`,
  );

/** Records what the page fetches, and the timers it sets for longer than a minute, while `run` runs. */
async function watching<T>(run: () => Promise<T>) {
  const fetches: { url: string; init?: RequestInit }[] = [];
  const timers: { callback: () => void; ms: number; at: number }[] = [];
  const realFetch = window.fetch;
  const realSetTimeout = window.setTimeout;
  window.fetch = (input, init) => (fetches.push({ url: String(input), init }), realFetch(input, init));
  window.setTimeout = ((callback: () => void, ms = 0, ...rest: unknown[]) => {
    if (ms > 60_000) timers.push({ callback, ms, at: Date.now() });
    return realSetTimeout(callback, ms, ...rest);
  }) as typeof window.setTimeout;
  try {
    return { result: await run(), fetches, timers };
  } finally {
    window.fetch = realFetch;
    window.setTimeout = realSetTimeout;
  }
}

beforeEach(() => localStorage.clear());
afterEach(() => (document.cookie = 'intranet_user=; path=/; max-age=0'));

describe('token-url', () => {
  it("signs the learner in with the token fetched, with the page's cookies, from the host's own origin", async () => {
    const name = intranetLearner();
    const before = await tokensMinted();
    const { result: el, fetches } = await watching(async () => {
      const el = await mount();
      await until('the learner to be signed in', () => el.session.user);
      return el;
    });
    expect(el.session.user).to.include({ name, guest: false });
    expect(await tokensMinted()).to.equal(before + 1);
    const tokenFetch = fetches.find((f) => new URL(f.url, location.href).pathname === '/intranet/token')!;
    expect(new URL(tokenFetch.url, location.href).origin).to.equal(location.origin);
    expect(tokenFetch.init?.credentials).to.equal('include');
  });

  it('reports a token endpoint that refuses (no intranet sign-in) as rh-error, and stays signed out', async () => {
    const errors: unknown[] = [];
    const before = await tokensMinted();
    const el = await fixture<AskExpert>(
      html`<ask-expert
        api=${env.api}
        site="intranet"
        token-url="/intranet/token"
        topic=${uniqueTopic('token')}
        @rh-error=${(e: CustomEvent) => errors.push(e.detail)}
      ></ask-expert>`,
    );
    await until('the token endpoint to be asked', async () => (await tokensMinted()) > before);
    await until('the failure to be reported', () => errors.length);
    expect(el.session.user).to.equal(null);
    // The host's refusal is reported as such, not as a token the API rejected.
    const [error] = errors as ApiError[];
    expect(error.status).to.equal(401);
    expect(error.details[0]?.field).to.equal('token-url');
  });

  it('fetches a fresh token a minute before the session expires, though the first token lived only 70 s', async () => {
    const name = intranetLearner();
    const { result: el, timers } = await watching(async () => {
      const el = await mount();
      await until('the learner to be signed in', () => el.session.user);
      return el;
    });
    const first = el.session.session!;
    const renewal = timers.at(-1)!;
    // Scheduled for one minute before the session's expiry (give or take the test's own pace).
    const due = renewal.at + renewal.ms;
    expect(Date.parse(first.expiresAt) - due).to.be.within(55_000, 65_000);

    // Rather than wait two hours, run the renewal now, as the timer would.
    const before = await tokensMinted();
    renewal.callback();
    await until('a new session', () => el.session.session?.sessionToken !== first.sessionToken);
    expect(await tokensMinted()).to.equal(before + 1);
    expect(el.session.user).to.include({ name, guest: false });
    expect(Date.parse(el.session.session!.expiresAt)).to.be.at.least(Date.parse(first.expiresAt));
  });
});
