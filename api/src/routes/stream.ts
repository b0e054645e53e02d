import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE, type SSEMessage } from 'hono/streaming';
import type { AppEnv } from '../env';
import { invalid } from '../lib/errors';
import { liveHub, topicScope, wallScope } from '../lib/events';
import { errorResponses } from '../lib/openapi';
import { siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { LiveEvent, StreamQuery, TopicKey, WallKey } from '../schemas';

/** Keys one stream may follow, topics and walls together. */
const MAX_KEYS = 50;
/** How long a browser waits before reconnecting, sent once at the start. */
const RETRY_MS = 3000;

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
      'log id; reconnecting with `Last-Event-ID` (or `lastEventId`) first replays every later event. An ' +
      '`event: ping` without id is sent as a heartbeat.',
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
    const site = await siteOrNotFound(c.var.db, query.site ?? c.var.defaultSite);
    const scopes = [...keysOf('topics', query.topics).map(topicScope), ...keysOf('walls', query.walls).map(wallScope)];
    if (scopes.length > MAX_KEYS) throw invalid('topics', 'too_big', `topics and walls must be at most ${MAX_KEYS} keys together`);
    const after = lastEventIdOf(c.req.header('last-event-id') ?? query.lastEventId);
    const { heartbeatMs, pollMs } = c.var.live;
    c.header('X-Accel-Buffering', 'no'); // proxies must pass events on as they come

    return streamSSE(c, async (stream) => {
      // One write after another: events reach the client in log order.
      let writing: Promise<unknown> = stream.write(`retry: ${RETRY_MS}\n\n`);
      const send = (message: SSEMessage) => {
        writing = writing.then(() => stream.writeSSE(message));
      };
      let disconnected!: () => void;
      const gone = new Promise<void>((resolve) => (disconnected = resolve));
      stream.onAbort(() => disconnected());
      c.req.raw.signal.addEventListener('abort', () => stream.abort());

      const unsubscribe = liveHub(c.var.db, pollMs).subscribe({
        siteId: site.id,
        scopes: scopes.length > 0 ? new Set(scopes) : null,
        after,
        deliver: (event) => send({ id: String(event.id), event: event.type, data: event.data }),
      });
      try {
        while (!stream.aborted) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, heartbeatMs)))]);
          clearTimeout(timer);
          if (!stream.aborted) send({ event: 'ping', data: '{}' });
        }
      } finally {
        unsubscribe();
      }
    });
  },
);
