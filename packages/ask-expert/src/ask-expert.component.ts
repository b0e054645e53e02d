import { html, nothing, type PropertyDeclarations } from 'lit';
import { msg, str } from '@lit/localize';
import {
  ReadyhandElement,
  emit,
  emptyView,
  kit,
  Task,
  initialState,
  arrive,
  choice,
  type DraftForms,
  deriveTopicFromPath,
  getQuestion,
  listExperts,
  listQuestions,
  live,
  newestFirst,
  person,
  plural,
  renderTask,
  timeView,
} from '@readyhand/core';
import type { Answer, Question } from '@readyhand/api/schemas';
import { styles } from './ask-expert.styles.js';
import type {} from './events.js';
import type { DetailHost, DetailKit, default as questionDetail } from './question-detail.js';
import type { AskForm, AskHost, AskKit, askForm } from './ask-form.js';
import type { LiveHost, default as mergeLive } from './ask-live.js';

type Filter = 'all' | 'open' | 'answered' | 'mine';
type Sort = 'recent' | 'votes';
type Votable = Question | Answer;

const PAGE = 10;

const badge = (text: string) => html`<span part="badge">${text}</span>`;
const answerCount = (q: Question) =>
  html`<span part="count">${plural(q.answerCount, msg(str`${q.answerCount} answer`), msg(str`${q.answerCount} answers`))}</span>`;

/** What the open question's view, the forms and the live merge take from this bundle (see question-detail.ts, ask-form.ts, ask-live.ts). */
const askKit: AskKit & DetailKit = { ...kit, str, Task, emit, arrive, emptyView, deriveTopicFromPath, plural, answerCount, badge };
/** The open question's view, once a reader on the page has opened a question. */
let detailView: typeof questionDetail | undefined;

/**
 * Ask an expert, where you are learning: the topic's experts and questions,
 * each question's answers, and a form to ask, answer, accept and vote.
 *
 * @tag ask-expert
 *
 * @csspart base - The whole widget.
 * @csspart experts - The topic's experts.
 * @csspart expert - An expert in that list (also an `item`).
 * @csspart sign-in - The guest sign-in form, or the hint on how to sign in.
 * @csspart form - Every form (ask, answer, sign-in).
 * @csspart ask - The form to ask a question.
 * @csspart answer-form - The form to answer the open question.
 * @csspart input - Every text field.
 * @csspart title - A question's title (field, link or heading).
 * @csspart anonymous - The "Ask anonymously" checkbox.
 * @csspart submit - Every form's submit button.
 * @csspart similar - Similar questions shown while typing a title.
 * @csspart toolbar - Filter and sort.
 * @csspart filter - The group of filter buttons (all, open, answered, mine).
 * @csspart sort - The sort control.
 * @csspart list - Every list (experts, questions, answers, similar).
 * @csspart item - Every list item.
 * @csspart question - A question (list item or open question).
 * @csspart answer - An answer.
 * @csspart accepted - The accepted answer.
 * @csspart author - A person's name.
 * @csspart avatar - A person's picture or initials.
 * @csspart body - A question's details or an answer's text.
 * @csspart meta - Author, time and counts.
 * @csspart badge - "Answered", "Expert", "Accepted" badges.
 * @csspart count - Vote and answer counts.
 * @csspart vote - The vote toggle buttons.
 * @csspart accept - The accept-answer button.
 * @csspart thank - The offer, after accepting, to thank the answer's author with kudos (one click sends them).
 * @csspart back - The link back to the list from an open question.
 * @csspart more - The button that loads more questions.
 * @csspart loading - The loading skeleton.
 * @csspart empty - The empty state.
 * @csspart error - Error messages.
 * @csspart retry - The Retry button.
 * @csspart report - The Report disclosure of a record by someone else (signed in only), with its form.
 * @csspart pending - The "Pending approval" badge on your own record waiting for a moderator.
 * @csspart live - The visually hidden aria-live region.
 *
 * @event rh-question-asked - A question was posted; detail: the question.
 * @event rh-answer-posted - An answer was posted; detail: the answer.
 * @event rh-answer-accepted - An answer was accepted; detail: the answer.
 * @event rh-kudos-given - The answer's author was thanked with kudos, on the wall of the page's `<kudos-wall>` (else of the page's path); detail: the kudos.
 * @event rh-signed-in - A learner signed in; detail: the user.
 * @event rh-error - An API call failed; detail: the `ApiError`.
 */
export class AskExpert extends ReadyhandElement {
  static override styles = [ReadyhandElement.styles, styles];

  static override properties: PropertyDeclarations = {
    topic: {},
    filter: {},
    sort: {},
    openId: { attribute: false },
    more: { attribute: false },
    cursor: { attribute: false },
  };

  /** Topic key such as `kubernetes` or `course-101/week-3`; derived from the page path when empty. */
  topic = '';
  /** Which questions are listed: `all`, `open`, `answered` or `mine`. */
  filter: 'all' | 'open' | 'answered' | 'mine' = 'all';
  /** Order of the list: `recent` or `votes`. */
  sort: 'recent' | 'votes' = 'recent';

