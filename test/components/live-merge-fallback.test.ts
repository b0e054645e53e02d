/// <reference types="mocha" />
// <ask-expert>'s live merge (ask-live.js, fetched with the first event) whose fetch fails for real.
// This file runs in a page of its own: no test has fetched the merge before.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { $$, askAs, eventSources, guest, loaded, mount, text, uniqueTopic, until } from './helpers.js';

const { opened } = eventSources();

const titles = (el: Element) => $$(el, 'li[part~="question"] [part~="title"]').map(text);

describe('<ask-expert> live, when its merge cannot be fetched', () => {
  it('fetches the list anew instead, so what others asked still shows', async () => {
    const topic = uniqueTopic('live-fallback');
    const asker = await guest('Fallback Asker');
    const first = await askAs(asker, topic, 'The question that was here first');
    const el = await mount({ topic });
    await loaded(el);
    await until('the stream open', () => opened.some((s) => s.readyState === EventSource.OPEN));
    await executeServerCommand('fail-next-fetch', 'ask-live');
    const requests: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      requests.push(String(input));
      return realFetch(input, init);
    };
    try {
      const second = await askAs(asker, topic, 'A question asked in the meantime');
      await until('the new question, fetched anew', () => titles(el).includes(second.title));
      expect(titles(el)).to.include(first.title);
      expect(
        requests.some((r) => new URL(r).pathname === '/v1/questions'),
        'the list was fetched anew',
      ).to.equal(true);
    } finally {
      window.fetch = realFetch;
    }
  });
});
