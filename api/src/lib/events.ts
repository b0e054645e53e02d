import { and, asc, eq, gt, inArray, lte, max, min, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { events } from '../db/schema/index';
import type { ContentType, LiveEvent } from '../schemas';
import { INSERT_EVENT } from './moderation';
import { nowIso } from './ids';
import { onCommit, txRow, type Tx } from './write-lock';

/** What a stream client subscribes to: `topic:<key>` or `wall:<key>`. */
export const topicScope = (topic: string) => `topic:${topic}`;
export const wallScope = (wall: string) => `wall:${wall}`;
const scopeOf = (event: LiveEvent) => ('wall' in event ? wallScope(event.wall) : topicScope(event.topic));

/**
 * Logs `event` for the live stream, in the transaction `tx` that writes the
 * record it reports, so that the stream reports a write if and only if it
 * happened. The record must be presented as to a reader who is not signed in.
 */
export async function recordEvent(tx: Tx, siteId: string, event: LiveEvent): Promise<void> {
  const { itemType, itemId, questionId } = itemOf(event);
  // Hidden from the start where its record waits (an answer approved under a question still pending, say).
  await txRow(tx, INSERT_EVENT, [siteId, event.type, scopeOf(event), JSON.stringify(event), itemType, itemId, questionId, nowIso()]);
  if (recorded++ % PRUNE_EVERY === 0) await pruneEvents(tx, Date.now());
}

/**
 * How long the log keeps an event. The stream replays what a reconnecting client missed (its
 * Last-Event-ID), which is seconds or minutes of events; nothing else reads the log. Without a
 * bound it grew by a copy of every question, answer, tip and kudos, for ever.
 */
export const EVENTS_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
/** Events logged by this process; every PRUNE_EVERY-th (the first included) also prunes. */
let recorded = 0;
const PRUNE_EVERY = 100;
/**
 * Events pruned at most at once: a bounded delete inside the write that pays for it (it holds the
 * write lock), twice what PRUNE_EVERY logs, so that the log shrinks back to a week after a backlog.
 */
const PRUNE_AT_ONCE = 200;
const PRUNE_EVENTS = `delete from events where id in (select id from events order by id limit ${PRUNE_AT_ONCE}) and created_at < ?`;

/** Deletes, in `tx`, the oldest events logged more than EVENTS_KEPT_MS before `now` (at most PRUNE_AT_ONCE of them). */
export async function pruneEvents(tx: Tx, now: number): Promise<void> {
  await txRow(tx, PRUNE_EVENTS, [new Date(now - EVENTS_KEPT_MS).toISOString()]);
}

/** The record an event reports, so that hiding that record withholds the event. */
function itemOf(event: LiveEvent): { itemType: ContentType | null; itemId: string | null; questionId: string | null } {
  switch (event.type) {
    case 'question.asked':
      return { itemType: 'question', itemId: event.question.id, questionId: event.question.id };
    case 'answer.posted':
      return { itemType: 'answer', itemId: event.answer.id, questionId: event.questionId };
    case 'answer.accepted':
      return { itemType: 'answer', itemId: event.answerId, questionId: event.questionId };
    case 'tip.shared':
      return { itemType: 'tip', itemId: event.tip.id, questionId: null };
    // Thanks for an answer carry the question's title: hiding the question withholds them too.
    case 'kudos.given':
      return { itemType: 'kudos', itemId: event.kudos.id, questionId: event.kudos.for?.questionId ?? null };
    // The news that a record was hidden is never withheld with the record.
    case 'item.hidden':
    case 'kudos.hidden':
      return { itemType: null, itemId: null, questionId: null };
  }
}

/**
 * The event a client resuming from an event the log no longer holds gets instead of a replay (see
 * `LiveHub.subscribe`): no record's, with the id of the newest event, and `{}` for data. It says
 * "you may have missed events: fetch what you show anew"; what comes after it is live.
 */
const RESET = 'reset';

/** One event as the stream sends it: `data` is the stored JSON text, which has no raw line breaks. */
export interface LoggedEvent {
  id: number;
  type: string;
  data: string;
}

export interface Subscription {
  siteId: string;
  /** Only these scopes; null for every event of the site. */
  scopes: ReadonlySet<string> | null;
  /** Replay the site's events after this id first (the client's Last-Event-ID); null to start from now. */
  after: number | null;
  deliver(event: LoggedEvent): void;
}

interface Client extends Subscription {
  /** The last event id this client was sent or skipped; null until its replay is done. */
  cursor: number | null;
}

interface EventLine {
  id: number;
  site_id: string;
  type: string;
  scope: string;
  payload: string;
}

/** Rows read per query, while replaying or catching up. */
const BATCH = 500;

/**
 * The live-update fan-out of one database handle. One poller per process
 * reads `events` after the last id it saw (every `pollMs`, and at once after
 * each local commit) and hands each row to the connected clients whose site
 * and scopes match. Rows written by other processes sharing the database
 * arrive through the same poll. SQLite and sqld run one writer at a time and
 * an id is assigned inside its transaction, so ids become visible in order:
 * reading `id > lastSeen` never skips a row. The poller runs only while
 * clients are connected.
 */
class LiveHub {
  private readonly clients = new Set<Client>();
  private lastSeen: number | null = null;
  /** Polls and replays run one after another, so a client's replay and the live rows meet without gap or overlap. */
  private queue: Promise<void> = Promise.resolve();
  private pollQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly pollMs: number,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  subscribe(subscription: Subscription): () => void {
    const client: Client = { ...subscription, cursor: null };
    this.clients.add(client);
    if (!this.stopListening) {
      this.stopListening = onCommit(this.db, () => this.poll());
      this.schedule();
    }
    this.enqueue(async () => {
      if (!this.clients.has(client)) return;
      const head = await this.head();
      let after = client.after ?? head;
      // Events right after its last one are gone from the log (pruned, oldest first, once EVENTS_KEPT_MS old):
      // rather than a replay with a hole in it, the client is told to fetch what it shows anew, and goes on from now.
      if (after < head && after < (await this.oldestId()) - 1) {
        client.deliver({ id: head, type: RESET, data: '{}' });
        after = head;
      }
      while (after < head && this.clients.has(client)) {
        const rows = await this.read(and(gt(events.id, after), lte(events.id, head), ...this.filterOf(client)));
        for (const row of rows) client.deliver(toLogged(row));
        after = rows.length === BATCH ? rows[rows.length - 1]!.id : head;
      }
      // An id ahead of this poller may come from another process's stream; one ahead of the log itself is bogus.
      client.cursor = client.after !== null && client.after > head ? Math.min(client.after, await this.newestId()) : head;
    });
    return () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stop();
    };
  }

  /** Reads what was committed since the last poll, now (coalesced with a poll already waiting). */
  poll(): void {
    if (this.pollQueued) return;
    this.pollQueued = true;
    this.enqueue(async () => {
      this.pollQueued = false;
      if (this.clients.size === 0) return;
      let from = await this.head();
      for (;;) {
        const rows = await this.read(gt(events.id, from));
        for (const row of rows) {
          const event = toLogged(row);
          for (const client of this.clients) {
            if (client.cursor === null || client.cursor >= row.id) continue;
            client.cursor = row.id;
            if (client.siteId === row.site_id && (!client.scopes || client.scopes.has(row.scope))) client.deliver(event);
          }
          from = row.id;
        }
        this.lastSeen = from;
        if (rows.length < BATCH) break;
      }
    });
  }

  private filterOf(client: Client): SQL[] {
    return [eq(events.siteId, client.siteId), ...(client.scopes ? [inArray(events.scope, [...client.scopes])] : [])];
  }

  private read(where: SQL | undefined = sql`1`): Promise<EventLine[]> {
    return this.db.all<EventLine>(sql`select ${events.id} as id, ${events.siteId} as site_id, ${events.type} as type,
      ${events.scope} as scope, ${events.payload} as payload
      from ${events} where ${where} and ${events.hidden} = 0 order by ${asc(events.id)} limit ${BATCH}`);
  }

  /** The last id polled; on a (re)start, the newest id in the log, so a new poller begins at now. */
  private async head(): Promise<number> {
    if (this.lastSeen === null) this.lastSeen = await this.newestId();
    return this.lastSeen;
  }

  /** The oldest id the log still holds (ids only grow, and the prune takes the oldest first). */
  private async oldestId(): Promise<number> {
    const [row] = await this.db.select({ id: min(events.id) }).from(events);
    return row?.id ?? 0;
  }

  private async newestId(): Promise<number> {
    const [row] = await this.db.select({ id: max(events.id) }).from(events);
    return row?.id ?? 0;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      console.error('live updates: reading the event log failed', err);
    });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.poll();
      this.enqueue(async () => {
        // Not after a stop, nor twice after a stop and a restart.
        if (this.stopListening && !this.timer) this.schedule();
      });
    }, this.pollMs);
    // The poller alone never keeps a process alive; open connections do.
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopListening?.();
    this.stopListening = null;
    // A later start reads from the log's head again: nobody was listening in between.
    this.enqueue(async () => {
      if (this.clients.size === 0) this.lastSeen = null;
    });
  }
}

const hubs = new WeakMap<Db, LiveHub>();

/** The one live-update hub of `db` in this process. */
export function liveHub(db: Db, pollMs = 200): LiveHub {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new LiveHub(db, pollMs)));
  return hub;
}

export type { LiveHub };

const toLogged = (row: EventLine): LoggedEvent => ({ id: Number(row.id), type: row.type, data: String(row.payload) });
