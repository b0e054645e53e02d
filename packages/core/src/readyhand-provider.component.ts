import { css, html } from 'lit';
import { provide } from '@lit/context';
import type { ApiClient } from './api-client.js';
import type { SessionStore } from './session.js';
import { clientContext, sessionContext } from './context.js';
import { SessionElement } from './readyhand-element.js';

/**
 * Provides one API client and one session to any number of Readyhand widgets
 * inside it, so they share the learner's identity and the site's settings.
 *
 * @tag readyhand-provider
 * @slot - The widgets (and any other content).
 * @event rh-signed-in - A learner signed in; detail: the user.
 * @event rh-error - Signing in with the host's token failed; detail: the `ApiError`.
 */
export class ReadyhandProvider extends SessionElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The shared API client. */
  @provide({ context: clientContext }) client!: ApiClient;
  /** The shared session. */
  @provide({ context: sessionContext }) session!: SessionStore;

  override connectedCallback() {
    // Children request the context as they connect, before this element's first update.
    this.willUpdate();
    super.connectedCallback();
  }

  protected override willUpdate() {
    this.session = this.buildSession();
    this.client = this.session.client;
  }

  override render() {
    return html`<slot></slot>`;
  }
}
