import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { User } from '../db/schema/index';
import type { AppEnv } from '../env';
import { unauthorized } from './errors';
import { userOfSession } from './sessions';

/** Reads the session from `Authorization: Bearer`; reads work without one, a bad one is 401. */
export const sessionReader = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  let viewer: User | null = null;
  let sessionId: string | null = null;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Authorization must be "Bearer <session token>"');
    ({ user: viewer, sessionId } = await userOfSession(c.get('db'), match[1]!));
  }
  c.set('viewer', viewer);
  c.set('sessionId', sessionId);
  await next();
});

/** Writes need a session: 401 before anything else is looked at. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('viewer')) throw unauthorized('sign in first: this needs a session token');
  await next();
});

export function signedIn(c: Context<AppEnv>): User {
  const viewer = c.get('viewer');
  if (!viewer) throw unauthorized('sign in first: this needs a session token');
  return viewer;
}
