import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from './api-client.js';

/** What the learner typed, and the key that makes its sending idempotent. */
export interface Draft {
  fields: Record<string, string | boolean>;
  /** Idempotency-Key of the send; kept until the API has the record. */
  key?: string;
  /** A send was attempted and must be completed when the API is back. */
  pending?: boolean;
}

const RETRY_MIN = 2_000;
const RETRY_MAX = 60_000;

// randomUUID exists in secure contexts only, and intranet pages are not always served over https.
const newKey = () => crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const read = (key: string): Draft => {
  try {
    return JSON.parse(localStorage.getItem(key)!) ?? { fields: {} };
  } catch {
    return { fields: {} };
  }
};

const write = (key: string, draft: Draft) => {
  try {
    localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft lives on in memory.
  }
};

/**
 * A form's drafts in localStorage, saved as typed, and their sending. A form
 * keeps one draft per thing it is about (the topic's question, each question's
 * answer), stored under `scope + id`. A failed send keeps its draft, which is
 * resent with the same Idempotency-Key until the API has it, whichever draft is
 * shown: when the browser comes back online, on a backoff timer, on `retry()`,
 * and when the form connects. Then the draft is cleared.
 */
/** Any draft controller, whatever its send resolves with: for code that only reads and submits drafts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDraftController = DraftController<any>;

export class DraftController<R> implements ReactiveController {
  /** The draft shown in the form. */
  draft: Draft = { fields: {} };
  /** The shown draft's last send error, `null` after success or while sending. */
  error: ApiError | null = null;
  private key = '';
  private scope = '';
  private readonly inFlight = new Set<string>();
  private attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly online = () => this.retry();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly send: (fields: Draft['fields'], idempotencyKey: string) => Promise<R>,
    private readonly sent: (result: R) => void,
    /** Whether sending is possible now (e.g. signed in). */
    private readonly ready: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  /** Whether the shown draft is being sent. */
  get sending() {
    return this.inFlight.has(this.key);
  }

  /** Shows the draft stored under `scope + id`; the pending drafts of a new scope are sent at once. */
  use(scope: string, id = '') {
    if (scope + id === this.key) return;
    this.key = scope + id;
    this.draft = read(this.key);
    this.error = null;
    if (scope !== this.scope) {
      this.scope = scope;
      this.retryIn(0);
    }
  }

  /** Saves a field as the learner types. */
  set(name: string, value: string | boolean) {
    this.draft.fields[name] = value;
    write(this.key, this.draft);
    this.host.requestUpdate();
  }

  get(name: string): string {
    return String(this.draft.fields[name] ?? '');
  }

  /** Sends the shown draft now; it stays pending until the API has it. */
  submit(): Promise<void> {
    this.draft.key ??= newKey();
    this.draft.pending = true;
    write(this.key, this.draft);
    return this._sendDraft(this.key);
  }

  /** Resends every pending draft of the scope now (Retry, `online`, sign-in, backoff). */
  retry() {
    if (!this.scope) return;
    const keys = new Set([this.key]);
    try {
      for (const key of Object.keys(localStorage)) if (key.startsWith(this.scope)) keys.add(key);
    } catch {
      // Without storage only the shown draft exists.
    }
    for (const key of keys) this._sendDraft(key).catch(() => {});
  }

  /** The API's message for one field (or an item of the list `field`) of the shown draft's failed send. */
  fieldError(field: string): string | undefined {
    return this.error?.details.find((d) => d.field.split('.')[0] === field)?.message;
  }

  hostConnected() {
    addEventListener('online', this.online);
    this.retryIn(0);
  }

  hostDisconnected() {
    removeEventListener('online', this.online);
    clearTimeout(this.timer);
  }

  private async _sendDraft(key: string) {
    const shown = key === this.key;
    const draft = shown ? this.draft : read(key);
    if (!draft.pending || this.inFlight.has(key) || !this.ready()) return;
    clearTimeout(this.timer);
    this.inFlight.add(key);
    if (shown) this.error = null;
    this.host.requestUpdate();
    try {
      const result = await this.send(draft.fields, draft.key!);
      this.attempt = 0;
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
      if (key === this.key) this.draft = { fields: {} };
      this.sent(result);
    } catch (e) {
      const error = ApiError.from(e);
      if (key === this.key) this.error = error;
      if (error.retryable) {
        this.retryIn(Math.min(RETRY_MAX, RETRY_MIN * 2 ** this.attempt++));
      } else {
        // The API refused this content: the learner edits it, and the edit is a new send.
        draft.pending = false;
        draft.key = undefined;
        write(key, draft);
      }
      throw error;
    } finally {
      this.inFlight.delete(key);
      this.host.requestUpdate();
    }
  }

  private retryIn(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.online, ms);
  }
}
