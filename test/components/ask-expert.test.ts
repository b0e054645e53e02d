/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { Answer, Question } from '@readyhand/api/schemas';
import type { AskExpert } from '@readyhand/ask-expert';
import type { ApiError } from '@readyhand/core';
import {
  $,
  $$,
  askAs,
  env,
  guest,
  loaded,
  mount,
  post,
  questionsOf,
  signIn,
  text,
  type,
  uniqueTopic,
  until,
} from './helpers.js';

const gateway = (mode: 'up' | 'down' | 'slow' | 'lose-responses') => executeServerCommand('gateway', mode);
const focused = (el: AskExpert) => el.shadowRoot!.activeElement as HTMLElement | null;

beforeEach(() => localStorage.clear());
afterEach(() => gateway('up'));

describe('<ask-expert> states', () => {
  it('shows a skeleton that keeps its height while loading, and is accessible', async () => {
    await gateway('slow');
    const el = await mount({ api: env.gateway });
    const loading = $(el, '[part~="loading"]');
    expect(loading).to.exist;
    expect(loading!.getAttribute('aria-busy')).to.equal('true');
    expect(loading!.offsetHeight).to.be.greaterThan(100);
    await expect(el).to.be.accessible();
    await gateway('up');
    await until('content after loading', () => $(el, '[part~="empty"]'), 8000);
  });

  it('shows what happened and a Retry button when the API cannot be reached, and reports rh-error', async () => {
    const errors: ApiError[] = [];
    addEventListener('rh-error', (e) => errors.push(e.detail), { once: true });
    const el = await mount({ api: env.closed });
    await until('the error state', () => $(el, '[part~="error"]'));
    expect(text($(el, '[part~="error"] p'))).to.match(/can't reach readyhand/i);
    expect($(el, '[part~="retry"]')!.textContent).to.contain('Retry');
    await expect(el).to.be.accessible();
    await until('rh-error', () => errors.length);
    expect(errors[0]).to.include({ code: 'network', status: 0 });
  });

  it('recovers through Retry once the API is back', async () => {
    await gateway('down');
    const el = await mount({ api: env.gateway });
    await until('the error state', () => $(el, '[part~="retry"]'));
    await gateway('up');
    $(el, '[part~="retry"]')!.click();
    await until('the empty state', () => $(el, '[part~="empty"]'));
  });

  it('invites to be first on an empty topic', async () => {
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="empty"]'))).to.match(/be the first to ask/i);
    await expect(el).to.be.accessible();
  });

  it("lists the topic's questions with their parts, as text only, and is accessible", async () => {
    const topic = uniqueTopic('content');
    const other = await guest('Ada Lovelace');
    await askAs(other, topic, 'How do I roll back a deployment?', 'Details here');
    await askAs(other, topic, '<img src=x onerror="window.pwned=1"> is this safe?');
    const el = await mount({ topic });
    await loaded(el);
    const items = $$(el, 'li[part~="question"]');
    expect(items).to.have.length(2);
    for (const part of ['base', 'list', 'item', 'author', 'avatar', 'meta', 'count', 'vote', 'filter', 'sort', 'title']) {
      expect($(el, `[part~="${part}"]`), part).to.exist;
    }
    expect(text(items[1]!.querySelector('[part~="author"]'))).to.equal('Ada Lovelace');
    expect(text(items[1]!.querySelector('[part~="avatar"]'))).to.equal('AL');
    expect(items[0]!.querySelector('img')).to.equal(null);
    expect(text(items[0])).to.contain('<img src=x');
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    expect($(el, 'time')!.textContent).to.match(/now|second|minute/);
    await expect(el).to.be.accessible();
  });

  it('loads more on demand and moves focus to the first new question', async () => {
    const topic = uniqueTopic('more');
    const other = await guest('Many Questions');
    for (let i = 0; i < 12; i++) await askAs(other, topic, `Question number ${i} about paging`);
    const el = await mount({ topic });
    await loaded(el);
    expect($$(el, 'li[part~="question"]')).to.have.length(10);
    $(el, '[part~="more"]')!.click();
    await until('two more questions', () => $$(el, 'li[part~="question"]').length === 12);
    expect($(el, '[part~="more"]')).to.equal(null);
    await until('focus on the first new question', () => focused(el)?.textContent?.includes('number 1 '));
  });

  it('filters answered / open / mine and sorts by votes', async () => {
    const topic = uniqueTopic('filter');
    const other = await guest('Filter Asker');
    const helper = await guest('Filter Helper');
    const answered = await askAs(other, topic, 'This one gets an answer');
    const open = await askAs(other, topic, 'This one stays open for now');
    const answer = await post<Answer>(`/v1/questions/${answered.id}/answers`, helper.sessionToken, { body: 'Here it is' });
    await post(`/v1/questions/${answered.id}/accept`, other.sessionToken, { answerId: answer.id });
    await post(`/v1/questions/${open.id}/vote`, helper.sessionToken, { value: 1 });
    const el = await mount({ topic });
    await signIn(el);
    await loaded(el);
    const titles = () => $$(el, 'li[part~="question"] [part~="title"]').map(text);
    const filter = (label: string) =>
      $$(el, '[part~="filter"] button').find((b) => text(b) === label)!.click();

    filter('Answered');
    await until('answered only', () => titles().join() === 'This one gets an answer');
    await until('the count announced', () => text($(el, '[part~="live"]')) === '1 question shown');
    expect($(el, 'li[part~="question"] [part~="badge"]')).to.exist;
    filter('Open');
    await until('open only', () => titles().join() === 'This one stays open for now');
    filter('Mine');
    await until('mine: none', () => $(el, '[part~="empty"]'));
    filter('All');
    await until('both', () => titles().length === 2);
    const sort = $<HTMLSelectElement>(el, '[part~="sort"] select')!;
    sort.value = 'votes';
    sort.dispatchEvent(new Event('change'));
    await until('top voted first', () => titles()[0] === 'This one stays open for now');
  });
});

