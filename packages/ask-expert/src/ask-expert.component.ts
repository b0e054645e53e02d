import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import {
  DraftController,
  ReadyhandElement,
  deriveTopicFromPath,
  describeError,
  emptyView,
  initials,
  relativeTime,
  renderTask,
  type Draft,
} from '@readyhand/core';
import type { Answer, PublicUser, Question, QuestionDetail } from '@readyhand/api/schemas';
import { styles } from './ask-expert.styles.js';
import type {} from './events.js';

type Filter = 'all' | 'open' | 'answered' | 'mine';
type Sort = 'recent' | 'votes';
type Votable = Question | Answer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDraft = DraftController<any>;

const PAGE = 10;
const SIMILAR_DELAY = 250;
const SIMILAR_MIN = 4;

/**
 * Ask an expert, where you are learning: the topic's experts and questions,
 * each question's answers, and a form to ask, answer, accept and vote.
 *
 * @tag ask-expert
 *
 * @csspart base - The whole widget.
 * @csspart experts - The topic's experts.
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
 * @csspart filter - The filter buttons (all, open, answered, mine).
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
 * @csspart back - The link back to the list from an open question.
 * @csspart more - The button that loads more questions.
 * @csspart loading - The loading skeleton.
 * @csspart empty - The empty state.
 * @csspart error - Error messages.
 * @csspart retry - The Retry button.
 * @csspart live - The visually hidden aria-live region.
 *
 * @event rh-question-asked - A question was posted; detail: the question.
 * @event rh-answer-posted - An answer was posted; detail: the answer.
 * @event rh-answer-accepted - An answer was accepted; detail: the answer.
 * @event rh-signed-in - A learner signed in; detail: the user.
 * @event rh-error - An API call failed; detail: the `ApiError`.
 */
export class AskExpert extends ReadyhandElement {
  static override styles = [...ReadyhandElement.styles, styles];

  /** Topic key such as `kubernetes` or `course-101/week-3`; derived from the page path when empty. */
  @property() topic = '';
  /** Which questions are listed: `all`, `open`, `answered` or `mine`. */
  @property() filter: Filter = 'all';
  /** Order of the list: `recent` or `votes`. */
  @property() sort: Sort = 'recent';

  @state() private openId: string | null = null;
  @state() private more: Question[] = [];
  @state() private cursor: string | null = null;
  @state() private busy = new Set<string>();
  @state() private actionError = '';
  @state() private signInError = '';

  private readonly experts = new Task(this, {
    task: ([client, topic], { signal }) => client.listExperts(topic, { signal }),
    args: () => [this.client, this.topicKey] as const,
  });

  private readonly questions = new Task(this, {
    task: async ([client, topic, filter, sort], { signal }) => {
      const page = await this.reported(
        client.listQuestions(
          { topic, status: filter === 'mine' ? 'all' : filter, mine: filter === 'mine', sort, limit: PAGE },
          { signal },
        ),
      );
      this.more = [];
      this.cursor = page.nextCursor;
      return page.items;
    },
    args: () => [this.client, this.topicKey, this.shownFilter, this.sort, this.session.user?.id] as const,
  });

  private readonly detail = new Task(this, {
    task: ([client, id], { signal }) => (id ? this.reported(client.getQuestion(id, { signal })) : initialState),
    args: () => [this.client, this.openId, this.session.user?.id] as const,
  });

  private readonly similar = new Task(this, {
    task: async ([client, topic, title], { signal }) => {
      const q = title.trim();
      if (q.length < SIMILAR_MIN) return [];
      // Debounce: a newer keystroke aborts this run before the request is made.
      await new Promise((r) => setTimeout(r, SIMILAR_DELAY));
      signal.throwIfAborted();
      const { items } = await client.similarQuestions(topic, q, { signal });
      if (items.length) this.announce(msg(str`${items.length} similar questions found`));
      return items;
    },
    args: () => [this.client, this.topicKey, this.ask.get('title')] as const,
  });

  private readonly ask = new DraftController<Question>(
    this,
    (f, idempotencyKey) =>
      this.client.askQuestion(
        {
          topic: this.topicKey,
          title: String(f.title ?? ''),
          body: String(f.body ?? ''),
          anonymous: !!f.anonymous && !!this.session.site?.anonymousQuestionsAllowed,
        },
        { idempotencyKey },
      ),
    (q) => this.asked(q),
    () => !!this.session?.user,
  );

