import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from './api-client.js';
import type { Sending } from './draft-send.js';

/** What the learner typed, and the key that makes its sending idempotent. */
export interface Draft {
  fields: Record<string, string | boolean>;
  /** Idempotency-Key of the send; kept until the API has the record. */
  key?: string;
  /** A send was attempted and must be completed when the API is back. */
  pending?: boolean;
}

/** How long after a failed fetch of `draft-send.js` it is tried again. */
const RETRY_MIN = 2_000;

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
  // `protected`, not `private`: draft-send.ts uses these too.
  /** Failed sends in a row: the exponent of the backoff. */
  protected attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly online = () => this.retry();

  constructor(
    private readonly host: ReactiveControllerHost,
    protected readonly send: (fields: Draft['fields'], idempotencyKey: string) => Promise<R>,
    protected readonly sent: (result: R) => void,
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

  /**
   * Sends a pending draft, unless it is on its way or nobody is signed in. How is
   * not needed before a page's first send: `draft-send.js` (draft-send.ts).
   */
  private async _sendDraft(key: string) {
    const draft = key === this.key ? this.draft : read(key);
    if (!draft.pending || this.inFlight.has(key) || !this.ready()) return;
    clearTimeout(this.timer);
    this.inFlight.add(key);
    let sendDraft;
    try {
      sendDraft = (await import('./draft-send.js')).default;
    } catch (e) {
      // As when the API is unreachable: said in the form, and tried again later.
      const error = ApiError.from(e);
      this.inFlight.delete(key);
      if (key === this.key) this.error = error;
      this.retryIn(RETRY_MIN);
      this.host.requestUpdate();
      throw error;
    }
    // The cast: the sending reaches members that are private to everything else.
    return sendDraft({ ApiError, write }, this as unknown as Sending<R>, key, draft);
  }

  private retryIn(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.online, ms);
  }
}
