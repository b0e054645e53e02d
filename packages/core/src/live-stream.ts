import type { LiveEvent } from '@readyhand/api/schemas';
import type { ApiClient } from './api-client.js';
import type { LiveArgs, LiveListener, LiveScope } from './live.js';

// The live stream's client and a widget's following of it: no first render needs them, so the
// bundles load them from beside them (`live-stream.js`) once a widget has rendered (see `live` in
// live.ts). It imports nothing at run time, so every bundle on a page shares this one module, and
// its one EventSource per API and site.

interface Hub {
  client: ApiClient;
  listeners: Map<LiveListener, LiveScope>;
  /** What each listener does when the stream may have missed events (see `subscribe`). */
  missed: Map<LiveListener, () => void>;
  source?: EventSource;
  /** The stream's URL without `lastEventId`: a change of scopes changes it. */
  url?: string;
  /** The id of the last event received: a reopened stream resumes after it. */
  last?: string;
  /** HTTP errors since the stream was last open: the exponent of the backoff. */
  failures: number;
  timer?: ReturnType<typeof setTimeout>;
}

const TYPES = ['question.asked', 'answer.posted', 'answer.accepted', 'tip.shared', 'kudos.given', 'item.hidden', 'kudos.hidden'];

/**
 * What arrived live slides in (`newestFirst` in live.ts gives it the class `new`), where motion is
 * welcome: a sheet made once, added to each widget that follows the stream.
 */
let arrivals: CSSStyleSheet | undefined;

/** One hub per API and site. */
const hubs = new Map<string, Hub>();

/** Opens the stream for the union of the listeners' scopes (again, when it closed), or closes it when nobody listens. */
function connect(hub: Hub) {
  const scopes = [...new Set(hub.listeners.values())];
  const keys = (kind: string) =>
    scopes
      .filter((s) => s.startsWith(kind))
      .map((s) => s.slice(kind.length + 1))
      .join();
  const url = hub.client.url('v1/stream', { topics: keys('topics'), walls: keys('walls') });
  if (url.href === hub.url && hub.source?.readyState !== EventSource.CLOSED) return;
  hub.source?.close();
  hub.url = url.href;
  // Nobody listens: closed, and the next stream starts from now. The hub stays, to be reused.
  if (!scopes.length) return void (hub.last = undefined);
  // What the scopes that stay missed while the stream reopened is replayed.
  if (hub.last) url.searchParams.set('lastEventId', hub.last);
  const source = (hub.source = new EventSource(url));
  source.onopen = () => (hub.failures = 0);
  // EventSource retries by itself after a network error, but gives up (CLOSED) on an HTTP error.
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && source === hub.source) {
      hub.timer = setTimeout(() => connect(hub), Math.min(60_000, 1000 * 2 ** hub.failures++));
    }
  };
  const deliver = (e: MessageEvent) => {
    hub.last = e.lastEventId;
    const event: LiveEvent = JSON.parse(e.data);
    const scope = 'wall' in event ? `walls:${event.wall}` : `topics:${event.topic}`;
    for (const [listener, s] of hub.listeners) if (s === scope) listener(event);
  };
  for (const type of TYPES) source.addEventListener(type, deliver as EventListener);
  // The API no longer holds what followed the last event received (a stream resumed after days away):
  // what each listener shows is fetched anew, and the stream goes on from the reset's id.
  source.addEventListener('reset', (e) => {
    hub.last = (e as MessageEvent).lastEventId;
    for (const refetch of hub.missed.values()) refetch();
  });
}

/**
 * Calls `listener` with each live event of `scope` from `client`'s API and
 * site. Every subscriber of one API and site shares one EventSource, which
 * reconnects with the union of their scopes when it changes (changes of one
 * task are batched), resuming after the last event received, reopens with
 * backoff after an HTTP error, and closes when the last one leaves. Returns
 * the leave.
 *
 * `missed` is called when events may have been missed: the stream resumed
 * after an event the API no longer keeps (a week old), so it could not replay
 * what followed. Whatever was built from the events is to be fetched anew.
 */
export function subscribe(client: ApiClient, scope: LiveScope, listener: LiveListener, missed?: () => void): () => void {
  const key = `${client.api}|${client.site}`;
  let hub = hubs.get(key);
  if (!hub) hubs.set(key, (hub = { client, listeners: new Map(), missed: new Map(), failures: 0 }));
  const change = () => {
    clearTimeout(hub.timer);
    hub.timer = setTimeout(() => connect(hub));
  };
  hub.listeners.set(listener, scope);
  if (missed) hub.missed.set(listener, missed);
  change();
  return () => {
    hub.listeners.delete(listener);
    hub.missed.delete(listener);
    change();
  };
}

/**
 * What `live` (live.ts) does once this module is in: follows `scope()` of the host's client while the
 * host is connected, from now on (the host has rendered) and anew after each update that changed the
 * API, site or scope; a hidden record's event (it has an `id`) calls `reload`, any other the listener.
 * So does a stream that may have missed events (see `subscribe`).
 */
export function follow(...[host, scope, listener, reload]: LiveArgs) {
  const deliver = (e: LiveEvent) => ('id' in e ? reload() : listener(e));
  let following = '';
  let leave = () => {};
  // Lit updates an element off the page too: leaving happens in the update after disconnecting.
  const update = () => host.requestUpdate();
  const controller = {
    hostConnected: update,
    hostDisconnected: update,
    hostUpdated() {
      const { client } = host;
      const s = scope();
      const next = host.isConnected ? `${client.api}|${client.site}|${s}` : '';
      if (next === following) return;
      leave();
      following = next;
      leave = next ? subscribe(client, s, deliver, reload) : () => {};
    },
  };
  if (!arrivals) {
    arrivals = new CSSStyleSheet();
    arrivals.replaceSync(
      '@media (prefers-reduced-motion:no-preference){.new{animation:rh-in .6s ease-out}@keyframes rh-in{from{opacity:0;transform:translateY(-.5em)}}}',
    );
  }
  host.adoptStyles(arrivals);
  host.addController(controller);
  controller.hostUpdated();
}