  /** The open question's id. */
  private openId: string | null = null;
  /** Questions asked by others since the list loaded, oldest first. */
  private fresh: Question[] = [];
  /** Questions of the pages after the first, and where the next page starts. */
  private more: Question[] = [];
  private cursor: string | null = null;

  private readonly experts = new Task(this, {
    task: ([client, topic], { signal }) => listExperts(client, topic, { signal }),
    args: () => [this.client, this.topicKey] as const,
  });

  private readonly questions = new Task(this, {
    task: async (_args, { signal }) => {
      const items = await this.page(null, signal);
      this.more = [];
      this.fresh = [];
      return items;
    },
    // What the first page depends on; page() reads the same from the element.
    args: () => [this.client, this.topicKey, this.shownFilter, this.sort, this.session.user?.id],
    onError: (e) => this.fail(e),
  });

  // The view of an open question is not needed for a first render: it loads with the first question opened.
  private readonly detail = new Task(this, {
    task: async ([client, id], { signal }) => {
      if (!id) return initialState;
      const [question, view] = await Promise.all([
        getQuestion(client, id, { signal }),
        detailView ?? import('./question-detail.js').then((m) => m.default),
      ]);
      detailView = view;
      return question;
    },
    args: () => [this.client, this.openId, this.session.user?.id] as const,
    onError: (e) => this.fail(e),
  });

  /** The forms and the sending of votes, once loaded (see ask-form.ts). */
  protected declare forms?: AskForm;

  protected override formsModule(fresh: string) {
    // The cast: the forms reach members that are private to everything else.
    return import(`./ask-form.js${fresh}`).then((m: { askForm: typeof askForm }) => (forms: DraftForms) => m.askForm(forms, askKit, this as unknown as AskHost));
  }

  /** The topic in use: `topic`, or the one derived from the page path. */
  get topicKey(): string {
    return this.topic || deriveTopicFromPath(location.pathname);
  }

  /** The filter the list shows: not `mine` while signed out. */
  private get shownFilter(): Filter {
    return this.filter === 'mine' && !this.session.user ? 'all' : this.filter;
  }

  /** Opens the question a link such as a kudos' `#rh-question-<topic>:<id>` points to, when it is of this topic. */
  private readonly _openLinked = () => {
    const [topic, id] = location.hash.slice(13).split(':');
    if (topic === this.topicKey && id) this.open(id);
  };

