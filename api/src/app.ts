import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { RETAINED_304_HEADERS, etag } from 'hono/etag';
import { decode } from 'hono/jwt';
import { secureHeaders } from 'hono/secure-headers';
import type { Db } from './db/client';
import type { AppEnv } from './env';
import { sessionReader } from './lib/auth';
import { clientAddress, limitedAddress, trustedProxyList } from './lib/client-address';
import { countedRequest, type Hit, type Limit } from './lib/rate-limit';
import { RESPONSE_CACHE_BYTES, ResponseCache, acceptsGzip, replayCache } from './lib/response-cache';
import { ApiError, codeForStatus, errorBody, forbidden } from './lib/errors';
import { INDEX_AFTER_MS, indexQuestionsAfter } from './lib/fts';
import { originAllowed, siteStampOf } from './lib/sites';
import { validationHook } from './lib/validation';
import type { ErrorDetail } from './schemas';
import { answersRoutes } from './routes/answers';
import { expertsRoutes } from './routes/experts';
import { health } from './routes/health';
import { questionsRoutes } from './routes/questions';
import { sessionRoutes } from './routes/session';
import { sitesRoutes } from './routes/sites';
import { kudosRoutes } from './routes/kudos';
import { moderationRoutes } from './routes/moderation';
import { reportsRoutes } from './routes/reports';
import { streamRoutes } from './routes/stream';
import { tipsRoutes } from './routes/tips';
import { usersRoutes } from './routes/users';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

export const BODY_LIMIT_BYTES = 64 * 1024;

/** What Hono's body parsing and limit throw, as the one error shape naming the field and rule. */
const bodyRefusals: Record<number, ErrorDetail> = {
  400: { field: 'body', rule: 'json', message: 'body must be valid JSON' },
  413: { field: 'body', rule: 'max_size', message: `body must be at most ${BODY_LIMIT_BYTES / 1024} KB` },
  415: { field: 'Content-Type', rule: 'json', message: 'Content-Type must be application/json' },
};

export interface AppOptions {
  db: Db;
  /** Site used when a request names none (default `demo`). */
  defaultSite?: string;
  version?: string;
  /** Where `widgets.js` is served from (default packages/widgets/dist). */
  widgetsDir?: string;
  /** Served under /examples/ (default examples/). */
  examplesDir?: string;
  /** Writes allowed per user per window (default 60 a minute). */
  writeLimit?: Limit;
  /**
   * Writes allowed per client address per window (default 600 a minute: a
   * whole office may share one address behind its NAT).
   */
  addressWriteLimit?: Limit;
  /** Sessions (sign-ins and new guests) per client address per window (default 30 a minute). */
  sessionLimit?: Limit;
  /**
   * Proxies whose X-Forwarded-For names the client (addresses or subnets);
   * default the TRUSTED_PROXIES environment variable, comma-separated, else none.
   */
  trustedProxies?: string[];
  /**
   * Live updates: how often the event log is read for writes of other
   * processes (default 200 ms; the first app of a database handle sets it),
   * and how often an idle stream is sent a heartbeat (default 15 s).
   */
  live?: { pollMs?: number; heartbeatMs?: number };
  /** Memory for finished responses of hot reads (default 32 MB; 0 turns the cache off). */
  responseCacheBytes?: number;
  /**
   * How soon after an ask its question is indexed for "similar questions" (default 100 ms; the
   * first app of a database handle sets it), with the questions asked meanwhile, in one
   * transaction. The search also reads the questions not yet indexed, so this sets how long that
   * list grows, not what a search finds.
   */
  searchIndexMs?: number;
}

