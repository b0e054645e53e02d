import { and, eq, isNull, lt } from 'drizzle-orm';
import { sign, verify } from 'hono/jwt';
import type { Db } from '../db/client';
import { serverSecrets, sessions, users, type User } from '../db/schema/index';
import { newId, newSecret, nowIso } from './ids';
import { unauthorized } from './errors';
import type { Tx } from './write-lock';

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

/**
 * Issues a session token for `user` inside the caller's transaction and
 * records it (its `sid`) so that it can be revoked. Expired session rows are
 * deleted on the way: nothing else would ever read them again. `signingKey`
 * is `sessionSecret(db)`, read before the transaction (which holds the write lock).
 */
export async function issueSessionToken(tx: Tx, signingKey: string, user: User): Promise<{ sessionToken: string; expiresAt: string }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + SESSION_TTL_SECONDS;
  const sid = newId();
  const expiresAt = new Date(exp * 1000).toISOString();
  await tx.delete(sessions).where(lt(sessions.expiresAt, nowIso()));
  await tx.insert(sessions).values({ id: sid, userId: user.id, createdAt: nowIso(), expiresAt });
  const sessionToken = await sign({ sub: user.id, site: user.siteId, sid, kind: SESSION_KIND, iat, exp }, signingKey, 'HS256');
  return { sessionToken, expiresAt };
}

export interface SessionOf {
  user: User;
  /** The session's id (`sid`), to revoke it. */
  sessionId: string;
}

const invalidSession = () => unauthorized('the session token is invalid or expired');

/**
 * The user a session token stands for; 401 for anything but a valid,
 * unexpired, unrevoked session of an existing user. One lookup by primary
 * key, joined with the user, on every request that carries a session.
 */
export async function userOfSession(db: Db, token: string): Promise<SessionOf> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, await sessionSecret(db), 'HS256');
  } catch {
    throw invalidSession();
  }
  if (payload.kind !== SESSION_KIND || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') {
    throw invalidSession();
  }
  const [row] = await db
    .select({ user: users, revokedAt: sessions.revokedAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, payload.sid));
  if (!row || row.user.id !== payload.sub || row.user.siteId !== payload.site) throw invalidSession();
  if (row.revokedAt !== null) {
    throw unauthorized('the session was signed out or revoked: sign in again', [
      { field: 'Authorization', rule: 'revoked', message: 'the session was signed out or revoked' },
    ]);
  }
  return { user: row.user, sessionId: payload.sid };
}

/** Revokes one session (signing out). */
export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: nowIso() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every session of `userId` (blocking them). */
export async function revokeSessionsOf(tx: Tx, userId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: nowIso() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
