/// <reference types="mocha" />
// The widgets' side of moderation, against the real API: reporting a card with a
// reason, the author's own pending posts, and records a moderator hides (or
// approves) leaving (or reaching) other people's pages live.
import { expect, fixture, html } from '@open-wc/testing';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import '@readyhand/ask-expert';
import '@readyhand/kudos-wall';
import '@readyhand/share-tip';
import type { AskExpert } from '@readyhand/ask-expert';
import type { KudosWall } from '@readyhand/kudos-wall';
import type { ShareTip } from '@readyhand/share-tip';
import { $, $$, env, guest, post, signIn, text, type, uniqueTopic, until } from './helpers.js';
import { api, sessionOf } from './moderation-helpers.js';

type Widget = ShareTip | AskExpert | KudosWall;

const focused = (el: Widget) => el.shadowRoot!.activeElement as HTMLElement | null;
const live = (el: Widget) => text($(el, '[part="live"]'));

/** The card (list item) whose text includes `words`. */
const card = (el: Widget, words: string) => $$(el, 'li[part~="item"]').find((li) => text(li).includes(words));

beforeEach(() => localStorage.clear());

describe('widgets: Report', () => {
  it("offers Report on others' tips to a signed-in reader only, asks why, files the report and says so", async () => {
    const topic = uniqueTopic('report');
    const author = await guest('Tip Author');
    await post<Tip>('/v1/tips', author.sessionToken, { topic, body: 'A tip someone finds rude' });
    const el = await fixture<ShareTip>(html`<share-tip api=${env.api} site="demo" topic=${topic}></share-tip>`);
    await until('the tip', () => card(el, 'finds rude'));
    expect(card(el, 'finds rude')!.querySelector('[part~="report"]'), 'not signed in: nothing to report with').to.equal(null);

    await signIn(el, 'Tip Reader');
    await until('the list reloaded as the reader', () => card(el, 'finds rude')?.querySelector('summary'));
    const summary = card(el, 'finds rude')!.querySelector<HTMLElement>('summary')!;
    expect(text(summary)).to.equal('Report');
    summary.click();
    const details = card(el, 'finds rude')!.querySelector<HTMLDetailsElement>('details')!;
    expect(details.open).to.equal(true);
    // The form is fetched (report-form.js) on the first opening.
    await until('the report form', () => details.querySelector('input'));
    await expect(el).to.be.accessible();

    // No reason: the API's rule is shown, nothing is filed.
    details.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await until('the error', () => $(el, '[part~="error"]'));
    expect(text($(el, '[part~="error"]'))).to.contain('reason must be 1 to 500 characters');

    type(details.querySelector('input')!, 'Rude to a colleague');
    details.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await until('the confirmation', () => live(el).includes('Reported. Thank you.'));
    expect(details.open, 'the form closes').to.equal(false);
    expect(focused(el), 'focus goes back to Report').to.equal(summary);
    expect($(el, '[part~="error"]'), 'the earlier error is gone').to.equal(null);

    // The report is on file: the API refuses a second one from the same reader.
    summary.click();
    details.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await until('the refusal', () => $(el, '[part~="error"]'));
    expect(text($(el, '[part~="error"]'))).to.contain('already reported');
  });

  it('offers Report on questions, answers and kudos of others, never on your own', async () => {
    const topic = uniqueTopic('report-qa');
    const author = await guest('Asker');
    const q = await post<Question>('/v1/questions', author.sessionToken, { topic, title: 'Which port does the API use?', body: '', anonymous: false });
    await post<Answer>(`/v1/questions/${q.id}/answers`, author.sessionToken, { body: 'Port 8787 by default' });
    const ask = await fixture<AskExpert>(html`<ask-expert api=${env.api} site="demo" topic=${topic}></ask-expert>`);
    await signIn(ask, 'Reader of questions');
    await until('the question with Report', () => card(ask, 'Which port')?.querySelector('summary'));
    card(ask, 'Which port')!.querySelector<HTMLButtonElement>('[part~="title"]')!.click();
    await until('the answer with Report', () => $(ask, 'li[part~="answer"] summary'));
    await expect(ask).to.be.accessible();

    const wall = uniqueTopic('report-kudos');
    const el = await fixture<KudosWall>(html`<kudos-wall api=${env.api} site="demo" wall=${wall}></kudos-wall>`);
    await signIn(el, 'Thanked one');
    await post<Kudos>('/v1/kudos', author.sessionToken, { wall, to: el.session.user!.id, message: 'Thanks for the help', badge: 'helpful' });
    const mine = await post<Kudos>('/v1/kudos', el.session.session!.sessionToken, { wall, to: author.user.id, message: 'My own thanks', badge: 'helpful' });
    // Loaded anew (the same guest, from storage): live copies are as to a reader not signed in, the list says which are mine.
    const again = await fixture<KudosWall>(html`<kudos-wall api=${env.api} site="demo" wall=${wall}></kudos-wall>`);
    await until('both kudos', () => card(again, 'Thanks for the help') && card(again, mine.message));
    expect(card(again, 'Thanks for the help')!.querySelector('summary'), "someone else's kudos").to.not.equal(null);
    expect(card(again, mine.message)!.querySelector('summary'), 'your own kudos').to.equal(null);
  });
});

