/// <reference types="mocha" />
import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import '@readyhand/kudos-wall';
import '@readyhand/share-tip';
import type { ShareTip } from '@readyhand/share-tip';
import type { AskExpert } from '@readyhand/ask-expert';
import { ApiClient, deriveTopicFromPath, subscribe } from '@readyhand/core';
import { $, $$, animationsDone, askAs, env, eventSources, gateway, guest, loaded, mount, post, signIn, text, type, uniqueTopic, until } from './helpers.js';

/** Every EventSource the page opens, and when. */
const { opened, openedAt } = eventSources();
beforeEach(() => {
  localStorage.clear();
  opened.length = 0;
});

const live = () => opened.filter((s) => s.readyState !== EventSource.CLOSED);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The stream is open: what happens from now on reaches the page. */
const streaming = () => until('the stream open', () => live().some((s) => s.readyState === EventSource.OPEN));

describe('live updates: one stream per API and site', () => {
  it('shares one EventSource between widgets, with the union of their scopes, and closes it when nobody listens', async () => {
    const topic = uniqueTopic('hub');
    const wall = uniqueTopic('hubwall');
    const box = await fixture<HTMLDivElement>(html`<div>
      <ask-expert api=${env.api} site="demo" topic=${topic}></ask-expert>
      <kudos-wall api=${env.api} site="demo" wall=${wall}></kudos-wall>
    </div>`);
    await until('one stream', () => live().length === 1);
    await pause(100);
    expect(opened).to.have.length(1, 'both widgets subscribed in one go: one connection');
    const url = new URL(live()[0]!.url);
    expect(url.pathname).to.equal('/v1/stream');
    expect(url.searchParams.get('site')).to.equal('demo');
    expect(url.searchParams.get('topics')).to.equal(topic);
    expect(url.searchParams.get('walls')).to.equal(wall);

    // A third widget with another scope: the stream reconnects with all three.
    const other = uniqueTopic('hub2');
    const third = document.createElement('ask-expert');
    Object.assign(third, { api: env.api, site: 'demo', topic: other });
    box.append(third);
    await until('a stream for all three', () => live().length === 1 && live()[0] !== opened[0]);
    expect(new URL(live()[0]!.url).searchParams.get('topics')!.split(',').sort()).to.deep.equal([topic, other].sort());

    box.querySelector('kudos-wall')!.remove();
    await until('a stream without the wall', () => !new URL(live()[0]!.url).searchParams.has('walls'));
    box.remove();
    await until('no stream at all', () => live().length === 0);
  });

  it('delivers each event to the subscribers of its scope only', async () => {
    const topic = uniqueTopic('deliver');
    const client = new ApiClient(env.api, 'demo');
    const mine: string[] = [];
    const others: string[] = [];
    const leave = subscribe(client, `topics:${topic}`, (e) => e.type === 'question.asked' && mine.push(e.question.title));
    const leaveOther = subscribe(client, `topics:${uniqueTopic('elsewhere')}`, (e) => others.push(e.type));
    try {
      await streaming();
      await askAs(await guest('Streamer'), topic, 'Does this arrive by itself?');
      await until('the event', () => mine.length === 1);
      expect(mine).to.deep.equal(['Does this arrive by itself?']);
      expect(others).to.deep.equal([]);
    } finally {
      leave();
      leaveOther();
    }
  });
});

