import type { ApiClient, DraftForms, Task, FormHost, Kit, SessionStore, choice, emit, person } from '@readyhand/core';
// The forms' own API calls: built into this file, not the bundles (rollup.config.mjs takes them from api-client.ts alone).
import { giveKudos, searchPeople, toggleReaction } from '@readyhand/core';
import type { Kudos, PublicUser } from '@readyhand/api/schemas';

/** What the form takes from the bundle that loads it, so that it imports nothing at run time and one file serves widgets.js and kudos-wall.js. */
export type KudosKit = Kit & { Task: typeof Task; emit: typeof emit; choice: typeof choice; person: typeof person };

/** The members of `<kudos-wall>` the form uses. None is `_`-prefixed: the bundles' minifier renames those. */
export interface KudosHost extends FormHost {
  client: ApiClient;
  session: SessionStore;
  wallKey: string;
  kudos: Task<unknown[], Kudos[]>;
  arrive(k: Kudos): void;
  act(id: string, action: () => Promise<unknown>): Promise<void>;
}

/** The API's limit on a kudos message. */
const MAX = 280;
const SEARCH_DELAY = 200;

/**
 * `<kudos-wall>`'s form to give kudos, with its searchable recipient picker (an
 * ARIA combobox), and the sending of reactions. A module of its own, loaded
 * with `draft-form.js` once a learner is signed in or signing in (see
 * `ReadyhandElement.loadForms`): a reader who only reads never downloads it.
 * The build writes it beside the bundles as `kudos-form.js`.
 */
export function kudosForm(forms: DraftForms, kit: KudosKit, host: KudosHost) {
  const { html, nothing, css, msg } = kit;
  host.adoptStyles(css`
    [role='option'] {
      padding: var(--_gap);
      cursor: pointer;
    }
  `);
  const badges = () => host.session.site?.kudosBadges ?? [];
  /** The list of people found is open, and which of them is active (-1: none). */
  let expanded = false;
  let active = -1;
  const update = () => host.requestUpdate();

  const give = forms.draft(
    host,
    ({ to, message, badge }, idempotencyKey) =>
      giveKudos(
        host.client,
        { wall: host.wallKey, to: to as string, message: message as string, badge: (badge || badges()[0]) as string },
        { idempotencyKey },
      ),
    (k) => {
      kit.emit(host, 'rh-kudos-given', k);
      // Announced as any other kudos arriving.
      host.arrive(k);
    },
    () => !!host.session.user,
  );

  const people = new kit.Task(host, {
    task: async ([client, name, chosen]: readonly [ApiClient, string, string], { signal }) => {
      const q = name.trim();
      if (!q || chosen) return [];
      // Debounce: a newer keystroke aborts this run before the request is made.
      await new Promise((r) => setTimeout(r, SEARCH_DELAY));
      signal.throwIfAborted();
      const { items } = await searchPeople(client, q, { signal });
      active = -1;
      return items;
    },
    args: () => [host.client, give.get('toName'), give.get('to')] as const,
  });

  host.addController({ hostUpdate: () => give.use(`${host.wallKey}|kudos`) });

  const choose = (p: PublicUser) => {
    give.set('to', p.id);
    give.set('toName', p.name);
    expanded = false;
  };

  /** The combobox keys of ARIA's practices: arrows move through the people found, Enter chooses, Escape closes. */
  const onKey = (e: KeyboardEvent) => {
    const found = people.value ?? [];
    const n = found.length;
    const open = expanded && n > 0;
    const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (step && n) {
      // From none (-1), Down goes to the first and Up to the last; both wrap around.
      active = (Math.max(active, step > 0 ? -1 : 0) + step + n) % n;
      expanded = true;
    } else if (e.key === 'Enter' && open && found[active]) {
      choose(found[active]!);
    } else if (e.key === 'Escape' && open) {
      expanded = false;
    } else return;
    e.preventDefault();
    // A dialog around the widget must not close on the Escape that closed the list.
    e.stopPropagation();
    update();
  };

  return {
    render() {
      const found = people.value ?? [];
      const open = expanded && found.length > 0;
      const length = give.get('message').length;
      return forms.draftForm(
        host,
        give,
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
            aria-activedescendant=${open && found[active] ? `p-${found[active]!.id}` : nothing}
            .value=${give.get('toName')}
            @input=${(e: Event) => {
              give.set('toName', (e.target as HTMLInputElement).value);
              give.set('to', '');
              expanded = true;
            }}
            @keydown=${onKey}
            @blur=${() => {
              expanded = false;
              update();
            }}
          />
          <ul id="people" part="people" role="listbox" aria-label=${msg('People')} ?hidden=${!open}>
            ${found.map(
              (p, i) =>
                html`<li
                  id="p-${p.id}"
                  part="option"
                  role="option"
                  aria-selected=${String(i === active)}
                  @mousedown=${(e: Event) => {
                    // Keeps focus in the field.
                    e.preventDefault();
                    choose(p);
                  }}
                >
                  ${kit.person(p)}
                </li>`,
            )}
          </ul>
          ${kit.choice('badge-picker', msg('Badge'), give.get('badge') || badges()[0]!, badges().map((b) => [b, b]), (b) => give.set('badge', b))}
          ${forms.draftField(give, 'message', 'message', msg('Message'), true)}
          <span part="count">${length}/${MAX}</span>`,
        { message: 'message' },
      );
    },

    /** Toggles the learner's reaction `emoji` on `k`. */
    react(k: Kudos, emoji: string) {
      return host.act(k.id, async () => {
        k.reactions = (await toggleReaction(host.client, k.id, emoji)).reactions;
        // A reload still under way (1: TaskStatus.PENDING) may have been read before the reaction: it starts again.
        if (host.kudos.status === 1) host.kudos.run();
      });
    },
  };
}

/** What `kudos-form.js` gives `<kudos-wall>`. */
export type KudosForm = ReturnType<typeof kudosForm>;
