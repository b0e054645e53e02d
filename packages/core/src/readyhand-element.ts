import { LitElement, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { ApiClient, ApiError } from './api-client.js';
import { SessionStore } from './session.js';
import { clientContext, sessionContext } from './context.js';
import { baseStyles } from './styles.js';

/** The origin this script was loaded from: where `widgets.js` and the API live. */
export const defaultApi = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
})();

/**
 * Builds the client and session store for one API and site, and wires the
 * store's sign-in to an `rh-signed-in` DOM event on `host`.
 */
export function createSession(host: HTMLElement, api: string, site: string): SessionStore {
  const store = new SessionStore(new ApiClient(api, site));
  store.addEventListener('signed-in', (e) =>
    host.dispatchEvent(new CustomEvent('rh-signed-in', { detail: (e as CustomEvent).detail, bubbles: true, composed: true })),
  );
  store.loadSite();
  return store;
}

/**
 * Base of every Readyhand widget: the common attributes, the client and
 * session (from a `<readyhand-provider>`, or built from the attributes), the
 * language, an aria-live announcer and event helpers.
 *
 * @cssproperty --rh-color-accent - Buttons, links and the focus ring.
 * @cssproperty --rh-color-on-accent - Text on accent-coloured buttons.
 * @cssproperty --rh-color-text - Text.
 * @cssproperty --rh-color-surface - Background.
 * @cssproperty --rh-color-border - Borders and skeletons.
 * @cssproperty --rh-color-muted - Secondary text and form control borders.
 * @cssproperty --rh-color-danger - Errors.
 * @cssproperty --rh-radius - Corner radius.
 * @cssproperty --rh-space - Base spacing.
 * @cssproperty --rh-font-family - Font; the host page's by default.
 * @cssproperty --rh-state-min-height - Minimum height of the loading, empty and error states.
 * @event rh-signed-in - A learner signed in (detail: the user), when the widget has its own session.
 * @event rh-error - An API call failed (detail: the `ApiError`).
 */
export class ReadyhandElement extends LitElement {
  static override styles = [baseStyles];

  /** API base URL; defaults to the origin the widget script was loaded from. */
  @property() api = defaultApi;
  /** Site id; the server's default site when empty. */
  @property() site = '';
  /** Colour scheme: `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Host-signed identity token (JWT), exchanged for a session. */
  @property() token = '';
  /** URL on the host's own origin that returns a fresh identity token. */
  @property({ attribute: 'token-url' }) tokenUrl = '';

  @consume({ context: clientContext, subscribe: true })
  @state()
  private providedClient?: ApiClient;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private providedSession?: SessionStore;

  @state() private announcement = '';
  private ownSession?: SessionStore;
  private watched?: SessionStore;
  private readonly onSessionChange = () => this.sessionChanged();

  /** The session this widget uses: the provider's, or its own. */
  get session(): SessionStore {
    return this.providedSession ?? this.ownSession!;
  }

  /** The API client this widget uses: the provider's, or its own. */
  get client(): ApiClient {
    return this.providedClient ?? this.session.client;
  }

  /** The widget's language: its own or nearest `lang`, else the browser's. */
  get locale(): string {
    return (this.closest('[lang]') as HTMLElement | null)?.lang || navigator.language;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.watched?.addEventListener('change', this.onSessionChange);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.watched?.removeEventListener('change', this.onSessionChange);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.providedSession) {
      const own0 = this.ownSession?.client;
      const fresh = !own0 || own0.api !== this.api || own0.site !== this.site;
      if (fresh) this.ownSession = createSession(this, this.api, this.site);
      const own = this.ownSession!;
      if (this.tokenUrl && (fresh || changed.has('tokenUrl'))) own.useTokenUrl(this.tokenUrl).catch((e) => this.fail(e));
      else if (this.token && (fresh || changed.has('token'))) own.useToken(this.token).catch((e) => this.fail(e));
    }
    if (this.session !== this.watched) {
      this.watched?.removeEventListener('change', this.onSessionChange);
      this.watched = this.session;
      this.watched.addEventListener('change', this.onSessionChange);
      this.watched.loadSite();
    }
  }

  /** Called when the session or the site's settings change. */
  protected sessionChanged() {
    this.requestUpdate();
  }

  /** Says `text` through the widget's aria-live region. */
  protected announce(text: string) {
    // A zero-width space makes a repeated message a change, so it is read again.
    this.announcement = text === this.announcement ? `${text}\u200b` : text;
  }

  /** The visually hidden live region every widget renders once. */
  protected liveRegion() {
    return html`<div class="vh" role="status" aria-live="polite" part="live">${this.announcement}</div>`;
  }

  /** Dispatches a bubbling, composed event. */
  protected emit<T>(name: string, detail: T) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** Passes a call's result through, reporting its failure as `rh-error` (for tasks, which render errors themselves). */
  protected reported<T>(call: Promise<T>): Promise<T> {
    return call.catch((error) => {
      this.fail(error);
      throw error;
    });
  }

  /** Reports a failed call: `rh-error` for the host page. Aborted calls are not failures. */
  protected fail(error: unknown) {
    if ((error as Error)?.name === 'AbortError') return;
    this.emit('rh-error', error instanceof ApiError ? error : new ApiError(0, 'network', String(error)));
  }
}
