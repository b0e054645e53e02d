import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import { ApiError } from './api-client.js';

/** What happened, in words for the learner. */
export function describeError(error: unknown): string {
  switch (ApiError.from(error).code) {
    case 'network':
      return msg("Can't reach Readyhand right now. Check your connection.");
    case 'unauthorized':
      return msg('Your session has ended. Sign in again.');
    case 'forbidden':
      return msg("You aren't allowed to do that here.");
    case 'rate_limited':
      return msg('Too many requests. Try again in a moment.');
    case 'not_found':
      return msg('This was not found. It may have been removed.');
  }
  return (error as ApiError).message || msg('Something went wrong.');
}

/** Loading: a skeleton that keeps the content's height, so the host page does not jump. */
export const loadingView = (rows = 4) =>
  html`<div part="loading" aria-busy="true">
    <span class="vh">${msg('Loading…')}</span>
    ${Array.from({ length: rows }, () => html`<span class="sk" aria-hidden="true"></span>`)}
  </div>`;

/** Error: what happened, what becomes of it (`note`), and a Retry button where `retry` is given. */
export const errorView = (error: unknown, retry?: () => void, note?: unknown) =>
  html`<div part="error" role="alert">
    <p>${describeError(error)} ${note}</p>
    ${retry ? html`<button type="button" part="retry" @click=${retry}>${msg('Retry')}</button>` : nothing}
  </div>`;

/** Empty: an invitation to be first. */
export const emptyView = (content: unknown) => html`<div part="empty">${content}</div>`;

export interface TaskViews<R> {
  complete: (value: R) => unknown;
  /** Shown instead of `complete` for an empty result (e.g. an empty list). */
  empty?: unknown;
  rows?: number;
  retry?: () => void;
}

/**
 * Renders a task in the four states every widget shares; an empty array is
 * the empty state. While a task reloads with a previous value, the previous
 * content stays (no flash of skeleton).
 */
export function renderTask<R>(task: { status: number; value?: R; error?: unknown; run(): unknown }, v: TaskViews<R>): unknown {
  const { status, value } = task;
  if (status === TaskStatus.ERROR) return errorView(task.error, v.retry ?? (() => task.run()));
  if (status === TaskStatus.COMPLETE || (status === TaskStatus.PENDING && value !== undefined)) {
    return Array.isArray(value) && !value.length ? emptyView(v.empty) : v.complete(value!);
  }
  return loadingView(v.rows);
}
