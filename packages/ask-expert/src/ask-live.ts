import type { LiveEvent, Question, QuestionDetail } from '@readyhand/api/schemas';
import type { Kit, Task, arrive } from '@readyhand/core';
import type { str } from '@lit/localize';

/** What the merge takes from the bundle that loads it (see kit.ts in core). */
export type LiveKit = Pick<Kit, 'msg'> & { str: typeof str; arrive: typeof arrive };

/**
 * The members of `<ask-expert>` the merge uses. None is `_`-prefixed: the
 * bundles' minifier renames those, each bundle its own way.
 */
export interface LiveHost extends HTMLElement {
  sort: string;
  /** The filter the list shows. */
  shownFilter: string;
  /** The open question's id. */
  openId: string | null;
  questions: Task<unknown[], Question[]>;
  detail: Task<unknown[], QuestionDetail>;
  fresh: Question[];
  more: Question[];
  announce(text: string): void;
  requestUpdate(): void;
}

/**
 * Merges what others do, live, into what `<ask-expert>` shows: new questions, answers and
 * accepted answers. A module of its own, loaded with the live updates' stream once the widget
 * has rendered (see `live` in core): the build writes it beside the bundles as `ask-live.js`.
 * It imports nothing at run time, so one file serves widgets.js and ask-expert.js.
 */
export default function merge({ msg, str, arrive }: LiveKit, host: LiveHost, e: Exclude<LiveEvent, { id: string }>) {
  const list = host.questions.value ?? [];
  const open = host.detail.value;
  // The update comes after what follows, returns included.
  host.requestUpdate();
  if (e.type === 'question.asked') {
    const { question } = e;
    if (host.sort === 'recent' && /all|open/.test(host.shownFilter) && arrive(host.questions.value, host.fresh, question)) {
      host.announce(msg(str`New question: ${question.title}`));
    }
  } else if ('questionId' in e) {
    const posted = e.type === 'answer.posted';
    for (const q of [...list, ...host.fresh, ...host.more]) {
      if (q.id === e.questionId) posted ? q.answerCount++ : (q.status = 'answered');
    }
    if (host.openId !== e.questionId || open?.id !== e.questionId) return;
    // Accepted answers go first: the API knows the order.
    if (!posted) return void host.detail.run();
    if (open.answers.some((a) => a.id === e.answer.id)) return;
    open.answers.push(e.answer);
    open.answerCount++;
  }
}
