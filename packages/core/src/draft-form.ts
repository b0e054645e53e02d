import type { CSSResult, ReactiveController, ReactiveControllerHost } from 'lit';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import type { ApiError } from './api-client.js';
import type { Kit } from './kit.js';
import type { ReadyhandElement } from './readyhand-element.js';
import type reportFormFn from './report-form.js';

/** What the learner typed, and the key that makes its sending idempotent. */
export interface Draft {
  fields: Record<string, string | boolean>;
  /** Idempotency-Key of the send; kept until the API has the record. */
  key?: string;
  /** A send was attempted and must be completed when the API is back. */
  pending?: boolean;
}

/**
 * What the forms take from the bundle that loads them (see kit.ts): Lit's `html`, `msg()`, its
 * `ApiError` (whose failures every widget knows how to show), shared views, and the import of
 * `report-form.js` (a file of its own: a chunk imports nothing itself).
 */
export type FormKit = Pick<Kit, 'html' | 'nothing' | 'css' | 'msg' | 'ApiError' | 'errorView' | 'field' | 'reportForm'>;

/**
 * The members of a widget the forms use. None is `_`-prefixed: the bundles'
 * minifier renames those, each bundle its own way.
 */
export interface FormHost extends ReactiveControllerHost, HTMLElement {
  client: { api: string; site: string };
  session: { user: { id: string } | null };
  adoptStyles(...styles: (CSSResult | CSSStyleSheet)[]): void;
  drafts: { retry(): void }[];
  fail(error: unknown): void;
  focusLater(id: string): Promise<void>;
  keepFocus(): () => Promise<void>;
}

/** A form's drafts in localStorage, saved as typed, and their sending (see `draftForms`). */
export interface DraftController<R = unknown> extends ReactiveController {
  /** The draft shown in the form. */
  draft: Draft;
  /** The shown draft's last send error, `null` after success or while sending. */
  error: ApiError | null;
  /** Whether the shown draft is being sent. */
  readonly sending: boolean;
  /**
   * Shows the signed-in learner's draft of `scope + id` (stored under
   * `readyhand.draft:<api>|<site>|<learner's id>|<scope><id>`); the pending drafts of a new scope are sent at once.
   * A draft is its learner's alone: on a shared computer the next learner neither sees it nor sends it.
   */
  use(scope: string, id?: string): void;
  /** Saves a field as the learner types. */
  set(name: string, value: string | boolean): void;
  get(name: string): string;
  /** Sends the shown draft now; it stays pending until the API has it. */
  submit(): Promise<void>;
  /** Resends every pending draft of the scope now (Retry, `online`, sign-in, backoff). */
  retry(): void;
  /** The API's message for one field (or an item of the list `field`) of the shown draft's failed send. */
  fieldError(field: string): string | undefined;
  /** Phantom: what a send resolves with. */
  readonly result?: R;
}

const RETRY_MIN = 2_000;
const RETRY_MAX = 60_000;

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

// randomUUID exists in secure contexts only, and intranet pages are not always served over https.
const newKey = () => crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The widgets' forms: drafts and their sending, a draft's form and its fields.
 * A module of its own, loaded with a widget's own forms (see
 * `ReadyhandElement.loadForms`) once a learner is signed in or signing in: a
 * reader who only reads never downloads it. The build writes it beside the
 * bundles as `draft-form.js`; it imports nothing at run time, and each bundle
 * gets classes and views of its own from `kit`.
 */