describe('live updates: reconnecting', () => {
  afterEach(() => gateway('up'));

  it('reopens after an HTTP error with backoff, resuming after the last event received', async function () {
    this.timeout(20_000);
    const topic = uniqueTopic('resume');
    const asker = await guest('Resuming Asker');
    const client = new ApiClient(env.gateway, 'demo');
    const titles: string[] = [];
    const leave = subscribe(client, `topics:${topic}`, (e) => e.type === 'question.asked' && titles.push(e.question.title));
    let leaveOther = () => {};
    try {
      await streaming();
      await askAs(asker, topic, 'Before the failure');
      await until('the first event', () => titles.length === 1);

      // The API fails (HTTP 503) as a second scope makes the stream reopen: EventSource gives up on an HTTP error.
      await gateway('fail');
      leaveOther = subscribe(client, `walls:${uniqueTopic('resumewall')}`, () => {});
      await askAs(asker, topic, 'Asked while the stream was failing');
      await until('two failed reopenings', () => opened.length === 3 && opened[2]!.readyState === EventSource.CLOSED, 8000);
      await gateway('up');
      await until('the missed event, replayed', () => titles.length === 2, 8000);
      expect(titles).to.deep.equal(['Before the failure', 'Asked while the stream was failing']);

      const [, first, second, third] = opened;
      expect(opened).to.have.length(4);
      expect(third!.readyState).to.equal(EventSource.OPEN);
      // Backoff: a second, then two.
      expect(openedAt.get(second!)! - openedAt.get(first!)!).to.be.within(900, 1900);
      expect(openedAt.get(third!)! - openedAt.get(second!)!).to.be.within(1900, 3900);
      const resumedFrom = new Set(opened.slice(1).map((s) => new URL(s.url).searchParams.get('lastEventId')));
      expect(resumedFrom.size).to.equal(1);
      expect([...resumedFrom][0]).to.match(/^\d+$/);
    } finally {
      leave();
      leaveOther();
    }
  });
});

describe('<ask-expert> live', () => {
  afterEach(() => fixtureCleanup());

  it('shows new questions, answers and accepted answers without a reload', async () => {
    const topic = uniqueTopic('live');
    const asker = await guest('Live Asker');
    const first = await askAs(asker, topic, 'The question that was here first');
    const el = await mount({ topic });
    await loaded(el);
    await streaming();
    const requests: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if ((init?.method ?? 'GET') === 'GET') requests.push(String(input));
      return realFetch(input, init);
    };
    try {
      const second = await askAs(asker, topic, 'A question asked in the meantime');
      await until('the new question on top', () => text($$(el, 'li[part~="question"] [part~="title"]')[0]) === second.title);
      expect($$(el, 'li[part~="question"]')).to.have.length(2);
      await until('announced', () => text($(el, '[part~="live"]')) === `New question: ${second.title}`);

      const helper = await guest('Live Helper');
      await post<Answer>(`/v1/questions/${first.id}/answers`, helper.sessionToken, { body: 'Counted live' });
      await until('the answer counted', () => /1 answer/.test(text($(el, `#q-${first.id}`)!.closest('li'))));
      expect(requests.filter((r) => r.includes('/v1/questions')), 'merged, not refetched').to.deep.equal([]);
    } finally {
      window.fetch = realFetch;
    }

    $(el, `#q-${first.id}`)!.click();
    await until('the open question', () => $(el, '#detail-title'));
    const helper = await guest('Second Helper');
    const answer = await post<Answer>(`/v1/questions/${first.id}/answers`, helper.sessionToken, { body: 'Arrived while reading' });
    await until('the answer shown', () => $(el, `#a-${answer.id}`));
    expect($$(el, 'li[part~="answer"]')).to.have.length(2);
    await post(`/v1/questions/${first.id}/accept`, asker.sessionToken, { answerId: answer.id });
    await until('accepted, first', () => $$(el, 'li[part~="answer"]')[0]?.id === `a-${answer.id}` && $(el, '[part~="accepted"]'));
  });

  it('opens the question a kudos links to', async () => {
    const topic = uniqueTopic('link');
    const q = await askAs(await guest('Linked Asker'), topic, 'The question a kudos links back to');
    const el = await mount({ topic });
    await loaded(el);
    location.hash = `#rh-question-${topic}:${q.id}`;
    await until('the linked question open', () => text($(el, '#detail-title')) === q.title);
    history.replaceState(null, '', location.pathname + location.search);
  });
});