  private readonly answer = new DraftController<Answer>(
    this,
    (f, idempotencyKey) => this.client.postAnswer(String(f.question), { body: String(f.body ?? '') }, { idempotencyKey }),
    (a) => this.answered(a),
    () => !!this.session?.user,
  );

  /** The topic in use: `topic`, or the one derived from the page path. */
  get topicKey(): string {
    return this.topic || deriveTopicFromPath(location.pathname);
  }

  private get shownFilter(): Filter {
    return this.filter === 'mine' && !this.session.user ? 'all' : this.filter;
  }

  private draftKey(scope: string) {
    return `readyhand.draft:${this.client.api}|${this.client.site}|${scope}`;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>) {
    super.willUpdate(changed as never);
    this.ask.use(this.draftKey(`ask:${this.topicKey}`));
    if (this.openId) this.answer.use(this.draftKey(`answer:${this.openId}`));
  }

  protected override sessionChanged() {
    super.sessionChanged();
    // Signed in again, or the site's settings arrived: send what waited for it.
    this.ask.retry().catch(() => {});
    this.answer.retry().catch(() => {});
  }

  private byId(id: string) {
    return (this.renderRoot as ShadowRoot).getElementById(id) as HTMLElement | null;
  }

  private async focusAfterUpdate(id: string) {
    await this.updateComplete;
    this.byId(id)?.focus();
  }

  private report(error: unknown) {
    this.fail(error);
    this.actionError = describeError(error);
  }

  // ------------------------------------------------------------ actions

  private async openQuestion(id: string) {
    this.openId = id;
    this.actionError = '';
    await this.updateComplete;
    await this.detail.taskComplete.catch(() => {});
    this.focusAfterUpdate('detail-title');
  }

  private closeQuestion() {
    const id = this.openId;
    this.openId = null;
    this.actionError = '';
    this.questions.run();
    this.focusAfterUpdate(`q-${id}`);
  }

  private async signIn(e: SubmitEvent) {
    e.preventDefault();
    const name = String(new FormData(e.target as HTMLFormElement).get('guestName') ?? '').trim();
    if (!name) {
      this.signInError = msg('Type the name others will see.');
      return this.focusAfterUpdate('guest');
    }
    try {
      this.signInError = '';
      await this.session.signInAsGuest(name);
      this.announce(msg(str`Signed in as ${name}`));
      this.focusAfterUpdate(this.openId ? 'answer' : 'title');
    } catch (error) {
      this.fail(error);
      this.signInError = describeError(error);
    }
  }

  private async send(draft: AnyDraft) {
    try {
      await draft.submit();
    } catch (error) {
      this.fail(error);
      const field = (error as { details?: { field: string }[] }).details?.[0]?.field;
      if (field) this.focusAfterUpdate(draft === this.ask ? field : 'answer');
    }
  }

  private asked(q: Question) {
    this.emit('rh-question-asked', q);
    this.announce(msg('Your question was posted.'));
    this.questions.run();
    this.openQuestion(q.id);
  }

  private async answered(a: Answer) {
    this.emit('rh-answer-posted', a);
    this.announce(msg('Your answer was posted.'));
    await this.detail.run();
    this.focusAfterUpdate(`a-${a.id}`);
  }

  private async accept(q: QuestionDetail, a: Answer) {
    try {
      await this.client.acceptAnswer(q.id, a.id);
      this.emit('rh-answer-accepted', { ...a, accepted: true });
      this.announce(msg('Answer accepted.'));
      await this.detail.run();
      this.focusAfterUpdate(`a-${a.id}`);
    } catch (error) {
      this.report(error);
    }
  }

  /** Toggles a vote at once, and rolls it back if the API refuses it. */
  private async vote(kind: 'questions' | 'answers', item: Votable) {
    const before = { votes: item.votes, myVote: item.myVote };
    const value = item.myVote ? 0 : 1;
    const apply = (v: Pick<Votable, 'votes' | 'myVote'>) => {
      for (const q of [item, ...(this.questions.value ?? []), ...this.more]) if (q.id === item.id) Object.assign(q, v);
      this.requestUpdate();
    };
    this.busy = new Set(this.busy).add(item.id);
    apply({ votes: item.votes + (value ? 1 : -1), myVote: value });
    try {
      apply(await this.client.vote(kind, item.id, value));
    } catch (error) {
      apply(before);
      this.report(error);
    }
    this.busy.delete(item.id);
    this.busy = new Set(this.busy);
  }

