import { fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Question, Session } from '@readyhand/api/schemas';
import '@readyhand/ask-expert';
import type { AskExpert } from '@readyhand/ask-expert';

/** Injected by web-test-runner.config.mjs: the real API, a switchable gateway to it, and a closed port. */
export const env = (window as unknown as { READYHAND_TEST: { api: string; gateway: string; closed: string } })
  .READYHAND_TEST;

/**
 * Switches the gateway in front of the API: up, down, failing (503), slow, losing POST responses, or
 * holding the answers to reads (read by the API at once, sent when the mode changes).
 */
export const gateway = (mode: 'up' | 'down' | 'fail' | 'slow' | 'lose-responses' | 'hold-reads') => executeServerCommand('gateway', mode);

let counter = 0;
/** A topic no other test uses, so each test starts from an empty topic. */
export const uniqueTopic = (name = 't') => `test/${name}-${Date.now().toString(36)}-${counter++}`;

export const $ = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
export const $$ = <T extends Element = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
export const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Waits for the widget's finite animations (an item sliding in is faint until it ends): for contrast checks. */
export const animationsDone = (el: Element) =>
  Promise.all(
    el.shadowRoot!
      .getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished),
  );

export function until(what: string, predicate: () => unknown, timeout = 5000) {
  return waitUntil(predicate, `timed out waiting for ${what}`, { timeout, interval: 20 });
}

export async function mount(
  attrs: { topic?: string; api?: string; site?: string; token?: string } = {},
): Promise<AskExpert> {
  const el = await fixture<AskExpert>(
    html`<ask-expert api=${attrs.api ?? env.api} site=${attrs.site ?? 'demo'} topic=${attrs.topic ?? uniqueTopic()}></ask-expert>`,
  );
  return el;
}

/** Waits for the widget's list to leave the loading state. */
export const loaded = (el: AskExpert) =>
  until('the list to load', () => $(el, '[part~="list"][aria-label], [part~="empty"], [part~="error"]'));

/**
 * Every EventSource the page opens while this test file runs, in order, and when each was opened
 * (call it at the top of a file: it registers the file's `before` and `after`).
 */
export function eventSources() {
  const opened: EventSource[] = [];
  const openedAt = new Map<EventSource, number>();
  const RealEventSource = window.EventSource;
  before(() => {
    window.EventSource = class extends RealEventSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
        openedAt.set(this, performance.now());
      }
    };
  });
  after(() => {
    window.EventSource = RealEventSource;
  });
  return { opened, openedAt };
}

/** Types into a field the way a learner does (value + input event). */
export function type(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.focus();
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** A guest session straight from the API, for content made by someone else. */
export async function guest(name: string, api = env.api): Promise<Session> {
  const res = await fetch(`${api}/v1/session?site=demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'demo', guestName: name }),
  });
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function post<T>(path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(`${env.api}${path}?site=demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const askAs = (session: Session, topic: string, title: string, body = '') =>
  post<Question>('/v1/questions', session.sessionToken, { topic, title, body, anonymous: false });

export async function questionsOf(topic: string): Promise<Question[]> {
  const res = await fetch(`${env.api}/v1/questions?site=demo&topic=${encodeURIComponent(topic)}&limit=50`);
  return (await res.json()).items;
}

/** Waits for a signed-in widget's forms, which load with the sign-in (draft-form.js and the widget's own). */
export const formsShown = (el: Element) => until("the widget's forms", () => $(el, 'form:not([part~="sign-in"])'));

/** Signs the widget in as a fresh guest through its own session store, and waits for its forms. */
export async function signIn(el: Element & Pick<AskExpert, 'session' | 'updateComplete'>, name = `Guest ${counter++}`) {
  await until('the site settings', () => el.session.site);
  await el.session.signInAsGuest(name);
  await el.updateComplete;
  await formsShown(el);
  return el.session.user!;
}
