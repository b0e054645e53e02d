import type { str } from '@lit/localize';
import type { ApiClient, DraftForms, Task, FormHost, Kit, SessionStore, arrive, emit, plural } from '@readyhand/core';
// The forms' own API calls: built into this file, not the bundles (rollup.config.mjs takes them from api-client.ts alone).
import { askQuestion, postAnswer, similarQuestions, vote } from '@readyhand/core';
import type { Answer, Question } from '@readyhand/api/schemas';

/** What the forms take from the bundle that loads them, so that they import nothing at run time and one file serves widgets.js and ask-expert.js. */
export type AskKit = Kit & { str: typeof str; Task: typeof Task; emit: typeof emit; arrive: typeof arrive; plural: typeof plural; answerCount: (q: Question) => unknown };

/** The members of `<ask-expert>` the forms use. None is `_`-prefixed: the bundles' minifier renames those. */
export interface AskHost extends FormHost {
  client: ApiClient;
  session: SessionStore;
  topicKey: string;
  questions: Task<unknown[], Question[]>;
  fresh: Question[];
  more: Question[];
  announce(text: string): void;
  act(id: string, action: () => Promise<unknown>): Promise<void>;
  open(id: string | null): Promise<void>;
  showAnswer(a: Answer): Promise<void>;
}

type Votable = Question | Answer;

const SIMILAR_DELAY = 250;
const SIMILAR_MIN = 4;

/**
 * `<ask-expert>`'s forms (ask, with similar questions found as the title is
 * typed; answer the open question) and the sending of votes. A module of its
 * own, loaded with `draft-form.js` once a learner is signed in or signing in
 * (see `ReadyhandElement.loadForms`): a reader who only reads never downloads
 * it. The build writes it beside the bundles as `ask-form.js`.
 */
export function askForm(forms: DraftForms, kit: AskKit, host: AskHost) {
  const { html, nothing, css, msg, str, plural } = kit;
  host.adoptStyles(css`
    [part~='similar'] {
      border-inline-start: 3px solid var(--_border);
      padding-inline-start: var(--_gap);
    }
  `);
  /** Which question's answer form is shown: its draft is kept per question. */
  let answering = '';

  const ask = forms.draft(
    host,
    ({ title = '', body = '', anonymous }, idempotencyKey) =>
      askQuestion(
        host.client,
        {
          topic: host.topicKey,
          title: String(title),
          body: String(body),
          // As ticked, whatever is known of the site: a draft resent before the site's settings arrived must
          // not go out under the asker's name. Where the site no longer allows it, the API refuses (403).
          anonymous: !!anonymous,
        },
        { idempotencyKey },
      ),
    (q) => {
      kit.emit(host, 'rh-question-asked', q);
      // Listed at once, so that the stream bringing it too is not news.
      kit.arrive(host.questions.value, host.fresh, q);
      host.announce(msg('Your question was posted.'));
      host.questions.run();
      host.open(q.id);
    },
    () => !!host.session.user,
  );

  const answer = forms.draft(
    host,
    ({ question, body = '' }, idempotencyKey) => postAnswer(host.client, String(question), { body: String(body) }, { idempotencyKey }),
    (a) => {
      kit.emit(host, 'rh-answer-posted', a);
      host.announce(msg('Your answer was posted.'));
      host.showAnswer(a);
    },
    () => !!host.session.user,
  );

  const similar = new kit.Task(host, {
    task: async ([client, topic, title]: readonly [ApiClient, string, string], { signal }) => {
      const q = title.trim();
      if (q.length < SIMILAR_MIN) return [];
      // Debounce: a newer keystroke aborts this run before the request is made.
      await new Promise((r) => setTimeout(r, SIMILAR_DELAY));
      signal.throwIfAborted();
      const { items } = await similarQuestions(client, topic, q, { signal });
      if (items.length) host.announce(plural(items.length, msg(str`${items.length} similar question found`), msg(str`${items.length} similar questions found`)));
      return items;
    },
    args: () => [host.client, host.topicKey, ask.get('title')] as const,
  });

  host.addController({
    hostUpdate() {
      ask.use(`${host.topicKey}|ask`);
      // Every answer draft of the topic is this form's: a pending one is resent whichever question is open.
      answer.use(`${host.topicKey}|answer:`, answering);
    },
  });

  const renderSimilar = () => {
    const items = similar.value;
    if (ask.get('title').trim().length < SIMILAR_MIN || !items?.length) return nothing;
    return html`<div part="similar">
      <p id="similar-heading" class="muted">${msg('Already asked? Open one of these instead:')}</p>
      <ul part="list" aria-labelledby="similar-heading">
        ${items.map(
          (q) =>
            html`<li part="item">
              <button type="button" class="link" @click=${() => host.open(q.id)}>${q.title}</button>
              <span part="meta">${kit.answerCount(q)}</span>
            </li>`,
        )}
      </ul>
    </div>`;
  };

  return {
    /** The form to ask, with the questions like the title typed so far. */
    renderAsk() {
      return forms.draftForm(
        host,
        ask,
        'ask',
        msg('Ask'),
        html`<h3>${msg('Ask a question')}</h3>
          ${forms.draftField(ask, 'title', 'title', msg('Your question'))} ${renderSimilar()}
          ${forms.draftField(ask, 'body', 'body', msg('Details (optional)'), true)}
          ${host.session.site?.anonymousQuestionsAllowed
            ? html`<label class="row"
                ><input
                  type="checkbox"
                  part="anonymous"
                  .checked=${!!ask.draft.fields.anonymous}
                  @change=${(e: Event) => ask.set('anonymous', (e.target as HTMLInputElement).checked)}
                />${msg('Ask anonymously')}</label
              >`
            : nothing}`,
        { title: 'title', body: 'body' },
      );
    },

    /** The form to answer the open question `id`. */
    renderAnswer(id: string) {
      if (answering !== id) {
        answering = id;
        answer.use(`${host.topicKey}|answer:`, id);
      }
      return forms.draftForm(
        host,
        answer,
        'answer-form',
        msg('Post answer'),
        forms.draftField(answer, 'answer', 'body', msg('Your answer'), true),
        { body: 'answer' },
        nothing,
        () => answer.set('question', id),
      );
    },

    /** Toggles a vote at once, and rolls it back if the API refuses it. */
    vote(kind: 'questions' | 'answers', item: Votable) {
      const { votes, myVote } = item;
      const value = myVote ? 0 : 1;
      // The list may reload meanwhile, and the open question is a copy of a listed one: every copy shows the vote.
      // A reload still under way (1: TaskStatus.PENDING) may have been read before the vote: it starts again, so it cannot undo it.
      const apply = (v: Pick<Votable, 'votes' | 'myVote'>) => {
        for (const q of [item, ...(host.questions.value ?? []), ...host.more]) if (q.id === item.id) Object.assign(q, v);
        if (host.questions.status === 1) host.questions.run();
      };
      apply({ votes: votes + (value ? 1 : -1), myVote: value });
      return host.act(item.id, () =>
        vote(host.client, kind, item.id, value).then(apply, (error) => {
          apply({ votes, myVote });
          throw error;
        }),
      );
    },
  };
}

/** What `ask-form.js` gives `<ask-expert>`. */
export type AskForm = ReturnType<typeof askForm>;