  constructor() {
    super();
    const reload = () => (this.questions.run(), this.detail.run());
    // What others do is merged in by ask-live.js, fetched with the first event (events wait for it in
    // their order); if it cannot be fetched, the list and the open question are fetched anew instead.
    let merge: Promise<typeof mergeLive> | undefined;
    live(
      this,
      () => `topics:${this.topicKey}`,
      (e) =>
        (merge ??= import('./ask-live.js').then((m: { default: typeof mergeLive }) => m.default)).then(
          (m) => m(askKit, this as unknown as LiveHost, e),
          () => {
            merge = undefined;
            reload();
          },
        ),
      reload,
    );
  }

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this._openLinked);
    this._openLinked();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this._openLinked);
  }

  /** A page of the questions as filtered and sorted now; remembers where the next one starts. */
  private async page(cursor: string | null, signal?: AbortSignal) {
    const mine = this.shownFilter === 'mine';
    const page = await listQuestions(
      this.client,
      { topic: this.topicKey, status: mine ? 'all' : this.shownFilter, mine, sort: this.sort, cursor, limit: PAGE },
      { signal },
    );
    this.cursor = page.nextCursor;
    return page.items;
  }

  // ------------------------------------------------------------ actions

  /** Opens a question, or goes back to the list; focus follows. */
  private async open(id: string | null) {
    const back = this.openId;
    this.openId = id;
    this.actionError = undefined;
    if (!id) {
      this.questions.run();
      return this.focusLater(`q-${back}`);
    }
    await this.updateComplete;
    await this.detail.taskComplete.catch(() => {});
    this.focusLater('detail-title');
  }

  /** Reloads the open question and moves focus to one of its answers. */
  protected async showAnswer(a: Answer) {
    await this.detail.run();
    this.focusLater(`a-${a.id}`);
  }

  /** Changes what the list shows, and says how many questions it now holds. */
  private async show(change: Partial<Pick<AskExpert, 'filter' | 'sort'>>) {
    Object.assign(this, change);
    await this.updateComplete;
    const items = await this.questions.taskComplete.catch(() => null);
    if (items) this.announce(plural(items.length, msg(str`${items.length} question shown`), msg(str`${items.length} questions shown`)));
  }

  // ------------------------------------------------------------ rendering

  override render() {
    const { user } = this.session;
    const experts = this.experts.value?.items;
    return this.frame(
      msg('Ask an expert'),
      [
        msg('Your name, to ask and answer as a guest'),
        msg('You can read the questions here. To ask or answer, sign in to this website, then reload the page.'),
        this.openId ? 'answer' : 'title',
      ],
      this.openId
        ? this._renderDetail()
        : [
            user ? this.forms?.renderAsk() : nothing,
            this._renderToolbar(),
            this._renderList(),
          ],
      experts?.length
        ? html`<div part="experts">
            <h3 id="experts-heading">${msg('Experts on this topic')}</h3>
            <ul part="list" class="row" aria-labelledby="experts-heading">
              ${experts.map(
                (x) =>
                  html`<li part="item expert">
                    ${person(x)} <span part="count" class="muted">${msg(str`${x.acceptedAnswers} accepted`)}</span>
                  </li>`,
              )}
            </ul>
          </div>`
        : nothing,
      // The experts show above the rest: wait for them.
      this.experts.status > 1,
    );
  }

  private renderVote(kind: 'questions' | 'answers', item: Votable) {
    return html`<button
      part="vote"
      aria-pressed=${String(!!item.myVote)}
      ?disabled=${!this.session.user || this.busy.has(item.id)}
      @click=${() => this.withForms(item.id, (forms: AskForm) => forms.vote(kind, item))}
    >
      <span aria-hidden="true">▲</span><span class="vh">${msg('Upvote')}</span>
      <span part="count">${item.votes}</span>
    </button>`;
  }

  /** Author, time and what else is known of a question or an answer. */
  private renderMeta(item: Votable, extra: unknown) {
    return html`<p part="meta">
      ${person(item.author, item.mine ? msg('Anonymous (you)') : undefined)} · ${timeView(item.createdAt)}
      ${extra}
    </p>${this.moderationView(item)}`;
  }

  /** A question with its vote button: `title` is a link in the list, a heading when open. */
  private renderQuestion(q: Question, title: unknown, count: unknown = nothing) {
    return html`${this.renderVote('questions', q)}
      <div class="grow">
        ${title} ${this.renderMeta(q, [count, q.status === 'answered' ? badge(msg('Answered')) : nothing])}
      </div>`;
  }

  private _renderToolbar() {
    const filters: [Filter, string][] = [
      ['all', msg('All')],
      ['open', msg('Open')],
      ['answered', msg('Answered')],
    ];
    if (this.session.user) filters.push(['mine', msg('Mine')]);
    return html`<div part="toolbar" class="row toolbar">
      <div part="filter" class="row" role="group" aria-label=${msg('Show questions')}>
        ${filters.map(
          ([f, label]) =>
            html`<button aria-pressed=${String(this.shownFilter === f)} @click=${() => this.show({ filter: f })}>
              ${label}
            </button>`,
        )}
      </div>
      ${choice(
        'sort',
        msg('Sort by'),
        this.sort,
        [
          ['recent', msg('Most recent')],
          ['votes', msg('Top voted')],
        ],
        (sort) => this.show({ sort: sort as Sort }),
      )}
    </div>`;
  }

  private _renderList() {
    return renderTask(this.questions, {
      rows: 5,
      retry: () => {
        this.session.loadSite();
        this.experts.run();
        this.questions.run();
      },
      empty: html`<p>
          ${this.shownFilter === 'all'
            ? msg('No questions here yet. Be the first to ask!')
            : msg('No questions match this filter.')}
        </p>
        ${this.session.user
          ? html`<button class="link" @click=${() => this.focusLater('title')}>${msg('Ask a question')}</button>`
          : nothing}`,
      complete: (items) =>
        html`<ul part="list" aria-label=${msg('Questions')}>
            ${newestFirst(this.fresh, (q) => this._renderListed(q, 'new'))}${[...items, ...this.more].map((q) => this._renderListed(q))}
          </ul>
          ${this.cursor
            ? html`<button
                part="more"
                ?disabled=${this.busy.has('more')}
                @click=${() =>
                  this.act('more', async () => {
                    const items = await this.page(this.cursor);
                    this.more = [...this.more, ...items];
                    this.announce(plural(items.length, msg(str`${items.length} more question`), msg(str`${items.length} more questions`)));
                    if (items[0]) this.focusLater(`q-${items[0].id}`);
                  })}
              >
                ${msg('More questions')}
              </button>`
            : nothing}`,
    });
  }

  private _renderListed(q: Question, fresh = '') {
    return html`<li part="item question" class="item ${fresh}">
      ${this.renderQuestion(
        q,
        html`<button id="q-${q.id}" part="title" class="link" @click=${() => this.open(q.id)}>${q.title}</button>`,
        answerCount(q),
      )}
    </li>`;
  }

  private _renderDetail() {
    return html`<button part="back" class="link" @click=${() => this.open(null)}>
        <span aria-hidden="true">‹</span> ${msg('All questions')}
      </button>
      ${renderTask(this.detail, {
        rows: 6,
        // The cast: the view reaches members that are private to everything else.
        complete: (q) => detailView!(askKit, this as unknown as DetailHost, q),
      })}`;
  }
}