describe('<ask-expert> thanks for an accepted answer', () => {
  afterEach(() => fixtureCleanup());

  async function acceptAsAsker(anonymous: boolean) {
    const topic = uniqueTopic('thanks');
    let el: AskExpert = await mount({ topic });
    await signIn(el, 'Thankful Asker');
    const q = await post<Question>('/v1/questions', el.session.session!.sessionToken, {
      topic,
      title: 'Who deserves the thanks for this?',
      body: '',
      anonymous,
    });
    const answerer = await guest('Thanked Answerer');
    const a = await post<Answer>(`/v1/questions/${q.id}/answers`, answerer.sessionToken, { body: 'This does.' });
    el.remove();
    el = await mount({ topic });
    await until('my question listed', () => $(el, `#q-${q.id}`));
    $(el, `#q-${q.id}`)!.click();
    await until('the accept button', () => $(el, '[part~="accept"]'));
    $<HTMLButtonElement>(el, '[part~="accept"]')!.click();
    await until(anonymous ? 'the answer accepted' : 'the offer to thank', () => $(el, anonymous ? '[part~="accepted"]' : '[part~="thank"]'));
    return { el, q, a, answerer };
  }

  it('offers prefilled kudos for the answer, sent with one click and linking back to the question', async () => {
    const { el, q, a, answerer } = await acceptAsAsker(false);
    const offer = $(el, '[part~="thank"]')!;
    expect(text(offer)).to.contain('Thank Thanked Answerer with kudos?');
    expect(text(offer.querySelector('[part~="body"]'))).to.equal('Thank you for your answer!');
    await expect(el).to.be.accessible();
    const given = oneEvent(el, 'rh-kudos-given');
    offer.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    const { detail } = (await given) as CustomEvent<Kudos>;
    expect(detail.to.id).to.equal(answerer.user.id);
    expect(detail.wall, "the page's own wall").to.equal(deriveTopicFromPath(location.pathname));
    expect(detail.for).to.include({ questionId: q.id, answerId: a.id, questionTitle: q.title });
    await until('the offer gone', () => !$(el, '[part~="thank"]'));
    expect(text($(el, '[part~="live"]'))).to.equal('Kudos sent.');
  });

  it("sends them to the wall of the page's <kudos-wall>, which shows them", async () => {
    const wall = uniqueTopic('thankswall');
    const { el, answerer } = await acceptAsAsker(false);
    const board = document.createElement('kudos-wall');
    Object.assign(board, { api: env.api, site: 'demo', wall });
    el.after(board);
    try {
      await until('the wall, empty', () => $(board, '[part~="empty"]'));
      await streaming();
      const given = oneEvent(el, 'rh-kudos-given');
      $<HTMLButtonElement>(el, '[part~="thank"] [part~="submit"]')!.click();
      const { detail } = (await given) as CustomEvent<Kudos>;
      expect(detail.wall).to.equal(wall);
      await until('the thanks on the wall', () => $$(board, 'li[part~="kudos"]').length === 1);
      expect(text($(board, 'li[part~="kudos"] [part~="meta"]'))).to.contain(answerer.user.name);
    } finally {
      board.remove();
    }
  });

  it('offers no thanks for an answer to an anonymous question: kudos from the asker right then would show who asked', async () => {
    const { el } = await acceptAsAsker(true);
    await until('the answer shown accepted', () => $(el, '[part~="accepted"]'));
    expect($(el, '[part~="thank"]')).to.equal(null);
  });
});

