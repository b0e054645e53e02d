import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { LiveEvent } from '@readyhand/api/schemas';
import type { ApiClient } from './api-client.js';

/** What a widget follows: a topic (`topics:kubernetes`) or a wall (`walls:platform-team`). */
export type LiveScope = `${'topics' | 'walls'}:${string}`;
export type LiveListener = (event: LiveEvent) => void;

/** What `live` is given, and live-stream.js's `follow` takes. */
export type LiveArgs = [
  host: ReactiveControllerHost & HTMLElement & { client: ApiClient; adoptStyles(...styles: CSSStyleSheet[]): void },
  scope: () => LiveScope,
  listener: (event: Exclude<LiveEvent, { id: string }>) => unknown,
  reload: () => unknown,
];

/**
 * Live events for a widget in one call: follows `scope()` of the widget's
 * client while the widget is connected, subscribing anew after an update that
 * changed the API, site or scope. When a moderator hid a record of the scope,
 * `reload()` fetches what the widget shows anew (without it, or, for a
 * moderator, with it marked hidden); the listener hears of the other events.
 * All of that is in `live-stream.js` (see `follow` there), loaded after the
 * first render; a failed load is tried again at the next update.
 */
export function live(...args: LiveArgs) {
  let loading = false;
  args[0].addController({
    hostUpdated() {
      if (loading) return;
      loading = true;
      import('./live-stream.js').then(
        ({ follow }) => follow(...args),
        () => (loading = false),
      );
    },
  });
}

/**
 * Renders `items`, oldest first in the array, newest first on the page, so
 * that each item added later is inserted before the others without moving
 * them: focus stays where it was, and only the new item's enter animation runs.
 */
export const newestFirst = <T>(items: readonly T[], view: (item: T) => unknown, i = 0): unknown =>
  i < items.length ? html`${newestFirst(items, view, i + 1)}${view(items[i]!)}` : nothing;

/**
 * Adds `item`, arrived live, to `fresh` (what arrived since `list` loaded,
 * oldest first, shown above it with `newestFirst`) unless either holds it
 * already: an event and the answer to one's own request bring the same item.
 * The first item of an empty list joins the list, which is then no longer
 * empty. Returns whether it was added.
 */
export function arrive<T extends { id: string }>(list: T[] | undefined, fresh: T[], item: T): boolean {
  if (!list || [...list, ...fresh].some((x) => x.id === item.id)) return false;
  (list.length ? fresh : list).push(item);
  return true;
}
