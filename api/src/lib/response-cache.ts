import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { Db } from '../db/client';
import type { AppEnv } from '../env';
import { notFound } from './errors';
import { userOfSession } from './sessions';
import { siteStampOf } from './sites';

/**
 * Finished JSON bodies of hot reads, in memory, least recently used first out
 * once they pass a byte budget. Each entry is keyed by its site's
 * `content_version`, which triggers raise in the transaction of every write
 * that changes such a read (migration 0008): a request reads that one value
 * first, so after a write has committed, in this process or any other on the
 * same database, no request can be answered from an entry made before it.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedBody>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedBody | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedBody): void {
    const size = (e: CachedBody) => e.json.length + e.gzip.length + key.length;
    if (size(entry) > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.bytes -= size(old);
    }
    this.entries.set(key, entry);
    this.bytes += size(entry);
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.json.length + value.gzip.length + oldest.length;
    }
  }
}

/** A finished body, its ETag, and the same body gzipped once for every client that accepts it (browsers all do). */
export interface CachedBody {
  etag: string;
  json: string;
  gzip: Uint8Array<ArrayBuffer>;
}

/** Default budget of one app's response cache. */
export const RESPONSE_CACHE_BYTES = 32 * 1024 * 1024;

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * Answers a read of site `siteId` from the response cache, or with 304 when
 * the client's `If-None-Match` already names the current ETag, else builds
 * the body with `build` and keeps it. `what` names the response (route and
 * validated query); the viewer is part of the key, because a signed-in reader
 * sees their own votes, their pending posts and, as a moderator, what others
 * may not. The ETag is a digest of the same key and the site's content
 * version, so every API process on one database gives the same tag. An
 * answer that depends on the time as well names that time in `what` and
 * gives `until`, the moment (ms since 1970) after which it is not replayed.
 */
export async function cachedJson<T>(
  c: Context<AppEnv>,
  siteId: string,
  what: unknown,
  build: () => Promise<T>,
  until?: number,
): Promise<TypedResponse<JSONParsed<T>, 200, 'json'>> {
  // Typed as the 200 it usually is, for the OpenAPI routes and their clients; a 304 has no body to type.
  return (await answer(c, siteId, what, build, until)) as unknown as TypedResponse<JSONParsed<T>, 200, 'json'>;
}

async function answer(c: Context<AppEnv>, siteId: string, what: unknown, build: () => Promise<unknown>, until?: number): Promise<Response> {
  const stamp = await siteStampOf(c.get('db'), c.req.raw, siteId);
  if (!stamp) throw notFound(`site ${siteId}`);
  const viewer = c.get('viewer');
  // Another site's session reads as nobody (lib/questions.ts readerOf).
  const reader = viewer && viewer.siteId === siteId ? viewer.id : '';
  const key = JSON.stringify([siteId, stamp.createdAt, stamp.version, reader, what]);
  const cache = c.get('responseCache');
  let entry = cache?.get(key);
  const etag = entry?.etag ?? `W/"${createHash('sha256').update(c.get('version')).update('\n').update(key).digest('base64url').slice(0, 27)}"`;
  // A cached body may be sent gzipped: its 304 names the same Vary as its 200 would.
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, cache ? { ETag: etag, Vary: 'Accept-Encoding' } : { ETag: etag });
  if (!entry) {
    const json = JSON.stringify(await build());
    if (!cache) return c.body(json, 200, { ETag: etag, 'Content-Type': 'application/json' });
    entry = { etag, json, gzip: gzipSync(json) as Uint8Array<ArrayBuffer> };
    cache.set(key, entry);
  }
  // The weak ETag covers both encodings: they are the same JSON.
  const headers = { ETag: etag, 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  const gzipped = acceptsGzip(c.req.header('accept-encoding'));
  // Replayed only where the CORS check and the content read the same site's settings (see replayCache).
  if (!viewer || reader) {
    answered.set(c.req.raw, { siteId, reader, version: stamp.version, createdAt: stamp.createdAt, etag, body: gzipped ? entry.gzip : entry.json, until });
  }
  return gzipped ? c.body(entry.gzip, 200, { ...headers, 'Content-Encoding': 'gzip' }) : c.body(entry.json, 200, headers);
}

/** What answer() sent from the cache, and to whom, for the replay below to keep. */
interface Answered {
  siteId: string;
  /** The signed-in reader it was made for, or '' for a reader without a session. */
  reader: string;
  version: number;
  createdAt: string;
  etag: string;
  body: string | Uint8Array<ArrayBuffer>;
  /** For an answer that depends on the time too, when it stops holding (cachedJson's `until`). */
  until: number | undefined;
}

