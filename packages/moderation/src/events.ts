import type { ModerationItem } from '@readyhand/api/schemas';

/** What a moderator did: `hide`, `restore`, `approve`, `block` or `unblock`. */
export type ModerationAction = 'hide' | 'restore' | 'approve' | 'block' | 'unblock';

declare global {
  interface GlobalEventHandlersEventMap {
    /** `<readyhand-moderation>` carried out a moderator's action; detail: the action and the record as it is now. */
    'rh-moderated': CustomEvent<{ action: ModerationAction; item: ModerationItem }>;
  }
}

export {};
