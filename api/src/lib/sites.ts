import { and, eq } from 'drizzle-orm';
import { atTurnEnd, decodedRow, readRow, type Db } from '../db/client';
import { sites, siteSecrets, type Site } from '../db/schema/index';
import { DEFAULT_BADGES, DEFAULT_REACTIONS, type Premoderation, type PublicSite } from '../schemas';
import { newId, newSecret } from './ids';
import { writeTransaction } from './write-lock';
import { notFound } from './errors';

/** The site `id`: one prepared read by primary key (nearly every request makes one). */
export async function findSite(db: Db, id: string): Promise<Site | undefined> {
  const row = await readRow(db, 'select * from sites where id = ?', [id]);
  return row && decodedRow(sites, row);
}

/**
 * What nearly every request needs of a site: its content version (lib/response-cache.ts), its
 * origins (CORS), and its people version (lib/sessions.ts).
 */
export interface SiteStamp {
  version: number;
  peopleVersion: number;
  createdAt: string;
  origins: string[];
}

const stamps = new WeakMap<Request, Map<string, Promise<SiteStamp | null>>>();

/**
 * Stamps read in the current turn of the event loop, by database and site, forgotten when the
 * turn ends (db/client.ts atTurnEnd says why that keeps "a write is seen by the next read",
 * through this process or any other). Under load a turn handles many requests (about 30 per read
 * at 50 connections, measured), and the read was a fifth of a cached list's CPU time.
 */
const turnStamps = new WeakMap<Db, Map<string, Promise<SiteStamp | null>>>();

export function stampThisTurn(db: Db, siteId: string): Promise<SiteStamp | null> {
  let turn = turnStamps.get(db);
  if (!turn) {
    turnStamps.set(db, (turn = new Map()));
    atTurnEnd(() => turnStamps.delete(db));
  }
  let stamp = turn.get(siteId);
  if (!stamp) {
    stamp = readRow<{ version: number; people_version: number; created_at: string; origins: string }>(
      db,
      'select content_version as version, people_version, created_at, origins from sites where id = ?',
      [siteId],
    ).then((row) =>
      row
        ? { version: Number(row.version), peopleVersion: Number(row.people_version), createdAt: String(row.created_at), origins: JSON.parse(row.origins) as string[] }
        : null,
    );
    turn.set(siteId, stamp);
  }
  return stamp;
}

/**
 * The site's stamp as read once per request (`request`): one prepared read
 * by primary key, shared by the response cache and the CORS check, and by
 * the other requests of the same turn (stampThisTurn). Null for a site that
 * does not exist.
 */
export function siteStampOf(db: Db, request: Request, siteId: string): Promise<SiteStamp | null> {
  let read = stamps.get(request);
  if (!read) stamps.set(request, (read = new Map()));
  let stamp = read.get(siteId);
  if (!stamp) read.set(siteId, (stamp = stampThisTurn(db, siteId)));
  return stamp;
}

export async function siteOrNotFound(db: Db, id: string): Promise<Site> {
  const site = await findSite(db, id);
  if (!site) throw notFound(`site ${id}`);
  return site;
}

export async function secretsOf(db: Db, siteId: string): Promise<string[]> {
  const rows = await db.select({ secret: siteSecrets.secret }).from(siteSecrets).where(eq(siteSecrets.siteId, siteId));
  return rows.map((r) => r.secret);
}

export const publicSite = (site: Site): PublicSite => ({
  id: site.id,
  name: site.name,
  guestsAllowed: site.guestsAllowed,
  anonymousQuestionsAllowed: site.anonymousQuestionsAllowed,
  kudosBadges: site.kudosBadges,
  reactions: site.reactions,
});