describe('live updates: a stream the API cannot replay', () => {
  afterEach(() => fixtureCleanup());

  it('makes the widgets fetch what they show anew, then resumes from the reset', async () => {
    const topic = uniqueTopic('reset');
    const asked: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => (asked.push(String(input instanceof Request ? input.url : input)), realFetch(input, init));
    let leave = () => {};
    try {
      const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${topic}></share-tip>`);
      await until('the empty list', () => $(el, '[part~="empty"]'));
      await streaming();
      const fetches = () => asked.filter((url) => url.includes('/v1/tips?') && new URL(url).searchParams.get('topic') === topic).length;
      expect(fetches()).to.equal(1);
      // What the API sends a stream resuming after an event it no longer keeps (it keeps a week).
      const source = live()[0]!;
      source.dispatchEvent(new MessageEvent('reset', { data: '{}', lastEventId: '987654321' }));
      await until('the list fetched anew', () => fetches() === 2);
      expect($(el, '[part~="empty"]'), 'the list shown again').to.exist;

      // The next stream (another scope joins) resumes from the reset's id.
      leave = subscribe(new ApiClient(env.api, 'demo'), `walls:${uniqueTopic('resetwall')}`, () => {});
      await until('the stream reopened', () => live().length === 1 && live()[0] !== source);
      expect(new URL(live()[0]!.url).searchParams.get('lastEventId')).to.equal('987654321');
    } finally {
      leave();
      window.fetch = realFetch;
    }
  });
});

describe('<share-tip> live', () => {
  afterEach(() => fixtureCleanup());

  it('shows tips shared elsewhere without a reload, announced, and one\'s own tip once', async () => {
    const topic = uniqueTopic('livetip');
    const sharer = await guest('Tip Sharer');
    await post<Tip>('/v1/tips', sharer.sessionToken, { topic, body: 'Already here', tags: [] });
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${topic}></share-tip>`);
    await until('the tips', () => $(el, '[part~="list"]'));
    await streaming();
    const tips = () => $$(el, 'li[part~="tip"]');
    const bodies = () => tips().map((li) => text(li.querySelector('[part~="body"]')));

    await post<Tip>('/v1/tips', sharer.sessionToken, { topic, body: 'Arrived live', tags: ['news'] });
    await until('the live tip on top', () => bodies()[0] === 'Arrived live');
    expect(bodies()).to.deep.equal(['Arrived live', 'Already here']);
    expect(tips()[0]!.classList.contains('new')).to.equal(true);
    await until('announced', () => text($(el, '[part~="live"]')) === 'New tip from Tip Sharer');

    // Filtered by a tag, a tip without it stays out.
    el.tag = 'news';
    await until('the filtered list', () => bodies().join() === 'Arrived live');
    await post<Tip>('/v1/tips', sharer.sessionToken, { topic, body: 'Untagged, not shown here', tags: [] });
    await post<Tip>('/v1/tips', sharer.sessionToken, { topic, body: 'Tagged, shown', tags: ['news'] });
    await until('the tagged tip', () => bodies()[0] === 'Tagged, shown');
    expect(bodies()).to.deep.equal(['Tagged, shown', 'Arrived live']);

    // One's own tip comes back by the stream as well: shown once, as one's own.
    const streamed: string[] = [];
    const leave = subscribe(new ApiClient(env.api, 'demo'), `topics:${topic}`, (e) => e.type === 'tip.shared' && streamed.push(e.tip.id));
    el.tag = '';
    await signIn(el, 'Live Tip Author');
    await until('the form', () => $(el, '#body'));
    type($<HTMLTextAreaElement>(el, '#body')!, 'My own, shared here');
    $<HTMLButtonElement>(el, 'form[part~="share"] [part~="submit"]')!.click();
    await until('my tip on top', () => bodies()[0] === 'My own, shared here');
    const [mine] = (await (await fetch(`${env.api}/v1/tips?site=demo&sort=recent&limit=1&topic=${encodeURIComponent(topic)}`)).json()).items;
    await until('my tip streamed too', () => streamed.includes(mine.id));
    leave();
    await el.updateComplete;
    expect(bodies().filter((b) => b === 'My own, shared here')).to.have.length(1);
    expect($(el, `#t-${mine.id} [part~="edit"]`), 'mine: editable').to.exist;
    expect(text($(el, '[part~="live"]'))).to.equal('Your tip was shared.');
    // Mid slide-in, a tip is still faint.
    await animationsDone(el);
    await expect(el).to.be.accessible();
  });
});
