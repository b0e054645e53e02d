import type { Me } from '@readyhand/api/schemas';
import type { ApiError } from './api-client.js';

declare global {
  interface GlobalEventHandlersEventMap {
    /** A learner signed in; detail: the user. */
    'rh-signed-in': CustomEvent<Me>;
    /** An API call failed; detail: the error. */
    'rh-error': CustomEvent<ApiError>;
  }
}

export {};