export interface NewSite {
  id: string;
  name?: string;
  origins: string[];
  guestsAllowed?: boolean;
  anonymousQuestionsAllowed?: boolean;
  /** Default DEFAULT_BADGES. */
  kudosBadges?: string[];
  /** Default DEFAULT_REACTIONS. */
  reactions?: string[];
  /** Whose new content waits for a moderator's approval (default off). */
  premoderation?: Premoderation;
  /** Given to keep a known secret (DEMO_SITE_SECRET); generated otherwise. */
  secret?: string;
}

/** Creates a site with one signing secret and returns that secret. */
export async function createSite(db: Db, input: NewSite): Promise<{ site: Site; secret: string }> {
  const secret = input.secret ?? newSecret();
  return writeTransaction(db, async (tx) => {
    const [site] = await tx
      .insert(sites)
      .values({
        id: input.id,
        name: input.name ?? input.id,
        origins: input.origins,
        guestsAllowed: input.guestsAllowed ?? false,
        anonymousQuestionsAllowed: input.anonymousQuestionsAllowed ?? true,
        kudosBadges: input.kudosBadges ?? [...DEFAULT_BADGES],
        reactions: input.reactions ?? [...DEFAULT_REACTIONS],
        premoderation: input.premoderation ?? 'off',
      })
      .returning();
    await tx.insert(siteSecrets).values({ id: newId(), siteId: input.id, secret });
    return { site: site!, secret };
  });
}

/** Adds another signing secret to a site (rotation: both verify until the old one is removed). */
export async function addSiteSecret(db: Db, siteId: string, secret = newSecret()): Promise<string> {
  await writeTransaction(db, (tx) => tx.insert(siteSecrets).values({ id: newId(), siteId, secret }));
  return secret;
}

/** The shortest secret prefix that may name a secret to remove: too short, and a typo could match another one. */
export const MIN_SECRET_PREFIX = 6;

/** A site's secrets as an operator may see them: a prefix, never the whole secret. */
export async function secretPrefixesOf(db: Db, siteId: string): Promise<Array<{ prefix: string; createdAt: string }>> {
  const rows = await db.select().from(siteSecrets).where(eq(siteSecrets.siteId, siteId)).orderBy(siteSecrets.createdAt);
  return rows.map((r) => ({ prefix: r.secret.slice(0, 8), createdAt: r.createdAt }));
}

/**
 * Retires the one secret of `siteId` that starts with `prefix`, ending a
 * rotation. Refuses an ambiguous prefix and the site's last secret (which
 * would sign everyone out for good); the reason comes back as a string.
 */
export async function removeSiteSecret(db: Db, siteId: string, prefix: string): Promise<string | null> {
  if (prefix.length < MIN_SECRET_PREFIX) return `give at least ${MIN_SECRET_PREFIX} characters of the secret`;
  return writeTransaction(db, async (tx) => {
    const rows = await tx.select().from(siteSecrets).where(eq(siteSecrets.siteId, siteId));
    const matching = rows.filter((r) => r.secret.startsWith(prefix));
    if (matching.length === 0) return `no secret of site ${siteId} starts with ${prefix}`;
    if (matching.length > 1) return `${matching.length} secrets of site ${siteId} start with ${prefix}: give more characters`;
    if (rows.length === 1) return `that is the only secret of site ${siteId}: add its successor first (readyhand site secret add ${siteId})`;
    await tx.delete(siteSecrets).where(and(eq(siteSecrets.siteId, siteId), eq(siteSecrets.id, matching[0]!.id)));
    return null;
  });
}

/**
 * Whether `origin` is one of the site's allowed origins. An allowed origin
 * may give `*` as its port (`http://localhost:*`), matching any port or none.
 */
export function originAllowed(origin: string, allowed: string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  return allowed.some((pattern) => {
    const wildcard = /^(https?:\/\/[^/:]+):\*$/i.exec(pattern);
    if (wildcard) return `${url.protocol}//${url.hostname}`.toLowerCase() === wildcard[1]!.toLowerCase();
    return pattern.replace(/\/$/, '').toLowerCase() === origin.toLowerCase();
  });
}
