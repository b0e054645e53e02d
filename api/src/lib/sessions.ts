import { and, eq, isNull, lt } from 'drizzle-orm';
import { sign, verify } from 'hono/jwt';
import { decodedRow, readRow, type Db } from '../db/client';
import { serverSecrets, sessions, users, type User } from '../db/schema/index';
import { newId, newSecret, nowIso } from './ids';
import { unauthorized } from './errors';
import { stampThisTurn } from './sites';
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

/** What a verified session token says: its signature is not checked again while it is cached. */
interface SessionClaims {
  sub: string;
  sid: string;
  site: unknown;
  exp: number;
}

/** Session tokens kept verified per database, least recently used dropped first. */
const VERIFIED_TOKENS_MAX = 10_000;
const verifiedTokens = new WeakMap<Db, Map<string, SessionClaims>>();

/** The claims of `token` if it is a session token signed with the database's key and unexpired; 401 otherwise. */
async function verifiedClaims(db: Db, token: string): Promise<SessionClaims> {
  let verified = verifiedTokens.get(db);
  if (!verified) verifiedTokens.set(db, (verified = new Map()));
  const cached = verified.get(token);
  if (cached) {
    verified.delete(token);
    if (cached.exp > Date.now() / 1000) {
      verified.set(token, cached);
      return cached;
    }
    throw invalidSession();
  }
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, await sessionSecret(db), 'HS256');
  } catch {
    throw invalidSession();
  }
  if (payload.kind !== SESSION_KIND || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') {
    throw invalidSession();
  }
  const claims = { sub: payload.sub, sid: payload.sid, site: payload.site, exp: payload.exp };
  verified.set(token, claims);
  if (verified.size > VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
  return claims;
}

/** Sessions read, per database, by id: the user, and the site's people version read before the row. */
const SESSIONS_KEPT_MAX = 10_000;
const keptSessions = new WeakMap<Db, Map<string, { user: User; peopleVersion: number; siteCreatedAt: string }>>();

/**
 * The user a session token stands for; 401 for anything but a valid,
 * unexpired, unrevoked session of an existing user. The token's signature is
 * verified once per process (then cached with its expiry). The session row,
 * joined with its user, is read by primary key, and kept with the site's
 * people version, which the site's stamp brings once per turn of the event
 * loop (lib/sites.ts). While that version stays the same the row is not read
 * again: every change to a session or a person raises it in the same
 * transaction (migration 0011), so a sign-out, a revocation or a block
 * through any process holds at the next request, as when the row was read
 * on every request. (That read, after any commit, paid for fetching its
 * pages again: about a tenth of a vote's event loop in a profile.)
 *
 * The version is read before the row: a change committed between the two
 * raises the version past the one kept, and the row is read again. Sessions
 * and users are never written with `INSERT OR REPLACE`: its delete fires no
 * trigger, and the version would stay.
 */
export async function userOfSession(db: Db, token: string): Promise<SessionOf> {
  const claims = await verifiedClaims(db, token);
  const stamp = typeof claims.site === 'string' ? await stampThisTurn(db, claims.site) : null;
  let kept = keptSessions.get(db);
  if (!kept) keptSessions.set(db, (kept = new Map()));
  const known = kept.get(claims.sid);
  if (known) {
    kept.delete(claims.sid);
    // (The site's creation too: a site made again under the same id starts its version again.)
    if (stamp && known.peopleVersion === stamp.peopleVersion && known.siteCreatedAt === stamp.createdAt) {
      kept.set(claims.sid, known);
      return { user: known.user, sessionId: claims.sid };
    }
  }
  const row = await readRow(
    db,
    'select sessions.revoked_at as session_revoked_at, users.* from sessions join users on users.id = sessions.user_id where sessions.id = ?',
    [claims.sid],
  );
  if (!row) throw invalidSession();
  const user = decodedRow(users, row);
  if (user.id !== claims.sub || user.siteId !== claims.site) throw invalidSession();
  if (row.session_revoked_at !== null) {
    throw unauthorized('the session was signed out or revoked: sign in again', [
      { field: 'Authorization', rule: 'revoked', message: 'the session was signed out or revoked' },
    ]);
  }
  // Shared by the requests of this session from now on: frozen, so that none can change it for the others.
  Object.freeze(user.roles);
  Object.freeze(user.expertTopics);
  Object.freeze(user);
  if (stamp) {
    kept.set(claims.sid, { user, peopleVersion: stamp.peopleVersion, siteCreatedAt: stamp.createdAt });
    if (kept.size > SESSIONS_KEPT_MAX) kept.delete(kept.keys().next().value!);
  }
  return { user, sessionId: claims.sid };
}

/** Revokes one session (signing out). */
export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: nowIso() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every session of `userId` (blocking them). */
export async function revokeSessionsOf(tx: Tx, userId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: nowIso() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
