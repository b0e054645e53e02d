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

const newKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * A form's draft in localStorage, saved as typed, and its sending: a failed
 * send keeps the draft and is resent, with the same Idempotency-Key, when the
 * browser comes back online, on a backoff timer, or on `retry()`, until the
 * API has it; then the draft is cleared.
 */
export class DraftController<R> implements ReactiveController {
  draft: Draft = { fields: {} };
  /** The last send's error, `null` after success or while sending. */
  error: ApiError | null = null;
  sending = false;
  private storageKey = '';
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

  /** Switches to the draft stored under `key` (e.g. another question's answer). */
  use(key: string) {
    if (key === this.storageKey) return;
    clearTimeout(this.timer);
    this.storageKey = key;
    this.error = null;
    this.attempt = 0;
    try {
      this.draft = JSON.parse(localStorage.getItem(key) ?? 'null') ?? { fields: {} };
    } catch {
      this.draft = { fields: {} };
    }
    if (this.draft.pending) this.schedule(0);
  }

  /** Saves a field as the learner types. */
  set(name: string, value: string | boolean) {
    this.draft.fields[name] = value;
    this.store();
    this.host.requestUpdate();
  }

  get(name: string): string {
    return String(this.draft.fields[name] ?? '');
  }

  /** Sends the draft now; it stays pending until the API has it. */
  submit(): Promise<void> {
    this.draft.key ??= newKey();
    this.draft.pending = true;
    this.store();
    return this.trySend();
  }

  /** Resends a pending draft now (Retry button, `online`, sign-in). */
  retry(): Promise<void> {
    return this.draft.pending ? this.trySend() : Promise.resolve();
  }

  /** The API's message for one field of a failed send. */
  fieldError(field: string): string | undefined {
    return this.error?.details.find((d) => d.field === field)?.message;
  }

  hostConnected() {
    addEventListener('online', this.online);
    if (this.draft.pending) this.schedule(0);
  }

  hostDisconnected() {
    removeEventListener('online', this.online);
    clearTimeout(this.timer);
  }

  private async trySend() {
    if (this.sending || !this.ready()) return;
    clearTimeout(this.timer);
    const { storageKey, draft } = this;
    this.sending = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      const result = await this.send(draft.fields, draft.key!);
      this.attempt = 0;
      try {
        localStorage.removeItem(storageKey);
      } catch {
        // Nothing stored, nothing to clear.
      }
      if (this.storageKey === storageKey) this.draft = { fields: {} };
      this.sent(result);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
      if (this.storageKey === storageKey) this.error = error;
      if (error.retryable) {
        this.schedule(Math.min(RETRY_MAX, RETRY_MIN * 2 ** this.attempt++));
      } else {
        // The API refused this content: the learner edits it, and the edit is a new send.
        draft.pending = false;
        draft.key = undefined;
        this.store();
      }
      throw error;
    } finally {
      this.sending = false;
      this.host.requestUpdate();
    }
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.trySend().catch(() => {}), ms);
  }

  private store() {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.draft));
    } catch {
      // Storage full or disabled: the draft lives on in memory.
    }
  }
}