describe('widgets: pending and hidden records', () => {
  it("shows the author's own pending tip as pending, to nobody else, and brings it to others live once approved; a hide takes it away live", async () => {
    const topic = uniqueTopic('held');
    const moderator = await sessionOf('held', 'held-moderator', ['moderator']);
    const author = await fixture<ShareTip>(html`<share-tip api=${env.api} site="held" topic=${topic}></share-tip>`);
    // Another reader, on another origin of the same API so as not to share the author's stored session.
    const reader = await fixture<ShareTip>(html`<share-tip api=${env.gateway} site="held" topic=${topic}></share-tip>`);
    await until('the reader list', () => $(reader, '[part~="empty"]'));
    await signIn(author, 'New Member');
    await until('the form', () => $(author, 'textarea'));
    type($<HTMLTextAreaElement>(author, 'textarea')!, 'My first tip, waiting for a moderator');
    $<HTMLButtonElement>(author, 'form[part~="share"] [part~="submit"]')!.click();
    await until('the pending tip', () => card(author, 'waiting for a moderator'));
    const mine = card(author, 'waiting for a moderator')!;
    expect(text(mine.querySelector('[part~="pending"]'))).to.equal('Pending approval');
    expect(mine.querySelector('summary'), 'nobody reports their own tip').to.equal(null);
    await expect(author).to.be.accessible();

    const [tip] = (await api<{ items: Tip[] }>('held', 'GET', `/v1/tips?topic=${encodeURIComponent(topic)}`, author.session.session!.sessionToken)).items;
    expect(tip!.pending).to.equal(true);
    expect((await api<{ items: Tip[] }>('held', 'GET', `/v1/tips?topic=${encodeURIComponent(topic)}`)).items, 'not listed for others').to.deep.equal([]);
    expect($(reader, '[part~="empty"]'), 'still empty for the reader').to.not.equal(null);

    await api('held', 'POST', `/v1/moderation/tip/${tip!.id}/approve`, moderator.sessionToken, {});
    await until('the approved tip on the reader page', () => card(reader, 'waiting for a moderator'), 8000);
    expect(card(reader, 'waiting for a moderator')!.querySelector('[part~="pending"]')).to.equal(null);

    await api('held', 'POST', `/v1/moderation/tip/${tip!.id}/hide`, moderator.sessionToken, { reason: 'testing live hiding' });
    await until('the tip gone from the reader page', () => !card(reader, 'waiting for a moderator'), 8000);
    await until("and from the author's", () => !card(author, 'waiting for a moderator'), 8000);
  });

  it('takes a hidden question, answer and kudos off the page live', async () => {
    const topic = uniqueTopic('hide-live');
    const moderator = await sessionOf('held', 'held-moderator-2', ['moderator']);
    const ask = await fixture<AskExpert>(html`<ask-expert api=${env.api} site="held" topic=${topic}></ask-expert>`);
    const wall = await fixture<KudosWall>(html`<kudos-wall api=${env.api} site="held" wall=${topic}></kudos-wall>`);
    await until('both loaded', () => $(ask, '[part~="empty"]') && $(wall, '[part~="empty"], [part~="list"]'));
    // Moderators' posts are never held.
    const q = await api<Question>('held', 'POST', '/v1/questions', moderator.sessionToken, { topic, title: 'A question that will be hidden' });
    const keep = await api<Question>('held', 'POST', '/v1/questions', moderator.sessionToken, { topic, title: 'A question that stays here' });
    const other = await sessionOf('held', 'held-colleague');
    const k = await api<Kudos>('held', 'POST', '/v1/kudos', moderator.sessionToken, { wall: topic, to: other.user.id, message: 'Kudos that will be hidden', badge: 'helpful' });
    await until('the questions', () => card(ask, 'will be hidden') && card(ask, 'stays here'));
    await until('the kudos', () => card(wall, 'Kudos that will be hidden'));

    await api('held', 'POST', `/v1/moderation/question/${q.id}/hide`, moderator.sessionToken, { reason: 'off topic' });
    await api('held', 'POST', `/v1/moderation/kudos/${k.id}/hide`, moderator.sessionToken, { reason: 'off topic' });
    await until('the question gone', () => !card(ask, 'will be hidden'), 8000);
    await until('the kudos gone', () => !card(wall, 'Kudos that will be hidden'), 8000);
    expect(card(ask, 'stays here'), 'the other question stays').to.not.equal(undefined);

    // An answer leaves the open question.
    const a = await api<Answer>('held', 'POST', `/v1/questions/${keep.id}/answers`, moderator.sessionToken, { body: 'An answer that will be hidden' });
    card(ask, 'stays here')!.querySelector<HTMLButtonElement>('[part~="title"]')!.click();
    await until('the answer', () => card(ask, 'An answer that will be hidden'));
    await api('held', 'POST', `/v1/moderation/answer/${a.id}/hide`, moderator.sessionToken, { reason: 'wrong' });
    await until('the answer gone', () => !card(ask, 'An answer that will be hidden'), 8000);
  });
});
