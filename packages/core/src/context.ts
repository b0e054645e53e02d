import { createContext } from '@lit/context';
import type { ApiClient } from './api-client.js';
import type { SessionStore } from './session.js';

/**
 * Context keys are `Symbol.for(...)`, so separately bundled widgets still find
 * a provider from another bundle.
 */
export const clientContext = createContext<ApiClient>(Symbol.for('readyhand.client'));
export const sessionContext = createContext<SessionStore>(Symbol.for('readyhand.session'));
