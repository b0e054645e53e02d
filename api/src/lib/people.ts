import { and, asc, eq, gte, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type User } from '../db/schema/index';
import type { PublicUser } from '../schemas';
import { publicUser } from './questions';

/**
 * A name as people search compares it: lower case, accents dropped, white
 * space collapsed, so that "lea" finds "Léa Martin". Stored as `users.name_key`
 * and applied to what is typed, so a prefix of one is a prefix of the other.
 */
export const nameKey = (name: string): string =>
  name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** Sorts after every string that starts with a given prefix (the greatest code point). */
const AFTER_PREFIX = '\u{10FFFF}';

/**
 * The query for people of `siteId` whose name starts with `prefix` (a
 * `nameKey`), alphabetically, without `exceptUserId` (nobody thanks
 * themselves). A range on the stored key rather than LIKE, which SQLite runs
 * through an index only when folding ASCII case.
 */
export const peopleByPrefixQuery = (db: Db, siteId: string, prefix: string, limit: number, exceptUserId?: string) =>
  db
    .select({ id: users.id, name: users.name, picture: users.picture })
    .from(users)
    .where(
      and(
        eq(users.siteId, siteId),
        gte(users.nameKey, prefix),
        lt(users.nameKey, prefix + AFTER_PREFIX),
        exceptUserId ? ne(users.id, exceptUserId) : undefined,
      ),
    )
    .orderBy(asc(users.nameKey), asc(users.id))
    .limit(limit);

/** People of `siteId` whose name starts with what was `typed`, case and accents aside. */
export async function peopleByNamePrefix(db: Db, siteId: string, typed: string, limit: number, exceptUserId?: string): Promise<PublicUser[]> {
  const prefix = nameKey(typed);
  if (!prefix) return [];
  return (await peopleByPrefixQuery(db, siteId, prefix, limit, exceptUserId)).map(publicUser);
}

/** The profile columns that follow a user's name. */
export const withNameKey = <T extends Pick<User, 'name'>>(profile: T): T & { nameKey: string } => ({ ...profile, nameKey: nameKey(profile.name) });
