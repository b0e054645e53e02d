import type { Me } from '@readyhand/api/schemas';
import type { ApiError } from './api-client.js';

/** Dispatches a bubbling, composed event, as every Readyhand event is. */
export const emit = (target: EventTarget, name: string, detail: unknown) =>
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));

declare global {
  interface GlobalEventHandlersEventMap {
    /** A learner signed in; detail: the user. */
    'rh-signed-in': CustomEvent<Me>;
    /** An API call failed; detail: the error. */
    'rh-error': CustomEvent<ApiError>;
  }
}
