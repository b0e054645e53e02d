import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { provide } from '@lit/context';
import type { ApiClient } from './api-client.js';
import type { SessionStore } from './session.js';
import { clientContext, sessionContext } from './context.js';
import { createSession, defaultApi } from './readyhand-element.js';

/**
 * Provides one API client and one session to any number of Readyhand widgets
 * inside it, so they share the learner's identity and the site's settings.
 *
 * @tag readyhand-provider
 * @slot - The widgets (and any other content).
 * @event rh-signed-in - A learner signed in; detail: the user.
 */
export class ReadyhandProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** API base URL; defaults to the origin the widget script was loaded from. */
  @property() api = defaultApi;
  /** Site id; the server's default site when empty. */
  @property() site = '';
  /** Host-signed identity token (JWT), exchanged for a session. */
  @property() token = '';
  /** URL on the host's own origin that returns a fresh identity token. */
  @property({ attribute: 'token-url' }) tokenUrl = '';

  /** The shared API client. */
  @provide({ context: clientContext }) client!: ApiClient;
  /** The shared session. */
  @provide({ context: sessionContext }) session!: SessionStore;

  override connectedCallback() {
    // Children request the context as they connect, before this element's first update.
    if (!this.session) this.build();
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const { client } = this.session;
    const fresh = client.api !== this.api || client.site !== this.site;
    if (fresh) this.build();
    if (this.tokenUrl && (fresh || changed.has('tokenUrl'))) this.session.useTokenUrl(this.tokenUrl).catch(() => {});
    else if (this.token && (fresh || changed.has('token'))) this.session.useToken(this.token).catch(() => {});
  }

  private build() {
    this.session = createSession(this, this.api, this.site);
    this.client = this.session.client;
  }

  override render() {
    return html`<slot></slot>`;
  }
}
