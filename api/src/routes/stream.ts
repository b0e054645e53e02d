import type { ServerResponse } from 'node:http';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { invalid } from '../lib/errors';
import { liveHub, topicScope, wallScope, type LoggedEvent } from '../lib/events';
import { errorResponses } from '../lib/openapi';
import { siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { LiveEvent, StreamQuery, TopicKey, WallKey } from '../schemas';

/** Keys one stream may follow, topics and walls together. */
const MAX_KEYS = 50;
/** How long a browser waits before reconnecting, sent once at the start. */
const RETRY_MS = 3000;

const encoder = new TextEncoder();
const RETRY_FRAME = encoder.encode(`retry: ${RETRY_MS}\n\n`);
const PING_FRAME = encoder.encode('event: ping\ndata: {}\n\n');
/**
 * How far a client may fall behind, in bytes, before it is cut off: a stalled reader
 * must not hold the process's memory. It reconnects and resumes from its Last-Event-ID.
 */
const MAX_BACKLOG_BYTES = 1024 * 1024;

/**
 * Each event's frame is built and encoded once, however many clients it goes to (the
 * hub hands them all the same event object). Stored JSON has no raw line break;
 * splitting on them anyway keeps one event one frame whatever the log holds.
 */
const frames = new WeakMap<LoggedEvent, Uint8Array>();
function frameOf(event: LoggedEvent): Uint8Array {
  let frame = frames.get(event);
  if (!frame) {
    const data = event.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n');
    frames.set(event, (frame = encoder.encode(`id: ${event.id}\nevent: ${event.type}\n${data}\n\n`)));
  }
  return frame;
}

/**
 * One client's response body. Frames wait in the body's queue until the server has
 * written the response head and everything queued so far and asks for more; from
 * then on, under @hono/node-server, they go straight to the socket's response, without
 * a promise per frame (elsewhere, as in `app.request()`, they keep going through the queue).
 */
class EventStream {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private direct: ServerResponse | null = null;
  private ended = false;

  constructor(
    private readonly onEnd: (stream: EventStream) => void,
    outgoing: ServerResponse | undefined,
  ) {
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          controller.enqueue(RETRY_FRAME);
        },
        // Called once the queue is written out and the server waits for more: nothing is in flight.
        pull: () => {
          if (outgoing && !outgoing.destroyed) this.direct = outgoing;
        },
        cancel: () => this.end(),
      },
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
  }

  send(frame: Uint8Array): void {
    if (this.ended) return;
    if (this.direct) {
      this.direct.write(frame);
      if (this.direct.writableLength > MAX_BACKLOG_BYTES) {
        this.end();
        this.direct.destroy();
      }
      return;
    }
    this.controller.enqueue(frame);
    if ((this.controller.desiredSize ?? 0) < -MAX_BACKLOG_BYTES) {
      this.end();
      this.controller.close();
    }
  }

  /** Once the client is gone (or cut off): stop sending to it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this);
  }
}

/** Heartbeats go out in this many slices of the streams, one slice at a time. */
const SLICES = 10;

/**
 * The heartbeats of every stream with the same interval: one timer for all of them
 * instead of one each, pinging a tenth of the streams every tenth of the interval, so
 * that 10,000 pings never go out in one burst that would hold up an event.
 */
class Heartbeats {
  private readonly slices = Array.from({ length: SLICES }, () => new Set<EventStream>());
  private added = 0;
  private beat = 0;
  private timer: NodeJS.Timeout | null = null;
  private size = 0;

  constructor(private readonly everyMs: number) {}

  add(stream: EventStream): void {
    this.slices[this.added++ % SLICES]!.add(stream);
    this.size++;
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const each of this.slices[this.beat++ % SLICES]!) each.send(PING_FRAME);
      }, this.everyMs / SLICES);
      // Open connections keep the process alive, never the heartbeat alone.
      this.timer.unref();
    }
  }

  remove(stream: EventStream): void {
    for (const slice of this.slices) if (slice.delete(stream)) this.size--;
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

const heartbeatsByInterval = new Map<number, Heartbeats>();
function heartbeats(everyMs: number): Heartbeats {
  let beats = heartbeatsByInterval.get(everyMs);
  if (!beats) heartbeatsByInterval.set(everyMs, (beats = new Heartbeats(everyMs)));
  return beats;
}

/** The keys of a comma-separated list, each a valid topic or wall key. */
function keysOf(field: 'topics' | 'walls', list: string | undefined): string[] {
  const keys = [...new Set((list ?? '').split(',').map((k) => k.trim()).filter(Boolean))];
  for (const key of keys) {
    if (!(field === 'walls' ? WallKey : TopicKey).safeParse(key).success) throw invalid(field, 'pattern', `${field} must be comma-separated keys of letters, digits and . _ ~ - /`);
  }
  return keys;
}

function lastEventIdOf(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  if (!/^\d{1,15}$/.test(raw.trim())) throw invalid('Last-Event-ID', 'integer', 'Last-Event-ID must be the id of an event this stream sent');
  return Number(raw.trim());
}

export const streamRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['live updates'],
    summary:
      'Server-sent events of a site: questions asked, answers posted and accepted, tips shared, kudos given. ' +
      'Only the listed topics and walls when any are given, else everything of the site. Each event carries its ' +
      'log id; reconnecting with `Last-Event-ID` (or `lastEventId`) first replays every later event. When the log ' +
      'no longer holds that event (it keeps a week), an `event: reset` with the newest id and `{}` comes instead ' +
      'of the replay: fetch what you show anew. An `event: ping` without id is sent as a heartbeat.',
    request: {
      query: StreamQuery,
      headers: z.object({
        'last-event-id': z.string().max(20).optional().openapi({ param: { name: 'last-event-id', in: 'header' }, description: 'The id of the last event received' }),
      }),
    },
    responses: {
      200: { description: 'An endless text/event-stream; `data` is a LiveEvent as JSON', content: { 'text/event-stream': { schema: LiveEvent } } },
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const site = await siteOrNotFound(c.get('db'), query.site ?? c.get('defaultSite'));
    const scopes = [...keysOf('topics', query.topics).map(topicScope), ...keysOf('walls', query.walls).map(wallScope)];
    if (scopes.length > MAX_KEYS) throw invalid('topics', 'too_big', `topics and walls must be at most ${MAX_KEYS} keys together`);
    const after = lastEventIdOf(c.req.header('last-event-id') ?? query.lastEventId);
    const { heartbeatMs, pollMs } = c.get('live');
    c.header('X-Accel-Buffering', 'no'); // proxies must pass events on as they come

    const beats = heartbeats(heartbeatMs);
    const stream = new EventStream(
      (ended) => {
        unsubscribe();
        beats.remove(ended);
      },
      (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing,
    );
    const unsubscribe = liveHub(c.get('db'), pollMs).subscribe({
      siteId: site.id,
      scopes: scopes.length > 0 ? new Set(scopes) : null,
      after,
      deliver: (event) => stream.send(frameOf(event)),
    });
    beats.add(stream);
    c.req.raw.signal.addEventListener('abort', () => stream.end());
    c.header('Content-Type', 'text/event-stream');
    c.header('Connection', 'keep-alive');
    // Declared, so that the server sends the head at once instead of first waiting for the body's end.
    c.header('Transfer-Encoding', 'chunked');
    return c.body(stream.readable);
  },
);
