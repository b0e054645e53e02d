import type { Me, PublicSite, Session } from '@readyhand/api/schemas';
import { ApiClient, ApiError, getSite } from './api-client.js';
import type { Credentials } from './sign-in.js';

const STORED = 'rh-session-stored';
/** Re-exchange or drop a session this long before it expires. */
const MARGIN = 60_000;

/**
 * Who the learner is, for one API and site: a session from a host-signed
 * token (`token`, `token-url`) or a guest name. A guest session is kept in
 * localStorage per API and site, so a reload keeps the learner's identity, and
 * other stores of the same API and site on the page follow it.
 *
 * Fires `change` whenever the session or the site's settings change, and
 * `signed-in` (detail: the user) after a new sign-in. Call `dispose()` when no
 * element uses the store any more, and `follow()` when one does again.
 */
export class SessionStore extends EventTarget {
  /** The current session, `null` when signed out. */
  session: Session | null = null;
  /** The site's public settings, once loaded. */
  site: PublicSite | null = null;
  private hostToken = '';
  private tokenUrl = '';
  private timer?: ReturnType<typeof setTimeout>;
  private _sitePromise?: Promise<PublicSite | null>;
  private readonly onStored = (e: Event) => (e as CustomEvent).detail === this.key && this.restore();

  constructor(readonly client: ApiClient) {
    super();
    client.onUnauthorized = () => this.signOut();
    this.follow();
  }

  /** The signed-in user, or `null`. */
  get user(): Me | null {
    return this.session?.user ?? null;
  }

  private get key() {
    return `readyhand.session:${this.client.api}|${this.client.site}`;
  }

  /** Follows guest sign-ins of other stores on the page, and renews the session before it expires. */
  follow() {
    addEventListener(STORED, this.onStored);
    this.restore();
    this._renewLater();
  }

  /** Stops following the page and renewing the session. */
  dispose() {
    removeEventListener(STORED, this.onStored);
    clearTimeout(this.timer);
  }

  /** Loads the site's public settings once (again after a failure). */
  loadSite(): Promise<PublicSite | null> {
    this._sitePromise ??= getSite(this.client).then(
      (site) => {
        this.site = site;
        this.changed();
        return site;
      },
      () => {
        this._sitePromise = undefined;
        return null;
      },
    );
    return this._sitePromise;
  }

  /**
   * Signs in with the host's identity token, or with one fetched from the
   * host's own `url` (with its cookies), unless already signed in with it.
   * Both taken away (the host signed its user out): signed out.
   */
  async identify(token: string, url: string) {
    if (url ? url === this.tokenUrl : token === this.hostToken && !this.tokenUrl) return;
    this.hostToken = token;
    this.tokenUrl = url;
    await (token || url ? this.exchange() : this.signOut());
  }

  /** Exchanges the host's token (fetched anew from its URL) for a session: at sign-in and before expiry. */
  private exchange() {
    return this.start({ token: this.hostToken, tokenUrl: this.tokenUrl }, false);
  }

  /** Signs in with a display name, where the site allows guests. */
  async signInAsGuest(guestName: string): Promise<Me | null> {
    return this.start({ guestName }, true);
  }

  signOut() {
    this.set(null, !this.hosted);
  }

  /** Signed in by the host page, not as a guest. */
  private get hosted() {
    return !!(this.hostToken || this.tokenUrl);
  }

  private async siteId() {
    return this.client.site || (await this.loadSite())?.id || '';
  }

  /** Signs in; how is not needed before the first sign-in of a page (see sign-in.ts). The site is read meanwhile. */
  private async start(credentials: Credentials, persist: boolean): Promise<Me> {
    const [{ default: signIn }, site] = await Promise.all([import('./sign-in.js'), this.siteId()]);
    const session = await signIn(this.client, ApiError, site, credentials);
    this.set(session, persist);
    this.dispatchEvent(new CustomEvent('signed-in', { detail: session.user }));
    return session.user;
  }

  private set(session: Session | null, persist: boolean) {
    this.session = session;
    this.client.token = session?.sessionToken ?? null;
    this._renewLater();
    if (persist) {
      try {
        if (session) localStorage.setItem(this.key, JSON.stringify(session));
        else localStorage.removeItem(this.key);
        dispatchEvent(new CustomEvent(STORED, { detail: this.key }));
      } catch {
        // Storage may be disabled (private mode, sandboxed frames): the session lives in memory only.
      }
    }
    this.changed();
  }

  /** Shortly before the session expires: a fresh one from the host's token, else signed out. */
  private _renewLater() {
    clearTimeout(this.timer);
    if (!this.session) return;
    const ms = Date.parse(this.session.expiresAt) - Date.now() - MARGIN;
    this.timer = setTimeout(
      () => (this.hosted ? this.exchange().catch(() => this.signOut()) : this.signOut()),
      Math.min(Math.max(ms, 0), 2 ** 31 - 1),
    );
  }

  private restore() {
    if (this.hosted) return;
    let stored: Session | null = null;
    try {
      stored = JSON.parse(localStorage.getItem(this.key)!);
    } catch {
      // Unreadable storage counts as signed out.
    }
    const fresh = stored && Date.parse(stored.expiresAt) - MARGIN > Date.now();
    // An expired session is removed, so the next widget does not try it either.
    if (fresh || stored || this.session) this.set(fresh ? stored : null, !fresh && !!stored);
  }

  private changed() {
    this.dispatchEvent(new Event('change'));
  }
}
