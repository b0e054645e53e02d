import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sites, siteSecrets, type Site } from '../db/schema/index';
import { DEFAULT_BADGES, DEFAULT_REACTIONS, type PublicSite } from '../schemas';
import { newId, newSecret } from './ids';
import { writeTransaction } from './write-lock';
import { notFound } from './errors';

export async function findSite(db: Db, id: string): Promise<Site | undefined> {
  const [site] = await db.select().from(sites).where(eq(sites.id, id));
  return site;
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
