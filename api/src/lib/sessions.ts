import { eq } from 'drizzle-orm';
import { sign, verify } from 'hono/jwt';
import type { Db } from '../db/client';
import { serverSecrets, users, type User } from '../db/schema/index';
import { newSecret } from './ids';
import { unauthorized } from './errors';

export const SESSION_TTL_SECONDS = 2 * 60 * 60;
const SESSION_KIND = 'readyhand-session';

const secretCache = new WeakMap<Db, Promise<string>>();

/**
 * The key session tokens are signed with: created by the first process to
 * need it and read by every other, so that all processes on one database agree.
 * It is never a site's secret, so a host's identity token cannot pass as a session.
 */
export function sessionSecret(db: Db): Promise<string> {
  let secret = secretCache.get(db);
  if (!secret) {
    secret = (async () => {
      await db.insert(serverSecrets).values({ name: 'session', secret: newSecret() }).onConflictDoNothing();
      const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, 'session'));
      return row!.secret;
    })();
    secret.catch(() => secretCache.delete(db));
    secretCache.set(db, secret);
  }
  return secret;
}

export async function issueSessionToken(db: Db, user: User): Promise<{ sessionToken: string; expiresAt: string }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + SESSION_TTL_SECONDS;
  const sessionToken = await sign({ sub: user.id, site: user.siteId, kind: SESSION_KIND, iat, exp }, await sessionSecret(db), 'HS256');
  return { sessionToken, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The user a session token stands for; 401 for anything but a valid, unexpired session of an existing user. */
export async function userOfSession(db: Db, token: string): Promise<User> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, await sessionSecret(db), 'HS256');
  } catch {
    throw unauthorized('the session token is invalid or expired');
  }
  if (payload.kind !== SESSION_KIND || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
    throw unauthorized('the session token is invalid or expired');
  }
  const [user] = await db.select().from(users).where(eq(users.id, payload.sub));
  if (!user || user.siteId !== payload.site) throw unauthorized('the session token is invalid or expired');
  return user;
}
