import { html, nothing, type PropertyDeclarations } from 'lit';
import { Task, TaskStatus, initialState } from '@lit/task';
import { msg } from '@lit/localize';
import {
  ReadyhandElement,
  arrive,
  deriveTopicFromPath,
  choice,
  draftField,
  emit,
  giveKudos,
  leaderboard,
  listKudos,
  live,
  moderationView,
  newestFirst,
  person,
  renderTask,
  searchPeople,
  timeView,
  toggleReaction,
} from '@readyhand/core';
import type { Kudos, PublicUser } from '@readyhand/api/schemas';
import { styles } from './kudos-wall.styles.js';
import type {} from './events.js';

/** The API's limit on a kudos message. */
const MAX = 280;
const SEARCH_DELAY = 200;

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
 * @csspart input - Every text field and the badge picker.
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
    expanded: { attribute: false },
    active: { attribute: false },
  };

  /** Wall key such as `platform-team`; derived from the page path when empty. */
  wall = '';

  /** The leaderboard is shown instead of the wall. */
  private board = false;
  /** The list of people found is open, and which of them is active (-1: none). */
  private expanded = false;
  private active = -1;
  /** Kudos that arrived since the wall loaded, oldest first: they slide in above it. */
  private fresh: Kudos[] = [];

  private readonly kudos = new Task(this, {
    task: async ([client, wall], { signal }) => {
      const { items } = await listKudos(client, wall, { signal });
      this.fresh = [];
      return items;
    },
    // Reactions say which are mine: reload when someone else signs in.
    args: () => [this.client, this.wallKey, this.session.user?.id] as const,
    onError: (e) => this.fail(e),
  });

  private readonly leaders = new Task(this, {
    task: async ([client, wall, board], { signal }) =>
      board ? (await leaderboard(client, wall, 'month', { signal })).items : initialState,
    args: () => [this.client, this.wallKey, this.board] as const,
  });

  private readonly people = new Task(this, {
    task: async ([client, name, chosen], { signal }) => {
      const q = name.trim();
      if (!q || chosen) return [];
      // Debounce: a newer keystroke aborts this run before the request is made.
      await new Promise((r) => setTimeout(r, SEARCH_DELAY));
      signal.throwIfAborted();
      const { items } = await searchPeople(client, q, { signal });
      this.active = -1;
      return items;
    },
    args: () => [this.client, this.give.get('toName'), this.give.get('to')] as const,
  });

  private readonly give = this.draft(
    ({ to, message, badge }, idempotencyKey) =>
      giveKudos(
        this.client,
        { wall: this.wallKey, to: to as string, message: message as string, badge: (badge || this.badges[0]) as string },
        { idempotencyKey },
      ),
    (k) => {
      emit(this, 'rh-kudos-given', k);
      // Announced as any other kudos arriving.
      this.arrive(k);
    },
  );

  constructor() {
    super();
    live(this, () => `walls:${this.wallKey}`, (e) => e.type === 'kudos.given' && this.arrive(e.kudos), () => this.kudos.run());
  }

  /** The wall in use: `wall`, or the one derived from the page path. */
  get wallKey(): string {
    return this.wall || deriveTopicFromPath(location.pathname);
  }

  private get badges() {
    return this.session.site?.kudosBadges ?? [];
  }

  protected override willUpdate() {
    super.willUpdate();
    this.give.use(this.draftScope(`${this.wallKey}|kudos`));
  }

  /** Puts kudos at the top of the wall once, however often they arrive. */
  private arrive(k: Kudos) {
    if (!arrive(this.kudos.value, this.fresh, k)) return;
    this.announce(`${k.from.name} ${msg('thanked')} ${k.to.name}`);
    this.requestUpdate();
  }

  private choose(p: PublicUser) {
    this.give.set('to', p.id);
    this.give.set('toName', p.name);
    this.expanded = false;
  }

  /** The combobox keys of ARIA's practices: arrows move through the people found, Enter chooses, Escape closes. */
  private onKey(e: KeyboardEvent) {
    const people = this.people.value ?? [];
    const n = people.length;
    const open = this.expanded && n > 0;
    const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (step && n) {
      // From none (-1), Down goes to the first and Up to the last; both wrap around.
      this.active = (Math.max(this.active, step > 0 ? -1 : 0) + step + n) % n;
      this.expanded = true;
    } else if (e.key === 'Enter' && open && people[this.active]) {
      this.choose(people[this.active]!);
    } else if (e.key === 'Escape' && open) {
      this.expanded = false;
    } else return;
    e.preventDefault();
    // A dialog around the widget must not close on the Escape that closed the list.
    e.stopPropagation();
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
        this.session.user ? this._renderForm() : nothing,
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
                html`<ul part="list" aria-label=${msg('Kudos')}>
                  ${newestFirst(this.fresh, (k) => this._renderKudos(k, 'new'))}${items.map((k) => this._renderKudos(k))}
                </ul>`,
            }),
      ],
    );
  }

  private _renderForm() {
    const people = this.people.value ?? [];
    const open = this.expanded && people.length > 0;
    const length = this.give.get('message').length;
    return this.draftForm(
      this.give,
      'give',
      msg('Give kudos'),
      html`<h3>${msg('Give kudos')}</h3>
        <label for="to">${msg('To')}</label>
        <input
          id="to"
          part="input recipient"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded=${String(open)}
          aria-controls="people"
          aria-activedescendant=${open && people[this.active] ? `p-${people[this.active]!.id}` : nothing}
          .value=${this.give.get('toName')}
          @input=${(e: Event) => {
            this.give.set('toName', (e.target as HTMLInputElement).value);
            this.give.set('to', '');
            this.expanded = true;
          }}
          @keydown=${this.onKey}
          @blur=${() => (this.expanded = false)}
        />
        <ul id="people" part="people" role="listbox" aria-label=${msg('People')} ?hidden=${!open}>
          ${people.map(
            (p, i) =>
              html`<li
                id="p-${p.id}"
                part="option"
                role="option"
                aria-selected=${String(i === this.active)}
                @mousedown=${(e: Event) => {
                  // Keeps focus in the field.
                  e.preventDefault();
                  this.choose(p);
                }}
              >
                ${person(p)}
              </li>`,
          )}
        </ul>
        ${choice('badge-picker', msg('Badge'), this.give.get('badge') || this.badges[0], this.badges.map((b) => [b, b]), (b) => this.give.set('badge', b))}
        ${draftField(this.give, 'message', 'message', msg('Message'), true)}
        <span part="count">${length}/${MAX}</span>`,
      { message: 'message' },
    );
  }

  private _renderKudos(k: Kudos, fresh = '') {
    const user = this.session.user;
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
        <div part="reactions" class="row" role="group" aria-label=${msg('Reactions')}>
          ${k.reactions.map(
            (r) =>
              html`<button
                part="reaction"
                aria-pressed=${String(r.mine)}
                ?disabled=${!user || this.busy.has(k.id)}
                @click=${() =>
                  this.act(k.id, async () => {
                    k.reactions = (await toggleReaction(this.client, k.id, r.emoji)).reactions;
                    // A reload still under way may have been read before the reaction: it starts again.
                    if (this.kudos.status === TaskStatus.PENDING) this.kudos.run();
                  })}
              >
                ${r.emoji} <span part="count">${r.count}</span>
              </button>`,
          )}
        </div>
        ${moderationView(this, k)}
      </div>
    </li>`;
  }
}
