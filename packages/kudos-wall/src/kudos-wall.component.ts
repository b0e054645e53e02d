import { html, nothing, type PropertyDeclarations } from 'lit';
import { msg, str } from '@lit/localize';
import {
  ReadyhandElement,
  emit,
  choice,
  kit,
  Task,
  initialState,
  arrive,
  deriveTopicFromPath,
  type DraftForms,
  leaderboard,
  listKudos,
  live,
  newestFirst,
  person,
  plural,
  renderTask,
  timeView,
} from '@readyhand/core';
import type { Kudos, Leaderboard } from '@readyhand/api/schemas';
import { styles } from './kudos-wall.styles.js';
import type {} from './events.js';
import type { KudosForm, KudosHost, KudosKit, kudosForm } from './kudos-form.js';


/** What the form takes from this bundle (see kudos-form.ts). */
const kudosKit: KudosKit = { ...kit, Task, emit, choice, person };

/**
 * A wall where colleagues thank each other in public: kudos with a badge and a
 * message, reactions, a leaderboard of the most thanked, and a form to give
 * kudos, with a searchable recipient picker (an ARIA combobox). New kudos
 * arrive live.
 *
 * @tag kudos-wall
 *
 * @csspart base - The whole widget.
 * @csspart sign-in - The guest sign-in form, or the hint on how to sign in.
 * @csspart form - Every form (give kudos, sign-in).
 * @csspart give - The form to give kudos.
 * @csspart input - Every text field: the message, the recipient search, a guest's name.
 * @csspart recipient - The people search field (a combobox).
 * @csspart people - The list of people found (a listbox).
 * @csspart option - A person found.
 * @csspart badge-picker - The badge picker: its label and select.
 * @csspart message - The message field.
 * @csspart submit - Every form's submit button.
 * @csspart toggle - The button that shows the leaderboard instead of the wall, and back.
 * @csspart list - The wall and the leaderboard.
 * @csspart leaderboard - The leaderboard.
 * @csspart item - Every list item.
 * @csspart kudos - A kudos card.
 * @csspart author - A person's name.
 * @csspart avatar - A person's picture or initials.
 * @csspart body - A kudos message.
 * @csspart meta - Who thanked whom, and when.
 * @csspart badge - A kudos badge.
 * @csspart for - What a kudos thanks for, linking to the question.
 * @csspart reactions - A kudos' reaction buttons.
 * @csspart reaction - A reaction toggle button.
 * @csspart more - The button that loads older kudos.
 * @csspart count - Reaction counts, kudos received, the message's length.
 * @csspart loading - The loading skeleton.
 * @csspart empty - The empty state.
 * @csspart error - Error messages.
 * @csspart retry - The Retry button.
 * @csspart report - The Report disclosure of a record by someone else (signed in only), with its form.
 * @csspart pending - The "Pending approval" badge on your own record waiting for a moderator.
 * @csspart live - The visually hidden aria-live region.
 *
 * @event rh-kudos-given - Kudos were given; detail: the kudos.
 * @event rh-signed-in - A learner signed in; detail: the user.
 * @event rh-error - An API call failed; detail: the `ApiError`.
 */
export class KudosWall extends ReadyhandElement {
  static override styles = [ReadyhandElement.styles, styles];

  static override properties: PropertyDeclarations = {
    wall: {},
    board: { attribute: false },
    more: { attribute: false },
  };

  /** Wall key such as `platform-team`; derived from the page path when empty. */
  wall = '';

  /** The leaderboard is shown instead of the wall. */
  private board = false;
  /** Kudos that arrived since the wall loaded, oldest first: they slide in above it. */
  private fresh: Kudos[] = [];
  /** Older kudos of the pages after the first, and where the next page starts. */
  private more: Kudos[] = [];
  private cursor?: string | null;

  private readonly kudos = new Task(this, {
    task: async ([client, wall], { signal }) => {
      const { items, nextCursor } = await listKudos(client, wall, null, { signal });
      this.fresh = [];
      this.more = [];
      this.cursor = nextCursor;
      return items;
    },
    // Reactions say which are mine: reload when someone else signs in.
    args: () => [this.client, this.wallKey, this.session.user?.id] as const,
    onError: (e) => this.fail(e),
  });

  /**
   * Counts kudos that arrived, and reloads of the wall: the leaderboard, when shown, loads again once
   * per update that sees a new count (a burst of arrivals, one request), showing its counts until then.
   */
  private thanks = 0;

  /** The leaderboard shown, and its wall: a refresh of it that fails keeps it (the next arrival tries again). */
  private shownBoard?: { wall: string; items: Leaderboard['items'] };

  private readonly leaders = new Task(this, {
    task: async ([client, wall, board], { signal }) => {
      if (!board) {
        this.shownBoard = undefined;
        return initialState;
      }
      try {
        const { items } = await leaderboard(client, wall, 'month', { signal });
        this.shownBoard = { wall, items };
        return items;
      } catch (e) {
        if (this.shownBoard?.wall === wall) return this.shownBoard.items;
        throw e;
      }
    },
    args: () => [this.client, this.wallKey, this.board, this.thanks] as const,
  });

