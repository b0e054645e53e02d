import { css, html } from 'lit';
import { ContextProvider } from '@lit/context';
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

  private readonly clientProvider = new ContextProvider(this, { context: clientContext });
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });

  /** The shared API client. */
  get client(): ApiClient {
    return this.session.client;
  }

  /** The shared session. */
  get session(): SessionStore {
    return this.sessionProvider.value;
  }

  override connectedCallback() {
    // Children request the context as they connect, before this element's first update.
    this.willUpdate();
    super.connectedCallback();
  }

  protected override willUpdate() {
    const session = this.buildSession();
    this.sessionProvider.setValue(session);
    this.clientProvider.setValue(session.client);
  }

  override render() {
    return html`<slot></slot>`;
  }
}
