import type { CSSResult } from 'lit';
import type { str } from '@lit/localize';
import type { ApiClient, Kit, SessionStore, deriveTopicFromPath, emit, emptyView } from '@readyhand/core';
// Built into this file (see rollup.config.mjs): only a learner who opens a question calls them.
import { acceptAnswer, giveKudos } from '@readyhand/core';
import type { AskForm } from './ask-form.js';
import type { Answer, Question, QuestionDetail } from '@readyhand/api/schemas';

/** What the view takes from the bundle that loads it (see kit.ts in core), with `<ask-expert>`'s own views. */
export type DetailKit = Kit & {
  str: typeof str;
  emit: typeof emit;
  emptyView: typeof emptyView;
  deriveTopicFromPath: typeof deriveTopicFromPath;
  badge: (text: string) => unknown;
  answerCount: (q: Question) => unknown;
};

/**
 * The members of `<ask-expert>` the view uses. None is `_`-prefixed: the
 * bundles' minifier renames those, each bundle its own way.
 */
export interface DetailHost extends HTMLElement {
  client: ApiClient;
  adoptStyles(...styles: CSSResult[]): void;
  session: SessionStore;
  /** The forms, once loaded: a learner's are while signed in. */
  forms?: AskForm;
  act(id: string, action: () => Promise<unknown>): Promise<void>;
  announce(text: string): void;
  focusLater(id: string): Promise<void>;
  renderQuestion(q: Question, title: unknown): unknown;
  renderVote(kind: 'answers', item: Answer): unknown;
  renderMeta(item: Answer, extra: unknown): unknown;
  showAnswer(a: Answer): Promise<void>;
}

/** The widgets that have this view's styles. */
const styled = new WeakSet<DetailHost>();

/** The offer, after accepting, to thank the answer's author. */
const thanks = new WeakMap<DetailHost, { a: Answer }>();

/**
 * An open question of `<ask-expert>`: the question, its answers (accept, thank
 * with kudos) and the form to answer. A module of its own, loaded with the
 * first question a reader opens (until it is here, the open question shows the
 * loading skeleton; a failed load, the error state with Retry), so that a page
 * pays for it only then: the build writes it beside the bundles as
 * `question-detail.js`.
 */
export default function questionDetail(kit: DetailKit, host: DetailHost, q: QuestionDetail) {
  const { html, nothing, css, msg, emptyView, answerCount } = kit;
  if (!styled.has(host)) {
    styled.add(host);
    host.adoptStyles(css`
      h3[part~='title'] {
        font-size: 1.1em;
      }
      [part~='accepted'] {
        border-inline-start: 3px solid var(--_accent);
        padding-inline-start: var(--_gap);
      }
    `);
  }
  return html`<article part="question" aria-labelledby="detail-title">
    <div class="item">
      ${host.renderQuestion(
        q,
        html`<h3 id="detail-title" part="title" tabindex="-1">${q.title}</h3>
          ${q.body ? html`<p part="body">${q.body}</p>` : nothing}`,
      )}
    </div>
    <h4 id="answers-heading">${answerCount(q)}</h4>
    ${q.answers.length
      ? html`<ul part="list" aria-labelledby="answers-heading">
          ${q.answers.map((a) => answerView(kit, host, q, a))}
        </ul>`
      : emptyView(msg('No answers yet. Know the answer? Share it below.'))}
    ${host.session.user ? host.forms?.renderAnswer(q.id) : nothing}
  </article>`;
}

function answerView(kit: DetailKit, host: DetailHost, q: QuestionDetail, a: Answer) {
  const { html, nothing, msg, emit, badge } = kit;
  const user = host.session.user;
  const canAccept = user && !a.accepted && (q.mine || user.expertTopics.includes(q.topic));
  return html`<li id="a-${a.id}" part="item answer ${a.accepted ? 'accepted' : ''}" class="item" tabindex="-1">
    ${host.renderVote('answers', a)}
    <div class="grow">
      ${a.accepted ? html`<p>${badge(`✓ ${msg('Accepted answer')}`)}</p>` : nothing}
      <p part="body">${a.body}</p>
      ${host.renderMeta(a, a.expert ? badge(msg('Expert')) : nothing)}
      ${canAccept
        ? html`<button
            part="accept"
            @click=${() =>
              host.act(a.id, async () => {
                await acceptAnswer(host.client, q.id, a.id);
                emit(host, 'rh-answer-accepted', { ...a, accepted: true });
                host.announce(msg('Answer accepted.'));
                // Only the asker may thank for an answer, and not themselves. Not for an anonymous question:
                // kudos show who gave them, and on the wall right after the answer was accepted they would
                // show who asked. (The asker may still thank on the wall, at a time of their choosing.)
                if (q.mine && !a.mine && !q.anonymous) thanks.set(host, { a });
                await host.showAnswer(a);
              })}
          >
            ${msg('Accept this answer')}
          </button>`
        : nothing}
      ${thanks.get(host)?.a.id === a.id ? thankView(kit, host, thanks.get(host)!) : nothing}
    </div>
  </li>`;
}

/** One click to thank the author of the accepted answer with kudos, linking back to the question. */
function thankView({ html, msg, str, emit, deriveTopicFromPath }: DetailKit, host: DetailHost, { a }: { a: Answer }) {
  const message = msg('Thank you for your answer!');
  const send = () =>
    host.act('thank', async () => {
      // The page's wall: the one its <kudos-wall> shows (a `wall` of its own, say `k8s-foundations` in a
      // course), else the one a bare <kudos-wall> on this page would show.
      const onPage = document.querySelector<HTMLElement & { wallKey?: string }>('kudos-wall');
      const kudos = await giveKudos(
        host.client,
        {
          wall: onPage?.wallKey ?? (onPage?.getAttribute('wall') || deriveTopicFromPath(location.pathname)),
          to: a.author.id,
          message,
          badge: host.session.site!.kudosBadges[0]!,
          // The API refuses (403 anonymous_question) what the learner is not offered here.
          for: { answerId: a.id },
        },
        // One kudos per accepted answer, however often the click is resent.
        { idempotencyKey: `thank-${a.id}` },
      );
      emit(host, 'rh-kudos-given', kudos);
      host.announce(msg('Kudos sent.'));
      thanks.delete(host);
      // The button goes: focus stays with the answer.
      host.focusLater(`a-${a.id}`);
    });
  return html`<div part="thank">
    <p>${msg(str`Thank ${a.author.name} with kudos?`)}</p>
    <p part="body">${message}</p>
    <button part="submit" class="primary" @click=${send}>${msg('Send kudos')}</button>
  </div>`;
}
