import { LitElement, html, nothing, type CSSResult, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import { msg, str } from '@lit/localize';
import { ApiClient, ApiError } from './api-client.js';
import { SessionStore } from './session.js';
import { sessionContext } from './context.js';
import { ContextEvent } from '@lit/context';
import { baseStyles } from './styles.js';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import type { DraftForms } from './draft-form.js';
import { describeError, errorView, loadingView } from './states.js';
import { field } from './views.js';
import { supportedLocale, useLocale } from './localize.js';
import { emit } from './events.js';
import { kit } from './kit.js';

/** The origin this script was loaded from: where `widgets.js` and the API live. */
export const defaultApi = new URL(import.meta.url).origin;

/**
 * Builds the client and session store for `api` and `site`, and wires the
 * store's sign-in to an `rh-signed-in` DOM event on `host`.
 */
export function createSession(host: HTMLElement, api: string, site: string): SessionStore {
  const store = new SessionStore(new ApiClient(api, site));
  store.addEventListener('signed-in', (e) => emit(host, 'rh-signed-in', (e as CustomEvent).detail));
  return store;
}

type SessionAttributes = Partial<Record<'api' | 'site' | 'token' | 'tokenUrl', string>>;

/** Page-wide defaults from `window.readyhand.configure()`, for elements without attributes of their own. */
const pageDefaults: SessionAttributes = {};
const connected = new Set<SessionElement>();
let langWatcher: MutationObserver | undefined;
/** How often forms were asked for again after a failed load (see `loadForms`). */
let retries = 0;

/**
 * `window.readyhand`, for host pages that prefer code to attributes. Defined
 * by the provider's module (so by `widgets.js`), unless the page has one.
 *
 * - `configure({ api, site, token, tokenUrl })`: defaults for every Readyhand
 *   element on the page, now or added later, that lacks the attribute itself.
 * - `setToken(token)`: a fresh host-signed identity token for every provider
 *   and widget session on the page (say, after the host renewed its login).
 */
export const readyhand = {
  configure(defaults: SessionAttributes) {
    Object.assign(pageDefaults, defaults);
    for (const el of connected) el.requestUpdate();
  },
  setToken(token: string) {
    pageDefaults.token = token;
    for (const el of connected) el.token = token;
  },
};

/**
 * What the provider and every widget share: the attributes that say which API,
 * site and learner, and the session built from them.
 *
 * Reactive properties are declared in `static properties`, not with decorators:
 * the decorators' runtime is a sizeable share of a bundle that must stay small.
 */
export class SessionElement extends LitElement {
  static override properties: PropertyDeclarations = {
    api: {},
    site: {},
    token: {},
    tokenUrl: { attribute: 'token-url' },
  };

  /** API base URL; by default `readyhand.configure()`'s, else the origin the widget script was loaded from. */
  api = '';
  /** Site id; by default `readyhand.configure()`'s, else the server's default site. */
  site = '';
  /** Host-signed identity token (JWT), exchanged for a session. */
  token = '';
  /** URL on the host's own origin that returns a fresh identity token. */
  tokenUrl = '';

  /** The session built from this element's attributes. */
  protected ownSession?: SessionStore;

  override connectedCallback() {
    super.connectedCallback();
    connected.add(this);
    this.ownSession?.follow();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    connected.delete(this);
    this.ownSession?.dispose();
  }

  /** Builds the session anew when the API or site changed, and signs in with the host's token. */
  protected buildSession(): SessionStore {
    const api = this.api || pageDefaults.api || defaultApi;
    const site = this.site || pageDefaults.site || '';
    let store = this.ownSession;
    if (store?.client.api !== api || store.client.site !== site) {
      store?.dispose();
      store = this.ownSession = createSession(this, api, site);
    }
    store.identify(this.token || pageDefaults.token || '', this.tokenUrl || pageDefaults.tokenUrl || '').catch((e) => this.fail(e));
    return store;
  }

  /** Reports a failed call as `rh-error` for the host page. Aborted calls are not failures. */
  protected fail(error: unknown) {
    if ((error as Error)?.name !== 'AbortError') emit(this, 'rh-error', ApiError.from(error));
  }
}

/**
 * Base of every Readyhand widget: the common attributes, the client and
 * session (from a `<readyhand-provider>`, or built from the attributes), the
 * language, an aria-live announcer, the guest sign-in, drafts and actions.
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
export class ReadyhandElement extends SessionElement {
  static override styles: CSSResultGroup = baseStyles;

  static override properties: PropertyDeclarations = {
    theme: { reflect: true },
    _providedSession: { attribute: false },
    _announcement: { attribute: false },
    actionError: { attribute: false },
    _signInError: { attribute: false },
    forms: { attribute: false },
  };

  /** Colour scheme: `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  theme: 'light' | 'dark' | 'auto' = 'auto';

  /** The session of a `<readyhand-provider>` around this widget, if any. */
  private _providedSession?: SessionStore;
  private _announcement = '';
  /** The last failed action, shown until the next one. */
  protected actionError?: unknown;
  private _signInError = '';
  /** The site's settings were asked for, and arrived or failed. */
  private _settled = false;
  /** The content was shown: a sign-in after that shows the forms when they are in, never the skeleton again. */
  private _shown = false;
  /** What actions are busy with (an item's id, say): their buttons are disabled meanwhile. */
  protected readonly busy = new Set<string>();
  /** The forms' drafts (see draft-form.ts), resent when the session changes. */
  private readonly drafts: { retry(): void }[] = [];
  /** The widget's forms and what a signed-in learner's actions need, once loaded (see `loadForms`). */
  protected forms?: unknown;
  /** What all widgets' forms share (draft-form.js), once loaded: with the moderation marks. */
  private _draftForms?: DraftForms;
  private _forms?: Promise<void>;
  /** Why the forms could not be loaded, until they are. */
  private _formsError?: unknown;
  private _watched?: SessionStore;
  private readonly _onSessionChange = () => {
    this.requestUpdate();
    // Signed in again, or the site's settings arrived: send what waited for it.
    for (const draft of this.drafts) draft.retry();
  };

  constructor() {
    super();
    // A `<readyhand-provider>` around the widget answers the context protocol's request with its
    // session, and again with each new one: the request @lit/context's ContextConsumer sends, without
    // the rest of that controller.
    let unsubscribe: (() => void) | undefined;
    this.addController({
      hostConnected: () =>
        this.dispatchEvent(
          new ContextEvent(
            sessionContext,
            this,
            (session: SessionStore, dispose?: () => void) => {
              // A provider that took over (one connected in between, say): leave the one before.
              if (dispose !== unsubscribe) unsubscribe?.();
              unsubscribe = dispose;
              this._providedSession = session;
            },
            true,
          ),
        ),
      hostDisconnected: () => {
        unsubscribe?.();
        unsubscribe = undefined;
      },
    });
  }

  /** The session this widget uses: the provider's, or its own. */
  get session(): SessionStore {
    return this._providedSession ?? this.ownSession!;
  }

  /** The API client this widget uses: its session's. */
  get client(): ApiClient {
    return this.session.client;
  }

  /**
   * The widget's language: of its own or the nearest `lang` (else the browser's),
   * where Readyhand speaks it (`de`, `es`, `fr`), else English (`en`).
   */
  get locale(): string {
    return supportedLocale((this.closest('[lang]') as HTMLElement | null)?.lang || navigator.language);
  }

  override connectedCallback() {
    super.connectedCallback();
    // A `lang` set or changed on a widget or anything above it: every widget renders again, in its language now.
    langWatcher ??= new MutationObserver(() => connected.forEach((el) => el.requestUpdate()));
    langWatcher.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true });
    this._watched?.addEventListener('change', this._onSessionChange);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._watched?.removeEventListener('change', this._onSessionChange);
  }

  /**
   * Renders once the widget's language is here: the first render of a German
   * page waits for `locales/de.js` rather than showing English first. `msg()`
   * then translates into this widget's language while it renders. The first
   * render is a task of its own, after the script's and the other widgets':
   * three widgets on a page are three short tasks, not one long one.
   */
  protected override async scheduleUpdate() {
    if (!this.hasUpdated) await new Promise((r) => setTimeout(r));
    for (let loading; (loading = useLocale(this.locale)); ) await loading;
    return super.scheduleUpdate();
  }

  protected override willUpdate() {
    const session = this._providedSession ?? this.buildSession();
    // Signed in, or signing in with the host's token: the forms load beside the session and the data.
    if (this.formsModule && (session.user || this.token || this.tokenUrl || pageDefaults.token || pageDefaults.tokenUrl) && !this._formsError) {
      this.loadForms();
    }
    if (session !== this._watched) {
      this._watched?.removeEventListener('change', this._onSessionChange);
      this._watched = session;
      session.addEventListener('change', this._onSessionChange);
      session.loadSite().then(() => {
        this._settled = true;
        this.requestUpdate();
      });
    }
  }

  /**
   * The widget's own forms module: each widget imports its own (`./tip-form.js`,
   * say), with `fresh` after its URL, and returns what builds its forms from what draft-form.ts makes.
   */
  protected formsModule?(fresh: string): Promise<(forms: DraftForms) => unknown>;

  /**
   * Loads, once, what the widget's forms and a signed-in learner's actions need:
   * `draft-form.js` and the widget's own forms module, side by side. A reader
   * who only reads never loads them; a failed load shows as an error with Retry.
   */
  async loadForms(): Promise<void> {
    // An element without forms (the moderators' page) has none to load.
    if (!this.formsModule) return;
    // Chromium answers a module URL whose fetch failed with the same failure until the page reloads:
    // after a failure the modules are asked for under a fresh URL (they are self-contained, so a
    // second copy beside the first works alike).
    const fresh = this._formsError ? `?retry=${++retries}` : '';
    return (this._forms ??= Promise.all([import(`./draft-form.js${fresh}`), this.formsModule(fresh)])
      .then(
        ([{ default: forms }, own]) => {
          const shared = (this._draftForms = forms(kit));
          this.adoptStyles(shared.styles);
          this.forms = own(shared);
          this._formsError = undefined;
        },
        (error) => {
          this._forms = undefined;
          this._formsError = error;
        },
      )
      .finally(() => this.requestUpdate()));
  }

  /**
   * Runs `action` with the forms: at once when they are in, else once they are, its button busy
   * meanwhile, so a click right after a sign-in is not lost; a failed load shows its error with Retry.
   */
  protected withForms<F>(id: string, action: (forms: F) => unknown) {
    // With the forms in, at once: a vote shows in the click's own render.
    const run = () => this.forms && action(this.forms as F);
    return this.forms ? run() : this.act(id, () => this.loadForms().then(run));
  }

  /**
   * Moves focus to the element with this id once the next render is done; to Retry if it is not
   * there because it failed to load (the forms), rather than letting focus fall to the page.
   */
  protected async focusLater(id: string) {
    await this.updateComplete;
    const root = this.renderRoot as ShadowRoot;
    (root.getElementById(id) ?? root.querySelector<HTMLElement>('[part~="retry"]'))?.focus();
  }

  /**
   * A record's moderation marks ("Pending approval", Report): only a signed-in learner has them, so
   * they come with the forms (see `moderationView` in draft-form.ts).
   */
  protected moderationView(item: Question | Answer | Tip | Kudos) {
    return this.session.user ? this._draftForms?.moderationView(this, item) : nothing;
  }

  /** Adds the styles of a file loaded on demand (the forms', the live updates') to the widget's own. */
  adoptStyles(...styles: (CSSResult | CSSStyleSheet)[]) {
    const root = this.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...styles.map((s) => (s instanceof CSSStyleSheet ? s : s.styleSheet!))];
  }

  /** Says `text` through the widget's aria-live region (the moderation marks use it too). */
  announce(text: string) {
    // A zero-width space makes a repeated message a change, so it is read again.
    this._announcement = text === this._announcement ? `${text}\u200b` : text;
  }

  /** Runs a learner's action on `id`, busy meanwhile; a failure is reported and shown as `actionError`. */
  async act(id: string, action: () => Promise<unknown>) {
    const focused = this.keepFocus();
    this.busy.add(id);
    this.actionError = undefined;
    this.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.fail(error);
      this.actionError = error;
    }
    this.busy.delete(id);
    this.requestUpdate();
    focused();
  }

  /**
   * Chromium takes focus away from a button that is disabled while busy, and a
   * keyboard user would be thrown back to the page's start: the returned
   * function gives focus back to what has it now, unless focus went elsewhere.
   */
  protected keepFocus() {
    const root = this.renderRoot as ShadowRoot;
    const focused = root.activeElement as HTMLElement | null;
    return async () => {
      await this.updateComplete;
      if (!root.activeElement) focused?.focus();
    };
  }

  /**
   * Who is signed in, with Sign out for a guest; else a form to join as a guest
   * (`label` asks for the name) where the site allows guests, or the `hint` on
   * how to sign in. After joining, focus moves to the element `next`.
   */
  protected signInView(label: string, hint: string, next: string) {
    const { user, site } = this.session;
    if (user) {
      return html`<p part="sign-in" class="muted">
        ${msg(str`Signed in as ${user.name}.`)}
        ${user.guest
          ? html`<button class="link" @click=${() => this.session.signOut()}>${msg('Sign out')}</button>`
          : nothing}
      </p>`;
    }
    if (!site?.guestsAllowed) return site ? html`<p part="sign-in" class="muted">${hint}</p>` : nothing;
    const join = async (e: SubmitEvent) => {
      e.preventDefault();
      const name = String(new FormData(e.target as HTMLFormElement).get('guest')).trim();
      this._signInError = name ? '' : msg('Type the name others will see.');
      if (!name) return this.focusLater('guest');
      // The forms load beside the sign-in: `next` is in them.
      const forms = this.loadForms();
      try {
        await this.session.signInAsGuest(name);
        this.announce(msg(str`Signed in as ${name}`));
        await forms;
        this.focusLater(next);
      } catch (error) {
        this.fail(error);
        this._signInError = describeError(error);
      }
    };
    return html`<form part="sign-in form" novalidate @submit=${join}>
      ${field({ id: 'guest', label, error: this._signInError, autocomplete: 'nickname', maxlength: 60 })}
      <button part="submit">${msg('Join as guest')}</button>
    </form>`;
  }

  /**
   * The widget: its `heading`, `top`, the sign-in (`signIn`: the arguments of
   * `signInView`), the last action's error, `content`, and the visually hidden
   * live region.
   */
  protected frame(heading: string, signIn: [label: string, hint: string, next: string], content: unknown, top: unknown = nothing, ready = true) {
    // One skeleton until the site's settings (they decide the sign-in), what `ready` waits for and, for a
    // learner signed in from the start, the forms are in: arriving after the rest, they would push it down
    // the page (layout shift). A sign-in later never turns the content back into a skeleton.
    this._shown ||= this._settled && ready && !!(this.forms || this._formsError || !this.session.user || !this.formsModule);
    return html`<section part="base" aria-labelledby="heading">
      <h2 id="heading">${heading}</h2>
      ${this._shown && this._settled && ready
        ? [
            top,
            this.signInView(...signIn),
            // Retry removes itself once the forms are in: focus moves on into them.
            // Signed out, there are no forms to miss.
            this._formsError && this.session.user ? errorView(this._formsError, () => this.loadForms().then(() => this.focusLater(signIn[2]))) : nothing,
            this.actionError ? errorView(this.actionError) : nothing,
            content,
          ]
        : loadingView()}
      <div class="vh" role="status" aria-live="polite" part="live">${this._announcement}</div>
    </section>`;
  }
}
