import type { Answer, Kudos, Question } from '@readyhand/api/schemas';

declare global {
  interface GlobalEventHandlersEventMap {
    /** `<ask-expert>` posted a question; detail: the question. */
    'rh-question-asked': CustomEvent<Question>;
    /** `<ask-expert>` posted an answer; detail: the answer. */
    'rh-answer-posted': CustomEvent<Answer>;
    /** An answer was accepted in `<ask-expert>`; detail: the accepted answer. */
    'rh-answer-accepted': CustomEvent<Answer>;
    /** The author of an accepted answer was thanked from `<ask-expert>` (as `<kudos-wall>` fires it too); detail: the kudos. */
    'rh-kudos-given': CustomEvent<Kudos>;
  }
}

export {};