  constructor() {
    super();
    live(this, () => `walls:${this.wallKey}`, (e) => e.type === 'kudos.given' && this.arrive(e.kudos), () => {
      this.thanks++;
      this.kudos.run();
    });
  }

  /** The wall in use: `wall`, or the one derived from the page path. */
  get wallKey(): string {
    return this.wall || deriveTopicFromPath(location.pathname);
  }

/** The form and the sending of reactions, once loaded (see kudos-form.ts). */
  protected declare forms?: KudosForm;

  protected override formsModule(fresh: string) {
    // The cast: the form reaches members that are private to everything else.
    return import(`./kudos-form.js${fresh}`).then((m: { kudosForm: typeof kudosForm }) => (forms: DraftForms) => m.kudosForm(forms, kudosKit, this as unknown as KudosHost));
  }

  /** Puts kudos at the top of the wall once, however often they arrive. */
  private arrive(k: Kudos) {
    if (!arrive(this.kudos.value, this.fresh, k)) return;
    this.announce(`${k.from.name} ${msg('thanked')} ${k.to.name}`);
    this.thanks++;
    this.requestUpdate();
  }

  // ------------------------------------------------------------ rendering

  override render() {
    return this.frame(
      msg('Kudos'),
      [
        msg('Your name, to give kudos as a guest'),
        msg('You can read the kudos here. To give kudos, sign in to this website, then reload the page.'),
        'to',
      ],
      [
        this.session.user ? this.forms?.render() : nothing,
        html`<button part="toggle" aria-pressed=${String(this.board)} @click=${() => (this.board = !this.board)}>
          ${msg('Leaderboard')}
        </button>`,
        this.board
          ? renderTask(this.leaders, {
              complete: (items) =>
                html`<ol part="list leaderboard" aria-label=${msg('Leaderboard')}>
                  ${items.map(
                    ({ user, count }) =>
                      html`<li part="item" class="item">
                        <span class="grow">${person(user)}</span><span part="count">${count}</span>
                      </li>`,
                  )}
                </ol>`,
              empty: msg('Nobody was thanked this month.'),
            })
          : renderTask(this.kudos, {
              retry: () => {
                this.session.loadSite();
                this.kudos.run();
              },
              empty: msg('No kudos here yet. Be the first to thank someone!'),
              complete: (items) =>
                html`<ul part="list" aria-label=${msg('Kudos')} @click=${this._react}>
                    ${newestFirst(this.fresh, (k) => this._renderKudos(k, 'new'))}${[...items, ...this.more].map((k) => this._renderKudos(k))}
                  </ul>
                  ${this.cursor
                    ? html`<button part="more" ?disabled=${this.busy.has('more')} @click=${this._more}>${msg('More kudos')}</button>`
                    : nothing}`,
            }),
      ],
    );
  }

  /** The next page of older kudos, below the rest; focus moves to the first of them. */
  private readonly _more = () =>
    this.act('more', async () => {
      const first = this.kudos.value;
      const { items, nextCursor } = await listKudos(this.client, this.wallKey, this.cursor);
      // The wall was loaded anew meanwhile (another learner, another wall): this page belongs to the one before.
      if (first !== this.kudos.value) return;
      const shown = this.fresh.length + first!.length + this.more.length;
      this.more = [...this.more, ...items];
      this.cursor = nextCursor;
      this.announce(plural(items.length, msg('One more kudos'), msg(str`${items.length} more kudos`)));
      await this.updateComplete;
      // Focusable from here on, as the target of this move only (not a stop of the Tab order).
      const card = this.renderRoot.querySelectorAll<HTMLElement>('[part~=kudos]')[shown];
      if (card) card.tabIndex = -1;
      card?.focus();
    });

  /**
   * One listener for every reaction button of the wall (250 on a wall of 50), not one each: a
   * button's value is its emoji, and its group holds the kudos (`kudos`, set by the render).
   */
  private readonly _react = (e: Event) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('[part~=reaction]');
    const k = (button?.parentElement as { kudos?: Kudos } | null | undefined)?.kudos;
    if (k) this.withForms(k.id, (forms: KudosForm) => forms.react(k, button!.value));
  };

  private _renderKudos(k: Kudos, fresh = '') {
    const disabled = !this.session.user || this.busy.has(k.id);
    return html`<li part="item kudos" class="item ${fresh}">
      <div class="grow">
        <p part="meta">
          ${person(k.from)} ${msg('thanked')} ${person(k.to)} · ${timeView(k.createdAt)}
          <span part="badge">${k.badge}</span>
        </p>
        <p part="body">${k.message}</p>
        ${k.for
          ? html`<p part="for" class="muted">
              ${msg('For an answer to')} <a href="#rh-question-${k.for.topic}:${k.for.questionId}">${k.for.questionTitle}</a>
            </p>`
          : nothing}
        <div part="reactions" class="row" role="group" aria-label=${msg('Reactions')} .kudos=${k}>
          ${k.reactions.map(
            (r) =>
              html`<button part="reaction" value=${r.emoji} aria-pressed=${String(r.mine)} ?disabled=${disabled}>
                ${r.emoji} <span part="count">${r.count}</span>
              </button>`,
          )}
        </div>
        ${this.moderationView(k)}
      </div>
    </li>`;
  }
}