  private async loadMore() {
    this.busy = new Set(this.busy).add('more');
    try {
      const page = await this.client.listQuestions({
        topic: this.topicKey,
        status: this.shownFilter === 'mine' ? 'all' : this.shownFilter,
        mine: this.shownFilter === 'mine',
        sort: this.sort,
        cursor: this.cursor,
        limit: PAGE,
      });
      this.more = [...this.more, ...page.items];
      this.cursor = page.nextCursor;
      this.announce(msg(str`${page.items.length} more questions`));
      const next = this.more[this.more.length - page.items.length];
      if (next) this.focusAfterUpdate(`q-${next.id}`);
    } catch (error) {
      this.report(error);
    }
    this.busy.delete('more');
    this.busy = new Set(this.busy);
  }

  /** Changes what the list shows, and says how many questions it now holds. */
  private async show(change: Partial<Pick<AskExpert, 'filter' | 'sort'>>) {
    Object.assign(this, change);
    await this.updateComplete;
    const items = await this.questions.taskComplete.catch(() => null);
    if (items) this.announce(items.length === 1 ? msg('1 question shown') : msg(str`${items.length} questions shown`));
  }

  private retryAll() {
    this.session.loadSite();
    this.experts.run();
    this.questions.run();
  }

  // ------------------------------------------------------------ rendering

  override render() {
    return html`<section part="base" aria-labelledby="heading">
      <h2 id="heading">${msg('Ask an expert')}</h2>
      ${this.renderExperts()} ${this.renderSignIn()}
      ${this.actionError ? html`<p part="error" role="alert">${this.actionError}</p>` : nothing}
      ${this.openId ? this.renderDetail() : [this.renderAsk(), this.renderToolbar(), this.renderList()]}
      ${this.liveRegion()}
    </section>`;
  }

  private renderAvatar(user: PublicUser) {
    return user.picture && /^https?:/.test(user.picture)
      ? html`<img part="avatar" src=${user.picture} alt="" width="24" height="24" />`
      : html`<span part="avatar" aria-hidden="true">${initials(user.name)}</span>`;
  }

  private renderAuthor(user: PublicUser | null, mine: boolean) {
    if (user) return html`${this.renderAvatar(user)}<span part="author">${user.name}</span>`;
    return html`<span part="author">${mine ? msg('Anonymous (you)') : msg('Anonymous')}</span>`;
  }

  private renderTime(iso: string) {
    return html`<time datetime=${iso}>${relativeTime(iso, this.locale)}</time>`;
  }

  private renderVote(kind: 'questions' | 'answers', item: Votable) {
    return html`<button
      part="vote"
      aria-pressed=${item.myVote === 1 ? 'true' : 'false'}
      ?disabled=${!this.session.user || this.busy.has(item.id)}
      @click=${() => this.vote(kind, item)}
    >
      <span aria-hidden="true">▲</span><span class="vh">${msg('Upvote')}</span>
      <span part="count">${item.votes}</span>
    </button>`;
  }

