import { createHash } from 'node:crypto';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { readRows, type Db } from '../db/client';
import type { AppEnv } from '../env';
import { notFound } from './errors';

/**
 * Finished JSON bodies of hot reads, in memory, least recently used first out
 * once they pass a byte budget. Each entry is keyed by its site's
 * `content_version`, which triggers raise in the transaction of every write
 * that changes such a read (migration 0008): a request reads that one value
 * first, so after a write has committed, in this process or any other on the
 * same database, no request can be answered from an entry made before it.
 */
export class ResponseCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): string | undefined {
    const body = this.entries.get(key);
    if (body !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, body);
    }
    return body;
  }

  set(key: string, body: string): void {
    if (body.length > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.bytes -= old.length + key.length;
    }
    this.entries.set(key, body);
    this.bytes += body.length + key.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length + oldest.length;
    }
  }
}

/** Default budget of one app's response cache. */
export const RESPONSE_CACHE_BYTES = 32 * 1024 * 1024;

interface Stamp {
  version: number;
  createdAt: string;
}

/** The site's content version (one read by primary key), or null for a site that does not exist. */
async function stampOf(db: Db, siteId: string): Promise<Stamp | null> {
  const [row] = await readRows<{ version: number; created_at: string }>(
    db,
    'select content_version as version, created_at from sites where id = ?',
    [siteId],
  );
  return row ? { version: Number(row.version), createdAt: String(row.created_at) } : null;
}

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
 * version, so every API process on one database gives the same tag.
 */
export async function cachedJson<T>(
  c: Context<AppEnv>,
  siteId: string,
  what: unknown,
  build: () => Promise<T>,
): Promise<TypedResponse<JSONParsed<T>, 200, 'json'>> {
  // Typed as the 200 it usually is, for the OpenAPI routes and their clients; a 304 has no body to type.
  return (await answer(c, siteId, what, build)) as unknown as TypedResponse<JSONParsed<T>, 200, 'json'>;
}

async function answer(c: Context<AppEnv>, siteId: string, what: unknown, build: () => Promise<unknown>): Promise<Response> {
  const stamp = await stampOf(c.var.db, siteId);
  if (!stamp) throw notFound(`site ${siteId}`);
  const viewer = c.var.viewer;
  // Another site's session reads as nobody (lib/questions.ts readerOf).
  const reader = viewer && viewer.siteId === siteId ? viewer.id : '';
  const key = JSON.stringify([siteId, stamp.createdAt, stamp.version, reader, what]);
  const etag = `W/"${createHash('sha256').update(c.var.version).update('\n').update(key).digest('base64url').slice(0, 27)}"`;
  const headers = { ETag: etag, 'Content-Type': 'application/json' };
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag });
  const cache = c.var.responseCache;
  let body = cache?.get(key);
  if (body === undefined) {
    body = JSON.stringify(await build());
    cache?.set(key, body);
  }
  return c.body(body, 200, headers);
}
