import type { Kudos } from '@readyhand/api/schemas';

declare global {
  interface GlobalEventHandlersEventMap {
    /** Kudos were given in `<kudos-wall>`, or as thanks for an answer in `<ask-expert>`; detail: the kudos. */
    'rh-kudos-given': CustomEvent<Kudos>;
  }
}

export {};