  private renderExperts() {
    const items = this.experts.value?.items;
    if (!items?.length) return nothing;
    return html`<div part="experts">
      <h3 id="experts-heading">${msg('Experts on this topic')}</h3>
      <ul part="list" class="experts" aria-labelledby="experts-heading">
        ${items.map(
          (x) =>
            html`<li part="item expert">
              ${this.renderAvatar(x)}<span part="author">${x.name}</span>
              <span part="count" class="muted">${msg(str`${x.acceptedAnswers} accepted`)}</span>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderSignIn() {
    const { user, site } = this.session;
    if (user) {
      return html`<p part="sign-in" class="muted">
        ${msg(str`Signed in as ${user.name}.`)}
        ${user.guest
          ? html`<button class="link" @click=${() => this.session.signOut()}>${msg('Sign out')}</button>`
          : nothing}
      </p>`;
    }
    if (!site) return nothing;
    if (!site.guestsAllowed) {
      return html`<p part="sign-in" class="muted">
        ${msg('You can read the questions here. To ask or answer, sign in to this website, then reload the page.')}
      </p>`;
    }
    return html`<form part="sign-in form" @submit=${this.signIn} novalidate>
      <label for="guest">${msg('Your name, to ask and answer as a guest')}</label>
      <div class="row">
        <input
          id="guest"
          part="input"
          name="guestName"
          autocomplete="nickname"
          maxlength="60"
          aria-invalid=${this.signInError ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.signInError ? 'guest-error' : undefined)}
        />
        <button part="submit">${msg('Join as guest')}</button>
      </div>
      ${this.signInError ? html`<p id="guest-error" class="field-error">${this.signInError}</p>` : nothing}
    </form>`;
  }

  /** A text field bound to a draft, with the API's message for it underneath. */
  private renderField(draft: AnyDraft, id: string, field: string, label: string, multiline: boolean) {
    const error = draft.fieldError(field);
    const input = (e: Event) => draft.set(field, (e.target as HTMLInputElement).value);
    const attrs = {
      invalid: error ? 'true' : 'false',
      describedby: error ? `${id}-error` : undefined,
    };
    return html`<label for=${id}>${label}</label>
      ${multiline
        ? html`<textarea
            id=${id}
            part="input ${field}"
            rows="3"
            .value=${draft.get(field)}
            @input=${input}
            aria-invalid=${attrs.invalid}
            aria-describedby=${ifDefined(attrs.describedby)}
          ></textarea>`
        : html`<input
            id=${id}
            part="input ${field}"
            autocomplete="off"
            .value=${draft.get(field)}
            @input=${input}
            aria-invalid=${attrs.invalid}
            aria-describedby=${ifDefined(attrs.describedby)}
          />`}
      ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}`;
  }

  /** The send error that belongs to no field, and what happens to the draft. */
  private renderSendError(draft: AnyDraft, fields: string[]) {
    const { error } = draft;
    if (!error || fields.some((f) => draft.fieldError(f))) return nothing;
    const pending = (draft.draft as Draft).pending;
    return html`<div part="error" role="alert">
      <p>
        ${describeError(error)}
        ${pending ? msg('Your text is saved here and will be sent when the connection is back.') : nothing}
      </p>
      ${pending
        ? html`<button type="button" part="retry" @click=${() => this.send(draft)}>${msg('Retry')}</button>`
        : nothing}
    </div>`;
  }

  private renderAsk() {
    if (!this.session.user) return nothing;
    const d = this.ask;
    return html`<form part="form ask" @submit=${(e: Event) => (e.preventDefault(), this.send(d))} novalidate>
      <h3>${msg('Ask a question')}</h3>
      ${this.renderField(d, 'title', 'title', msg('Your question'), false)} ${this.renderSimilar()}
      ${this.renderField(d, 'body', 'body', msg('Details (optional)'), true)}
      ${this.session.site?.anonymousQuestionsAllowed
        ? html`<label class="check"
            ><input
              type="checkbox"
              part="anonymous"
              .checked=${!!d.draft.fields.anonymous}
              @change=${(e: Event) => d.set('anonymous', (e.target as HTMLInputElement).checked)}
            />${msg('Ask anonymously')}</label
          >`
        : nothing}
      ${this.renderSendError(d, ['title', 'body'])}
      <button part="submit" class="primary" ?disabled=${d.sending}>
        ${d.sending ? msg('Sending…') : msg('Ask')}
      </button>
    </form>`;
  }

  private renderSimilar() {
    const items = this.similar.value;
    if (this.ask.get('title').trim().length < SIMILAR_MIN || !items?.length) return nothing;
    return html`<div part="similar">
      <p id="similar-heading" class="muted">${msg('Already asked? Open one of these instead:')}</p>
      <ul part="list" aria-labelledby="similar-heading">
        ${items.map(
          (q) =>
            html`<li part="item">
              <button type="button" class="link" @click=${() => this.openQuestion(q.id)}>${q.title}</button>
              <span part="meta">${this.renderAnswerCount(q)}</span>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderToolbar() {
    const filters: [Filter, string][] = [
      ['all', msg('All')],
      ['open', msg('Open')],
      ['answered', msg('Answered')],
    ];
    if (this.session.user) filters.push(['mine', msg('Mine')]);
    return html`<div part="toolbar" class="toolbar">
      <div part="filter" role="group" aria-label=${msg('Show questions')}>
        ${filters.map(
          ([f, label]) =>
            html`<button aria-pressed=${this.shownFilter === f ? 'true' : 'false'} @click=${() => this.show({ filter: f })}>
              ${label}
            </button>`,
        )}
      </div>
      <label part="sort"
        >${msg('Sort by')}
        <select @change=${(e: Event) => this.show({ sort: (e.target as HTMLSelectElement).value as Sort })}>
          <option value="recent" ?selected=${this.sort === 'recent'}>${msg('Most recent')}</option>
          <option value="votes" ?selected=${this.sort === 'votes'}>${msg('Top voted')}</option>
        </select>
      </label>
    </div>`;
  }

  private renderAnswerCount(q: Question) {
    return html`<span part="count"
      >${q.answerCount === 1 ? msg('1 answer') : msg(str`${q.answerCount} answers`)}</span
    >`;
  }

  private renderList() {
    return renderTask(this.questions, {
      rows: 5,
      retry: () => this.retryAll(),
      isEmpty: (items) => !items.length,
      empty: () =>
        html`<p>
            ${this.shownFilter === 'all'
              ? msg('No questions here yet. Be the first to ask!')
              : msg('No questions match this filter.')}
          </p>
          ${this.session.user
            ? html`<button class="link" @click=${() => this.byId('title')?.focus()}>${msg('Ask a question')}</button>`
            : nothing}`,
      complete: (items) =>
        html`<ul part="list" aria-label=${msg('Questions')}>
            ${[...items, ...this.more].map(
              (q) =>
                html`<li part="item question" class="q">
                  ${this.renderVote('questions', q)}
                  <div class="grow">
                    <button id="q-${q.id}" part="title" class="link" @click=${() => this.openQuestion(q.id)}>
                      ${q.title}
                    </button>
                    <p part="meta">
                      ${this.renderAuthor(q.author, q.mine)} · ${this.renderTime(q.createdAt)} ·
                      ${this.renderAnswerCount(q)}
                      ${q.status === 'answered' ? html`<span part="badge">${msg('Answered')}</span>` : nothing}
                    </p>
                  </div>
                </li>`,
            )}
          </ul>
          ${this.cursor
            ? html`<button part="more" ?disabled=${this.busy.has('more')} @click=${this.loadMore}>
                ${msg('More questions')}
              </button>`
            : nothing}`,
    });
  }

  private renderDetail() {
    return html`<button part="back" class="link" @click=${this.closeQuestion}>← ${msg('All questions')}</button>
      ${renderTask(this.detail, {
        rows: 6,
        complete: (q) => html`<article part="question" aria-labelledby="detail-title">
          <div class="q">
            ${this.renderVote('questions', q)}
            <div class="grow">
              <h3 id="detail-title" part="title" tabindex="-1">${q.title}</h3>
              ${q.body ? html`<p part="body">${q.body}</p>` : nothing}
              <p part="meta">
                ${this.renderAuthor(q.author, q.mine)} · ${this.renderTime(q.createdAt)}
                ${q.status === 'answered' ? html`<span part="badge">${msg('Answered')}</span>` : nothing}
              </p>
            </div>
          </div>
          <h4 id="answers-heading">${this.renderAnswerCount(q)}</h4>
          ${q.answers.length
            ? html`<ul part="list" aria-labelledby="answers-heading">
                ${q.answers.map((a) => this.renderAnswer(q, a))}
              </ul>`
            : emptyView(msg('No answers yet. Know the answer? Share it below.'))}
          ${this.renderAnswerForm(q)}
        </article>`,
      })}`;
  }

  private renderAnswer(q: QuestionDetail, a: Answer) {
    const user = this.session.user;
    const canAccept = !!user && !a.accepted && (q.mine || user.expertTopics.includes(q.topic));
    return html`<li id="a-${a.id}" part="item answer ${a.accepted ? 'accepted' : ''}" class="q" tabindex="-1">
      ${this.renderVote('answers', a)}
      <div class="grow">
        ${a.accepted ? html`<p><span part="badge">✓ ${msg('Accepted answer')}</span></p>` : nothing}
        <p part="body">${a.body}</p>
        <p part="meta">
          ${this.renderAuthor(a.author, a.mine)}
          ${a.expert ? html`<span part="badge">${msg('Expert')}</span>` : nothing} · ${this.renderTime(a.createdAt)}
        </p>
        ${canAccept
          ? html`<button part="accept" @click=${() => this.accept(q, a)}>${msg('Accept this answer')}</button>`
          : nothing}
      </div>
    </li>`;
  }

  private renderAnswerForm(q: QuestionDetail) {
    if (!this.session.user) return nothing;
    const d = this.answer;
    return html`<form
      part="form answer-form"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        d.set('question', q.id);
        this.send(d);
      }}
    >
      ${this.renderField(d, 'answer', 'body', msg('Your answer'), true)} ${this.renderSendError(d, ['body'])}
      <button part="submit" class="primary" ?disabled=${d.sending}>
        ${d.sending ? msg('Sending…') : msg('Post answer')}
      </button>
    </form>`;
  }
}