export default function draftForms({ html, nothing, css, msg, ApiError, errorView, field, reportForm }: FormKit) {
  /** The Report form, once this widget's reader has opened a Report disclosure (see report-form.ts). */
  let report: typeof reportFormFn | undefined;

  /**
   * A form's drafts in localStorage, saved as typed, and their sending. A form
   * keeps one draft per thing it is about (the topic's question, each question's
   * answer), stored under `scope + id`. A failed send keeps its draft, which is
   * resent with the same Idempotency-Key until the API has it, whichever draft is
   * shown: when the browser comes back online, on a backoff timer, on `retry()`,
   * and when the form connects. Then the draft is cleared.
   */
  class Drafts<R> implements DraftController<R> {
    draft: Draft = { fields: {} };
    error: ApiError | null = null;
    private key = '';
    private scope = '';
    private readonly inFlight = new Set<string>();
    /** Failed sends in a row: the exponent of the backoff. */
    private attempt = 0;
    private timer?: ReturnType<typeof setTimeout>;
    private readonly online = () => this.retry();

    constructor(
      private readonly host: FormHost,
      private readonly send: (fields: Draft['fields'], idempotencyKey: string) => Promise<R>,
      private readonly sent: (result: R) => void,
      /** Whether sending is possible now (e.g. signed in). */
      private readonly ready: () => boolean,
    ) {
      host.addController(this);
      // Signed in again, or the site's settings arrived: the widget sends what waited for it.
      host.drafts.push(this);
    }

    get sending() {
      return this.inFlight.has(this.key);
    }

    /** Where the signed-in learner's drafts are kept. */
    private get own() {
      return `readyhand.draft:${this.host.client.api}|${this.host.client.site}|${this.host.session.user?.id ?? ''}|`;
    }

    use(scope: string, id = '') {
      scope = this.own + scope;
      if (scope + id === this.key) return;
      this.key = scope + id;
      this.draft = read(this.key);
      this.error = null;
      if (scope !== this.scope) {
        this.scope = scope;
        this.retryIn(0);
      }
    }

    set(name: string, value: string | boolean) {
      this.draft.fields[name] = value;
      write(this.key, this.draft);
      this.host.requestUpdate();
    }

    get(name: string): string {
      return String(this.draft.fields[name] ?? '');
    }

    submit(): Promise<void> {
      this.draft.pending = true;
      write(this.key, this.draft);
      return this._sendDraft(this.key);
    }

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
     * Sends a pending draft (unless it is on its way or nobody is signed in) with its
     * Idempotency-Key (a new one for a first send), then clears it; a retryable failure
     * is sent again on a backoff timer, a refused one waits for the learner's edit.
     */
    private async _sendDraft(key: string) {
      const draft = key === this.key ? this.draft : read(key);
      // Another learner's (signed in before, on this computer) is never sent: it waits for them.
      if (!draft.pending || this.inFlight.has(key) || !this.ready() || !key.startsWith(this.own)) return;
      clearTimeout(this.timer);
      this.inFlight.add(key);
      draft.key ??= newKey();
      write(key, draft);
      if (key === this.key) this.error = null;
      this.host.requestUpdate();
      try {
        const result = await this.send(draft.fields, draft.key);
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

  /** Sends a draft; on a validation error, focus goes to the field named first (`ids` maps field names to ids). */
  async function send(host: FormHost, draft: DraftController, ids: Record<string, string>) {
    const focused = host.keepFocus();
    try {
      await draft.submit();
    } catch (error) {
      host.fail(error);
      // `tags.2` is a field of the list `tags`.
      const name = ApiError.from(error).details[0]?.field.split('.')[0];
      if (name) host.focusLater(ids[name] ?? name);
    }
    focused();
  }

  return {
    /** The forms' look besides the widgets' shared one (styles.ts): the send button, checkboxes, a chosen option. */
    styles: css`
      .primary,
      [aria-selected='true'] {
        background: var(--_accent);
        color: var(--_on-accent);
        border-color: var(--_accent);
      }
      [type='checkbox'] {
        width: auto;
        margin: 0;
      }
    `,

    /**
     * The moderation marks of a question, answer, tip or kudos card, for a signed-in learner (so
     * they come with the forms): "Pending approval" on the author's own record that waits for a
     * moderator; else, on someone else's record, a Report disclosure. A `<details>` keeps the open
     * state and keyboard handling native. Its form is fetched (`report-form.js`) when the learner
     * first opens one (a failure to load shows as the action error), and from then on every
     * disclosure of the widget holds it.
     */
    moderationView(host: ReadyhandElement, item: Question | Answer | Tip | Kudos) {
      if (item.pending) return html`<span part="badge pending">${msg('Pending approval')}</span>`;
      // `mine` is as the API saw the reader; a copy the stream brought first was sent as to anyone, so its author decides too.
      const me = host.session.user;
      if (item.mine || !me || me.id == ((item as Tip).author ?? (item as Kudos).from)?.id) return nothing;
      const load = () =>
        host.act('report', async () => {
          report = (await reportForm()).default;
        });
      return html`<details part="report" @toggle=${load}>
        <summary>${msg('Report')}</summary>
        ${report?.(html, msg, field, host, item)}
      </details>`;
    },

    /** A form's drafts, sent once `ready()` (the learner is signed in), stored under the scope `use()` gives. */
    draft: <R>(host: FormHost, send: (fields: Draft['fields'], idempotencyKey: string) => Promise<R>, sent: (result: R) => void, ready: () => boolean) =>
      new Drafts(host, send, sent, ready) as DraftController<R>,

    /**
     * A draft's form: its `fields`, the send error that belongs to none of the
     * fields in `ids` (and what becomes of the draft), the submit button and
     * `after` it. A validation error moves focus to the field it names (`ids`
     * maps field names to element ids). `before` runs before each submit.
     */
    draftForm(
      host: FormHost,
      draft: DraftController,
      part: string,
      submit: string,
      fields: unknown,
      ids: Record<string, string>,
      after: unknown = nothing,
      before?: () => void,
    ) {
      const { error, sending } = draft;
      const resend = () => send(host, draft, ids);
      return html`<form
        part="form ${part}"
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          before?.();
          resend();
        }}
      >
        ${fields}
        ${error && !Object.keys(ids).some((f) => draft.fieldError(f))
          ? draft.draft.pending
            ? errorView(error, resend, msg('Your text is saved here and will be sent when the connection is back.'))
            : errorView(error)
          : nothing}
        <div class="row">
          <button part="submit" class="primary" ?disabled=${sending}>${sending ? msg('Sending…') : submit}</button>${after}
        </div>
      </form>`;
    },

    /** A text field (`multiline`: a text area) that edits the field `name` of a draft, with the API's message for it. */
    draftField: (draft: DraftController, id: string, name: string, label: string, multiline = false) =>
      field({
        id,
        label,
        part: name,
        value: draft.get(name),
        error: draft.fieldError(name),
        control: multiline
          ? (invalid, describedby) =>
              html`<textarea
                id=${id}
                part="input ${name}"
                rows="3"
                .value=${draft.get(name)}
                @input=${(e: Event) => draft.set(name, (e.target as HTMLTextAreaElement).value)}
                aria-invalid=${invalid}
                aria-describedby=${describedby}
              ></textarea>`
          : undefined,
        input: (value) => draft.set(name, value),
      }),
  };
}

/** What `draft-form.js` gives a bundle. */
export type DraftForms = ReturnType<typeof draftForms>;
