import type { ReactiveControllerHost } from 'lit';
import type { ApiError } from './api-client.js';
import type { Draft } from './drafts.js';

/** What the sending takes from the bundle that loads it: its `ApiError` (whose failures every widget knows how to show) and how drafts are stored. */
export interface SendKit {
  ApiError: typeof ApiError;
  write: (key: string, draft: Draft) => void;
}

/** The members of a `DraftController` the sending uses (none `_`-prefixed: the bundles' minifier renames those). */
export interface Sending<R> {
  host: ReactiveControllerHost;
  send: (fields: Draft['fields'], idempotencyKey: string) => Promise<R>;
  sent: (result: R) => void;
  draft: Draft;
  key: string;
  error: ApiError | null;
  inFlight: Set<string>;
  attempt: number;
  retryIn(ms: number): void;
}

const RETRY_MIN = 2_000;
const RETRY_MAX = 60_000;

// randomUUID exists in secure contexts only, and intranet pages are not always served over https.
const newKey = () => crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * Sends the pending draft stored under `key` (in flight: in `inFlight` already)
 * with its Idempotency-Key (a new one for a first send), then clears it; a retryable failure is sent again on a
 * backoff timer, a refused one waits for the learner's edit. A module of its
 * own, loaded at a page's first send (see drafts.ts): the build writes it
 * beside the bundles as `draft-send.js`, one file for every bundle.
 */
export default async function sendDraft<R>({ ApiError, write }: SendKit, c: Sending<R>, key: string, draft: Draft) {
  const shown = key === c.key;
  draft.key ??= newKey();
  write(key, draft);
  if (shown) c.error = null;
  c.host.requestUpdate();
  try {
    const result = await c.send(draft.fields, draft.key);
    c.attempt = 0;
    try {
      localStorage.removeItem(key);
    } catch {
      // Nothing stored, nothing to clear.
    }
    if (key === c.key) c.draft = { fields: {} };
    c.sent(result);
  } catch (e) {
    const error = ApiError.from(e);
    if (key === c.key) c.error = error;
    if (error.retryable) {
      c.retryIn(Math.min(RETRY_MAX, RETRY_MIN * 2 ** c.attempt++));
    } else {
      // The API refused this content: the learner edits it, and the edit is a new send.
      draft.pending = false;
      draft.key = undefined;
      write(key, draft);
    }
    throw error;
  } finally {
    c.inFlight.delete(key);
    c.host.requestUpdate();
  }
}