export function createApp(opts: AppOptions) {
  const defaultSite = opts.defaultSite ?? 'demo';
  const version = opts.version ?? '0.1.0';
  const widgetsDir = opts.widgetsDir ?? join(repoRoot, 'packages/widgets/dist');
  const examplesDir = opts.examplesDir ?? join(repoRoot, 'examples');
  const writeLimit = opts.writeLimit ?? { limit: 60, windowMs: 60_000 };
  const addressWriteLimit = opts.addressWriteLimit ?? { limit: 600, windowMs: 60_000 };
  const sessionLimit = opts.sessionLimit ?? { limit: 30, windowMs: 60_000 };
  const proxies = trustedProxyList(opts.trustedProxies ?? (process.env.TRUSTED_PROXIES ?? '').split(','));
  const live = { pollMs: opts.live?.pollMs ?? 200, heartbeatMs: opts.live?.heartbeatMs ?? 15_000 };
  const cacheBytes = opts.responseCacheBytes ?? RESPONSE_CACHE_BYTES;
  const responseCache = cacheBytes > 0 ? new ResponseCache(cacheBytes) : null;
  indexQuestionsAfter(opts.db, opts.searchIndexMs ?? INDEX_AFTER_MS);

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status, err.headers);
    // Hono's own refusals of a body, before any schema sees it.
    if (err instanceof HTTPException && err.status in bodyRefusals) {
      const detail = bodyRefusals[err.status]!;
      return c.json(errorBody(codeForStatus(err.status), detail.message, [detail]), err.status);
    }
    if (err instanceof HTTPException) return c.json(errorBody(codeForStatus(err.status), err.message || codeForStatus(err.status)), err.status);
    console.error('unhandled error on', c.req.method, c.req.path, err);
    return c.json(errorBody('internal', 'something went wrong on our side'), 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  // First of all: a read the response cache answered before is sent again as it was (lib/response-cache.ts).
  if (responseCache) app.use('*', replayCache(opts.db, cacheBytes / 2));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('*', async (c, next) => {
    c.set('db', opts.db);
    c.set('defaultSite', defaultSite);
    c.set('version', version);
    c.set('viewer', null);
    c.set('sessionId', null);
    c.set('prelude', null);
    c.set('live', live);
    c.set('responseCache', responseCache);
    await next();
  });

  // Only the origins of the site concerned may call the API from a browser: the site the request
  // names, else the site of its session token (whose signature is checked later), else the default.
  const allowedOrigin = async (origin: string, c: Context<AppEnv>) => {
    if (!origin) return null;
    const siteId = c.req.query('site') ?? siteOfBearer(c.req.header('authorization')) ?? defaultSite;
    const site = await siteStampOf(opts.db, c.req.raw, siteId);
    return site && originAllowed(origin, site.origins) ? origin : null;
  };
  const exposed = ['Retry-After', 'Idempotent-Replayed'];
  // Preflights are answered by Hono's CORS middleware.
  const preflight = cors({
    origin: allowedOrigin,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    exposeHeaders: exposed,
    maxAge: 600,
  });
  // Every other request gets the same CORS headers as that middleware sets, but only once its
  // response exists: Hono's middleware touches the response before the handler runs, which makes
  // @hono/node-server turn every body into a stream (measured: a cached questions list went from
  // ~5,800 to ~2,200 requests a second). Headers here and below are set on `c.res.headers`, never
  // with `c.header()` after `next()`, for the same reason.
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const allowed = await allowedOrigin(c.req.header('origin') ?? '', c);
    const headers = c.res.headers;
    if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
    headers.set('Access-Control-Expose-Headers', exposed.join(','));
    headers.append('Vary', 'Origin');
  });
  // Responses depend on who asks (a moderator sees anonymous askers): no shared cache may keep one.
  // A read with an ETag (lib/response-cache.ts) may be kept by the asker's own browser, which must
  // revalidate it every time (If-None-Match, answered 304 while nothing changed); it varies with the
  // session token and the calling origin, the rest of what its ETag covers is in the URL. Everything
  // else is kept by no cache at all. They are data, never a document: nothing in one may load, run or be framed.
  app.use('/v1/*', async (c, next) => {
    await next();
    const revalidate = (c.req.method === 'GET' || c.req.method === 'HEAD') && (c.res.status === 200 || c.res.status === 304) && c.res.headers.has('ETag');
    const headers = c.res.headers;
    if (revalidate) {
      headers.set('Cache-Control', 'private, no-cache');
      // Origin is added by the CORS middleware above, on its way out.
      if (!/\bAuthorization\b/i.test(headers.get('Vary') ?? '')) headers.append('Vary', 'Authorization');
    } else headers.set('Cache-Control', 'no-store');
    headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  });
  // Only where a body may come, and by its Content-Length where it has one (Node's parser reads exactly that
  // many bytes): asking for the request's body makes @hono/node-server build a whole Request, a quarter or more of
  // a vote's CPU. A body without a length (chunked) is counted as it streams, by Hono's bodyLimit.
  const limitBody = bodyLimit({ maxSize: BODY_LIMIT_BYTES });
  app.use('/v1/*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || !/^\d+$/.test(length) || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (Number(length) > BODY_LIMIT_BYTES) throw new HTTPException(413);
    return next();
  });
  // Every write with a body takes JSON, and only JSON: a form post from any page cannot pass for one.
  app.use('/v1/*', async (c, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      throw new HTTPException(415);
    }
    await next();
  });
  app.use('/v1/*', sessionReader);
  // A blocked person may still read and sign out, never write.
  app.use('/v1/*', async (c, next) => {
    const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    if (isWrite && c.get('viewer')?.blockedAt && !(c.req.method === 'DELETE' && c.req.path === '/v1/session')) {
      const message = 'a moderator has blocked you from writing here';
      throw forbidden(message, [{ field: 'Authorization', rule: 'blocked', message }]);
    }
    await next();
  });
  // Counted in the database, so the limits hold across every API process; per address first, then per person.
  // Counted in the request's own write transaction (lib/rate-limit.ts countedRequest): no commit of their own.
  app.use('/v1/*', async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    const address = limitedAddress(clientAddress(c, proxies));
    const hits: Hit[] = [
      c.req.method === 'POST' && c.req.path === '/v1/session'
        ? { key: `session:${address}`, limit: sessionLimit, what: 'sign-ins from this address' }
        : { key: `address:${address}`, limit: addressWriteLimit, what: 'writes from this address' },
    ];
    const viewer = c.get('viewer');
    if (viewer) hits.push({ key: `user:${viewer.id}`, limit: writeLimit, what: 'writes' });
    await countedRequest(opts.db, hits, (prelude) => {
      c.set('prelude', prelude);
      return next();
    });
  });

  const routes = app
    .route('/v1/health', health)
    .route('/v1', sitesRoutes)
    .route('/v1', sessionRoutes)
    .route('/v1/questions', questionsRoutes)
    .route('/v1/answers', answersRoutes)
    .route('/v1/experts', expertsRoutes)
    .route('/v1/tips', tipsRoutes)
    .route('/v1/kudos', kudosRoutes)
    .route('/v1/users', usersRoutes)
    .route('/v1/stream', streamRoutes)
    .route('/v1/reports', reportsRoutes)
    .route('/v1/moderation', moderationRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Readyhand API', version, description: 'Social learning where learners already are.' },
  });

  // The widget bundles: loaded by any page that embeds Readyhand, hence CORS `*`.
  // widgets.js goes out as the build's zopfli-precompressed .gz to every browser that accepts gzip.
  // Cached for five minutes (a new build reaches pages soon), then asked for again with the ETag: unchanged,
  // it is a 304 without a body rather than the whole bundle again.
  const widgetFile = (name: string, type: string, dir = widgetsDir) => async (c: import('hono').Context) => {
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'public, max-age=300',
      Vary: 'Accept-Encoding',
    };
    const gzipOk = acceptsGzip(c.req.header('accept-encoding'));
    let bytes = gzipOk ? await readFile(join(dir, `${name}.gz`)).catch(() => null) : null;
    if (bytes) headers['Content-Encoding'] = 'gzip';
    else bytes = await readFile(join(dir, name)).catch(() => null);
    if (!bytes) return c.json(errorBody('not_found', `${name} is not built yet: run npm run build`), 404);
    return c.body(new Uint8Array(bytes), 200, headers);
  };
  // The moderators' page and its own bundle (not in widgets.js): who moderates comes from the host's
  // identity token, so the page itself holds nothing secret. Before the widgets' files, whose names it matches.
  const moderationDir = join(repoRoot, 'packages/moderation/dist');
  const revalidated = etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin'] });
  app.get('/moderation.js', revalidated, widgetFile('moderation.js', 'text/javascript; charset=utf-8', moderationDir));
  app.get('/moderation.js.map', revalidated, widgetFile('moderation.js.map', 'application/json; charset=utf-8', moderationDir));
  // Also each widget's own bundle, the translations a bundle imports when a widget speaks German, Spanish or French,
  // and the files of code a bundle imports on demand (a Report form, the live stream, the forms…): whatever
  // the build put beside widgets.js, by a name of lower-case letters, digits and dashes (no path can be named).
  const script = (name: string) => widgetFile(name, 'text/javascript; charset=utf-8');
  const sourceMap = (name: string) => widgetFile(name, 'application/json; charset=utf-8');
  app.get('/:file{[a-z0-9][a-z0-9-]*\\.js}', revalidated, (c) => script(c.req.param('file'))(c));
  app.get('/:file{[a-z0-9][a-z0-9-]*\\.js\\.map}', revalidated, (c) => sourceMap(c.req.param('file'))(c));
  app.get('/locales/:file{[a-z]{2}(-[A-Za-z0-9]+)?\\.js}', revalidated, (c) => script(`locales/${c.req.param('file')}`)(c));
  app.get('/locales/:file{[a-z]{2}(-[A-Za-z0-9]+)?\\.js\\.map}', revalidated, (c) => sourceMap(`locales/${c.req.param('file')}`)(c));
  app.get('/moderate', async (c) => c.html(await readFile(join(repoRoot, 'api/public/moderate.html'), 'utf8'), 200, { 'Cache-Control': 'no-store' }));

  app.use('/examples/*', serveStatic({ root: examplesDir, rewriteRequestPath: (path) => path.replace(/^\/examples/, '') }));
  // The configurator: pick a widget, see it live, copy the snippet.
  app.get('/', async (c) => c.html(await readFile(join(repoRoot, 'api/public/index.html'), 'utf8')));

  return routes;
}

export type AppType = ReturnType<typeof createApp>;

/** The `site` claim of a bearer token, unverified: it only chooses whose origins CORS compares with. */
function siteOfBearer(header: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) return undefined;
  try {
    const site = decode(token).payload.site;
    return typeof site === 'string' ? site : undefined;
  } catch {
    return undefined;
  }
}

