import type { Db } from './db/client';
import type { User } from './db/schema/index';
import type { ResponseCache } from './lib/response-cache';
import type { Prelude } from './lib/write-lock';

/**
 * What every handler finds with `c.get(name)`. (Read one with `c.get`, not `c.var.name`: Hono builds
 * `c.var` anew from every variable at each access, a few µs that the hot routes paid several times a
 * request. A write passes `c.var` whole, once, to writeTransaction: its database and prelude.)
 */
export interface AppEnv {
  Variables: {
    db: Db;
    /** Site used when a request names none. */
    defaultSite: string;
    version: string;
    /** The signed-in user of a valid session token, or null for an anonymous reader. */
    viewer: User | null;
    /** The id of the viewer's session, to sign it out; null without a session. */
    sessionId: string | null;
    /** Live-update timing (see AppOptions.live). */
    live: { pollMs: number; heartbeatMs: number };
    /** Finished bodies of hot reads (see lib/response-cache.ts); null when turned off. */
    responseCache: ResponseCache | null;
    /** The request's rate-limit counts, to run in its first write transaction (lib/rate-limit.ts); null for a read. */
    prelude: Prelude | null;
  };
}