describe('<ask-expert> asking', () => {
  it('shows similar questions while the title is typed, with one request per pause', async () => {
    const topic = uniqueTopic('similar');
    const other = await guest('Similar Asker');
    await askAs(other, topic, 'How do I configure the ingress controller?');
    const el = await mount({ topic });
    await signIn(el);
    const requests: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).includes('/similar')) requests.push(String(input));
      return realFetch(input, init);
    };
    try {
      const title = $<HTMLInputElement>(el, '#title')!;
      for (const value of ['ingr', 'ingre', 'ingres', 'ingress']) type(title, value);
      await until('similar questions', () => $(el, '[part~="similar"] li'));
      expect(text($(el, '[part~="similar"] li button'))).to.equal('How do I configure the ingress controller?');
      expect(requests).to.have.length(1);
      expect(requests[0]).to.contain('q=ingress').and.to.contain('site=demo');
      await until('announced', () => text($(el, '[part~="live"]')).match(/1 similar/));
      $(el, '[part~="similar"] li button')!.click();
      await until('the similar question open', () => text($(el, '#detail-title')) === 'How do I configure the ingress controller?');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('signs in a guest, asks, fires rh-question-asked and opens the new question', async () => {
    const topic = uniqueTopic('ask');
    const el = await mount({ topic });
    await until('the guest sign-in form', () => $(el, 'form[part~="sign-in"]'));
    expect($(el, 'form[part~="ask"]')).to.equal(null);
    const name = $<HTMLInputElement>(el, '#guest')!;
    name.value = 'Grace Hopper';
    const signedIn = oneEvent(el, 'rh-signed-in');
    $<HTMLButtonElement>(el, 'form[part~="sign-in"] [part~="submit"]')!.click();
    expect((await signedIn).detail).to.include({ name: 'Grace Hopper', guest: true });
    await until('the ask form', () => $(el, 'form[part~="ask"]'));
    await until('focus on the title field', () => focused(el)?.id === 'title');

    type($<HTMLInputElement>(el, '#title')!, 'What does a readiness probe do?');
    type($<HTMLTextAreaElement>(el, '#body')!, 'And how is it different from liveness?');
    const asked = oneEvent(el, 'rh-question-asked');
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
    const { detail } = (await asked) as CustomEvent<Question>;
    expect(detail).to.include({ title: 'What does a readiness probe do?', topic, anonymous: false, mine: true });
    expect(detail.author!.name).to.equal('Grace Hopper');
    await until('the question open', () => text($(el, '#detail-title')) === 'What does a readiness probe do?');
    await until('focus on its heading', () => focused(el)?.id === 'detail-title');
    expect(text($(el, '[part~="question"] [part~="body"]'))).to.equal('And how is it different from liveness?');
    expect(text($(el, '[part~="live"]'))).to.match(/question was posted/i);
    expect(await questionsOf(topic)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('asks anonymously where the site allows it', async () => {
    const topic = uniqueTopic('anon');
    const el = await mount({ topic });
    await signIn(el, 'Shy Learner');
    await until('the anonymous checkbox', () => $(el, '[part~="anonymous"]'));
    type($<HTMLInputElement>(el, '#title')!, 'Is it fine to ask a basic question?');
    $<HTMLInputElement>(el, '[part~="anonymous"]')!.click();
    const asked = oneEvent(el, 'rh-question-asked');
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
    const { detail } = (await asked) as CustomEvent<Question>;
    expect(detail.anonymous).to.equal(true);
    expect(detail.author).to.equal(null);
    await until('the question open', () => $(el, '#detail-title'));
    expect(text($(el, '[part~="question"] [part~="author"]'))).to.equal('Anonymous (you)');
    const [listed] = await questionsOf(topic);
    expect(listed!.author).to.equal(null);
    expect(JSON.stringify(listed)).not.to.contain('Shy Learner');
  });

  it("sends a question anonymously as ticked even before the site's settings are known (a draft resent at load)", async () => {
    const topic = uniqueTopic('anonearly');
    const el = await mount({ topic });
    await signIn(el, 'Early Shy Learner');
    await until('the anonymous checkbox', () => $(el, '[part~="anonymous"]'));
    type($<HTMLInputElement>(el, '#title')!, 'Asked before the site was known?');
    $<HTMLInputElement>(el, '[part~="anonymous"]')!.click();
    // As when a pending draft is resent on the next load while GET /v1/site is still on its way.
    const { site } = el.session;
    el.session.site = null;
    try {
      const asked = oneEvent(el, 'rh-question-asked');
      $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
      const { detail } = (await asked) as CustomEvent<Question>;
      expect(detail.anonymous).to.equal(true);
      expect(detail.author).to.equal(null);
    } finally {
      el.session.site = site;
    }
    const [listed] = await questionsOf(topic);
    expect(JSON.stringify(listed)).not.to.contain('Early Shy Learner');
  });

  it("shows the API's validation error next to the named field and keeps the draft", async () => {
    const el = await mount();
    await signIn(el);
    type($<HTMLInputElement>(el, '#title')!, 'Short');
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
    await until('the title error', () => $(el, '#title-error'));
    expect(text($(el, '#title-error'))).to.match(/title must be 8 to 160 characters/);
    const title = $<HTMLInputElement>(el, '#title')!;
    expect(title.getAttribute('aria-invalid')).to.equal('true');
    expect(title.getAttribute('aria-describedby')).to.equal('title-error');
    expect(title.value).to.equal('Short');
    await until('focus on the field', () => focused(el) === title);
    await expect(el).to.be.accessible();
  });

  it('is usable with the keyboard alone', async () => {
    const topic = uniqueTopic('keys');
    const el = await mount({ topic });
    await signIn(el, 'Keyboard User');
    await loaded(el);
    const tabTo = async (id: string) => {
      for (let i = 0; i < 25 && focused(el)?.id !== id; i++) await sendKeys({ press: 'Tab' });
      expect(focused(el)?.id, `Tab reaches #${id}`).to.equal(id);
    };
    (document.activeElement as HTMLElement | null)?.blur();
    await tabTo('title');
    await sendKeys({ type: 'Can I do everything from the keyboard?' });
    await tabTo('body');
    await sendKeys({ type: 'Without a mouse.' });
    const asked = oneEvent(el, 'rh-question-asked');
    await sendKeys({ press: 'Tab' }); // the anonymous checkbox
    await sendKeys({ press: 'Tab' }); // Ask
    expect(focused(el)?.getAttribute('part')).to.equal('submit');
    await sendKeys({ press: 'Enter' });
    await asked;
    await until('focus on the new question', () => focused(el)?.id === 'detail-title');
    // Back to the list with the keyboard: focus returns to the question in the list.
    await sendKeys({ down: 'Shift' });
    for (let i = 0; i < 3 && focused(el)?.getAttribute('part') !== 'back'; i++) await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)?.getAttribute('part')).to.equal('back');
    await sendKeys({ press: 'Enter' });
    await until('focus on the question in the list', () => focused(el)?.id?.startsWith('q-'));
  });
});

describe('<ask-expert> answers, accepting and voting', () => {
  it('answers a question, fires rh-answer-posted and focuses the new answer', async () => {
    const topic = uniqueTopic('answer');
    const asker = await guest('Asker');
    const question = await askAs(asker, topic, 'Where are the logs of a crashed pod?');
    const el = await mount({ topic });
    await signIn(el, 'Helpful Colleague');
    await loaded(el);
    $(el, `#q-${question.id}`)!.click();
    await until('the open question', () => $(el, 'form[part~="answer-form"]'));
    expect(text($(el, '[part~="question"] [part~="empty"]'))).to.match(/no answers yet/i);
    await until('focus on the question heading', () => focused(el)?.id === 'detail-title');
    type($<HTMLTextAreaElement>(el, '#answer')!, 'kubectl logs --previous <pod>');
    const posted = oneEvent(el, 'rh-answer-posted');
    $<HTMLButtonElement>(el, 'form[part~="answer-form"] [part~="submit"]')!.click();
    const { detail } = (await posted) as CustomEvent<Answer>;
    expect(detail).to.include({ questionId: question.id, body: 'kubectl logs --previous <pod>', mine: true });
    await until('the answer listed and focused', () => focused(el)?.id === `a-${detail.id}`);
    expect(text($(el, `#a-${detail.id} [part~="body"]`))).to.equal('kubectl logs --previous <pod>');
    expect($<HTMLTextAreaElement>(el, '#answer')!.value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('lets the asker accept an answer, accepted first, with rh-answer-accepted', async () => {
    const topic = uniqueTopic('accept');
    let el = await mount({ topic });
    await signIn(el, 'Question Owner');
    const mine = await post<Question>('/v1/questions', el.session.session!.sessionToken, {
      topic,
      title: 'Which answer is right, the first or second?',
      body: '',
      anonymous: false,
    });
    const first = await guest('First Answerer');
    const second = await guest('Second Answerer');
    await post(`/v1/questions/${mine.id}/answers`, first.sessionToken, { body: 'The first one' });
    const right = await post<Answer>(`/v1/questions/${mine.id}/answers`, second.sessionToken, { body: 'The second one' });
    // A reload: the guest session kept in localStorage keeps the learner's identity.
    el.remove();
    el = await mount({ topic });
    expect(el.session.user?.name).to.equal('Question Owner');
    await until('my question listed', () => $(el, `#q-${mine.id}`));
    $(el, `#q-${mine.id}`)!.click();
    await until('two answers', () => $$(el, 'li[part~="answer"]').length === 2);
    expect($$(el, '[part~="accept"]')).to.have.length(2);
    const accepted = oneEvent(el, 'rh-answer-accepted');
    $<HTMLButtonElement>(el, `#a-${right.id} [part~="accept"]`)!.click();
    const { detail } = (await accepted) as CustomEvent<Answer>;
    expect(detail).to.include({ id: right.id, accepted: true });
    await until('the accepted answer first', () => $$(el, 'li[part~="answer"]')[0]?.id === `a-${right.id}`);
    const top = $$(el, 'li[part~="answer"]')[0]!;
    expect(top.getAttribute('part')).to.contain('accepted');
    expect(text(top.querySelector('[part~="badge"]'))).to.match(/accepted answer/i);
    expect($$(el, '[part~="accept"]')).to.have.length(1);
  });

  it('does not offer accepting to someone who neither asked nor is an expert', async () => {
    const topic = uniqueTopic('noaccept');
    const asker = await guest('Someone Else');
    const q = await askAs(asker, topic, 'Only the asker may accept here, right?');
    await post(`/v1/questions/${q.id}/answers`, (await guest('Answerer')).sessionToken, { body: 'Yes' });
    const el = await mount({ topic });
    await signIn(el, 'Bystander');
    await loaded(el);
    $(el, `#q-${q.id}`)!.click();
    await until('the answer', () => $(el, 'li[part~="answer"]'));
    expect($(el, '[part~="accept"]')).to.equal(null);
  });

  it('toggles a vote at once, and rolls it back with an error when the API fails', async () => {
    const topic = uniqueTopic('vote');
    const asker = await guest('Vote Asker');
    await askAs(asker, topic, 'Upvote me if this helps you too');
    const el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Voter');
    await until('the vote button enabled', () => $<HTMLButtonElement>(el, 'li [part~="vote"]:not([disabled])'));
    const vote = () => $<HTMLButtonElement>(el, 'li [part~="vote"]')!;
    const count = () => text(vote().querySelector('[part~="count"]'));
    expect(vote().getAttribute('aria-pressed')).to.equal('false');
    expect(count()).to.equal('0');

    vote().click();
    await el.updateComplete;
    expect(vote().getAttribute('aria-pressed'), 'optimistic').to.equal('true');
    expect(count()).to.equal('1');
    await until('the vote settled', () => !vote().disabled);
    const [stored] = await questionsOf(topic);
    expect(stored!.votes).to.equal(1);

    await gateway('down');
    const failed = oneEvent(el, 'rh-error');
    vote().click();
    await el.updateComplete;
    expect(count(), 'optimistic unvote').to.equal('0');
    expect(((await failed) as CustomEvent<ApiError>).detail.code).to.equal('network');
    await until('rolled back', () => count() === '1' && vote().getAttribute('aria-pressed') === 'true');
    expect(text($(el, '[part~="error"][role="alert"]'))).to.match(/can't reach/i);
  });
});

describe('<ask-expert> drafts', () => {
  it('keeps what was typed across a reload', async () => {
    const topic = uniqueTopic('draft');
    let el = await mount({ topic });
    await signIn(el, 'Draft Writer');
    type($<HTMLInputElement>(el, '#title')!, 'A question I will finish later');
    type($<HTMLTextAreaElement>(el, '#body')!, 'Half written');
    el.remove();
    el = await mount({ topic });
    await until('the ask form', () => $(el, '#title'));
    expect($<HTMLInputElement>(el, '#title')!.value).to.equal('A question I will finish later');
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('Half written');
  });

  it('keeps a draft whose send failed, and sends it exactly once when the API is back', async () => {
    const topic = uniqueTopic('resend');
    let el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Offline Learner');
    type($<HTMLInputElement>(el, '#title')!, 'Sent while the network was flaky');
    // The API stores the question, but its answer never reaches the browser.
    await gateway('lose-responses');
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
    await until('the send error', () => $(el, 'form[part~="ask"] [part~="error"]'));
    expect(text($(el, 'form[part~="ask"] [part~="error"]'))).to.match(/saved here and will be sent/i);
    expect($<HTMLInputElement>(el, '#title')!.value).to.equal('Sent while the network was flaky');
    expect(await questionsOf(topic)).to.have.length(1);

    // A reload while the API is unreachable keeps the draft.
    await gateway('down');
    el.remove();
    el = await mount({ topic, api: env.gateway });
    await until('the restored draft', () => $<HTMLInputElement>(el, '#title')?.value === 'Sent while the network was flaky');

    await gateway('up');
    const asked = oneEvent(el, 'rh-question-asked');
    // Every trigger at once: the online event, Retry, and the backoff timer.
    dispatchEvent(new Event('online'));
    dispatchEvent(new Event('online'));
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="retry"]')?.click();
    const { detail } = (await asked) as CustomEvent<Question>;
    expect(detail.title).to.equal('Sent while the network was flaky');
    await new Promise((r) => setTimeout(r, 300));
    const stored = await questionsOf(topic);
    expect(stored.map((q) => q.title)).to.deep.equal(['Sent while the network was flaky']);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('readyhand.draft:'))).to.deep.equal([]);
    await until('the form emptied', () => $(el, '#detail-title'));
  });

  it("keeps a learner's unsent question theirs: the next learner on the same computer neither sees nor sends it", async () => {
    const topic = uniqueTopic('shared-computer');
    let el = await mount({ topic, api: env.gateway });
    await signIn(el, 'First Learner');
    type($<HTMLInputElement>(el, '#title')!, 'A private question, still unsent');
    await gateway('down');
    $<HTMLButtonElement>(el, 'form[part~="ask"] [part~="submit"]')!.click();
    await until('the send error', () => $(el, 'form[part~="ask"] [part~="error"]'));
    el.session.signOut();

    // The next learner signs in on the same browser, and the API is back.
    await gateway('up');
    el.remove();
    el = await mount({ topic, api: env.gateway });
    const next = await signIn(el, 'Next Learner');
    await until('the ask form', () => $(el, '#title'));
    expect($<HTMLInputElement>(el, '#title')!.value).to.equal('');
    dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await questionsOf(topic), 'nothing sent under the next learner').to.deep.equal([]);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('readyhand.draft:') && k.includes(next.id))).to.deep.equal([]);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('readyhand.draft:'))).to.have.length(1, "the first learner's draft waits for them");
  });

  it('resends an answer typed while the API was down', async () => {
    const topic = uniqueTopic('answer-resend');
    const q = await askAs(await guest('Asker'), topic, 'Does an answer survive an outage?');
    const el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Answerer');
    await loaded(el);
    $(el, `#q-${q.id}`)!.click();
    await until('the answer form', () => $(el, '#answer'));
    type($<HTMLTextAreaElement>(el, '#answer')!, 'It does.');
    await gateway('down');
    $<HTMLButtonElement>(el, 'form[part~="answer-form"] [part~="submit"]')!.click();
    await until('the send error', () => $(el, 'form[part~="answer-form"] [part~="retry"]'));
    await gateway('up');
    const posted = oneEvent(el, 'rh-answer-posted');
    $<HTMLButtonElement>(el, 'form[part~="answer-form"] [part~="retry"]')!.click();
    await posted;
    const detail = await (await fetch(`${env.api}/v1/questions/${q.id}?site=demo`)).json();
    expect(detail.answers.map((a: Answer) => a.body)).to.deep.equal(['It does.']);
  });
  it('resends an answer when the API is back, whichever question is open by then', async () => {
    const topic = uniqueTopic('answer-elsewhere');
    const asker = await guest('Asker');
    const first = await askAs(asker, topic, 'Which question gets this answer?');
    const second = await askAs(asker, topic, 'A question opened in the meantime');
    const el = await mount({ topic, api: env.gateway });
    await signIn(el, 'Busy Answerer');
    await loaded(el);
    $(el, `#q-${first.id}`)!.click();
    await until('the answer form', () => $(el, '#answer'));
    type($<HTMLTextAreaElement>(el, '#answer')!, 'This one.');
    // The API stores the answer, but its response never reaches the browser.
    await gateway('lose-responses');
    $<HTMLButtonElement>(el, 'form[part~="answer-form"] [part~="submit"]')!.click();
    await until('the send error', () => $(el, 'form[part~="answer-form"] [part~="retry"]'));
    $(el, '[part~="back"]')!.click();
    await until('the list', () => $(el, `#q-${second.id}`));
    $(el, `#q-${second.id}`)!.click();
    await until('the other question open', () => text($(el, '#detail-title')) === 'A question opened in the meantime');

    await gateway('up');
    const posted = oneEvent(el, 'rh-answer-posted');
    dispatchEvent(new Event('online'));
    const { detail } = (await posted) as CustomEvent<Answer>;
    expect(detail).to.include({ questionId: first.id, body: 'This one.' });
    const stored = await (await fetch(`${env.api}/v1/questions/${first.id}?site=demo`)).json();
    expect(stored.answers.map((a: Answer) => a.body)).to.deep.equal(['This one.']);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('readyhand.draft:'))).to.deep.equal([]);
  });
});

describe('<ask-expert> identity', () => {
  it('is read-only with a hint where the site has no guests and no token is given', async () => {
    const el = await fixture<AskExpert>(
      html`<ask-expert api=${env.api} site="intranet" topic=${uniqueTopic('ro')}></ask-expert>`,
    );
    await loaded(el);
    await until('the hint', () => $(el, '[part~="sign-in"]'));
    expect(text($(el, '[part~="sign-in"]'))).to.match(/to ask or answer, sign in/i);
    expect($(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