const answered = new WeakMap<Request, Answered>();

interface Replay extends Answered {
  /** The site's allowed origins when it was sent. */
  origins: string;
  /** What it holds in memory, about: its key, body and headers. */
  bytes: number;
  /** Every header the whole app sent with it (security, CORS, caching), as one plain object. */
  headers: Record<string, string>;
}

/**
 * The first middleware of the app: a GET that this process answered from the
 * response cache before, with the same URL, Origin, Authorization and
 * acceptance of gzip, is answered again with the same headers and body, as
 * long as its site's content version and allowed origins are still the ones
 * it was built with (the same one prepared read by primary key that any
 * cached read makes, so a write through any process is seen by the next
 * request, exactly as without the replay), and, for a signed-in reader, the
 * session is still good (as every request with a session checks it, through
 * the site's people version: a sign-out or revocation by any process holds at
 * the next request; lib/sessions.ts).
 * Nothing else about such a response can differ: the reader's name, roles
 * and expert topics raise the content version when they change, reads have
 * no rate limits, and everything else the app adds depends only on those
 * request headers. What it saves is the rest of the app's per-request work
 * (on a busy server, most of the cost of a cached read): routing,
 * validation, the middleware chain, and header objects built and copied
 * header by header. A request with an If-None-Match that names the ETag gets
 * the 304 the app would send. Bodies are shared with the response cache;
 * what the replays hold is bounded by `maxBytes`, least recently used out.
 */
export function replayCache(db: Db, maxBytes = RESPONSE_CACHE_BYTES / 2) {
  const replays = new Map<string, Replay>();
  let bytes = 0;
  const forget = (key: string) => {
    const replay = replays.get(key);
    if (replay && replays.delete(key)) bytes -= replay.bytes;
  };
  return async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    if (c.req.method !== 'GET') return next();
    const authorization = c.req.header('authorization') ?? '';
    const key = `${acceptsGzip(c.req.header('accept-encoding')) ? 'gzip' : ''} ${c.req.header('origin') ?? ''} ${authorization} ${c.req.url}`;
    const replay = replays.get(key);
    if (replay) {
      const stamp = await siteStampOf(db, c.req.raw, replay.siteId);
      // A signed-in reader's session must still be good (the app answers anything else, with its 401), and
      // the origins decide the CORS headers, and change without a new content version.
      const current =
        (replay.until === undefined || Date.now() < replay.until) &&
        stamp?.version === replay.version &&
        stamp.createdAt === replay.createdAt &&
        stamp.origins.join(' ') === replay.origins &&
        (!replay.reader || (await readerOf(db, authorization)) === replay.reader);
      if (current) {
        // Most recently used last: the oldest go first when the budget is reached.
        replays.delete(key);
        replays.set(key, replay);
        if (matches(c.req.header('if-none-match'), replay.etag)) {
          const { 'content-type': _type, 'content-encoding': _encoding, 'content-length': _length, ...notModified } = replay.headers;
          return new Response(null, { status: 304, headers: notModified });
        }
        return new Response(replay.body, { status: 200, headers: replay.headers });
      }
      forget(key);
    }
    await next();
    const sent = answered.get(c.req.raw);
    if (!sent || c.res.status !== 200) return;
    const stamp = await siteStampOf(db, c.req.raw, sent.siteId);
    if (!stamp) return;
    const headers = Object.fromEntries(c.res.headers);
    const size = key.length + sent.body.length + JSON.stringify(headers).length;
    if (size > maxBytes / 4) return;
    forget(key);
    replays.set(key, { ...sent, origins: stamp.origins.join(' '), headers, bytes: size });
    bytes += size;
    for (const [oldest] of replays) {
      if (bytes <= maxBytes) break;
      forget(oldest);
    }
  };
}

/** The id of the user whose session `authorization` carries, or null for anything the app would refuse. */
async function readerOf(db: Db, authorization: string): Promise<string | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  try {
    return token ? (await userOfSession(db, token)).user.id : null;
  } catch {
    return null;
  }
}

/** Whether an Accept-Encoding header accepts gzip (named, or by `*`, without `q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const refused = params.some((p) => /^q=0(\.0*)?$/.test(p));
    if (coding === 'gzip' || coding === 'x-gzip') return !refused;
    if (coding === '*') star = !refused;
  }
  return star;
}
