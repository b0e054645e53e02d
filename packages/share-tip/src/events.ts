import type { Tip } from '@readyhand/api/schemas';

declare global {
  interface GlobalEventHandlersEventMap {
    /** `<share-tip>` shared a tip; detail: the tip. */
    'rh-tip-shared': CustomEvent<Tip>;
    /** A tip was marked helpful in `<share-tip>`; detail: the tip with its new count. */
    'rh-tip-marked-helpful': CustomEvent<Tip>;
  }
}

export {};
