import { sign } from 'hono/jwt';
import type { Session } from '@readyhand/api/schemas';
import { env } from './helpers.js';

/** The two token sites of the test server: `intranet` (no guests) and `held` (guests; every new post waits for a moderator). */
export type TokenSite = 'intranet' | 'held';

const secrets = env as unknown as Record<`${TokenSite}Secret`, string>;

/** An identity token as the site's own server would mint it (no `jti`, so it may be exchanged more than once). */
export function hostToken(site: TokenSite, sub: string, roles: string[] = []) {
  const now = Math.floor(Date.now() / 1000);
  return sign({ site, sub, name: sub, roles, iat: now, exp: now + 3600 }, secrets[`${site}Secret`], 'HS256');
}

/** Calls the real API as `token`'s session (or anonymously) and returns the JSON; throws on an error status. */
export async function api<T = any>(site: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(`${env.api}${path}${path.includes('?') ? '&' : '?'}site=${site}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A session of `sub` on `site`, signed in with a host token. */
export async function sessionOf(site: TokenSite, sub: string, roles: string[] = []): Promise<Session> {
  return api(site, 'POST', '/v1/session', undefined, { site, token: await hostToken(site, sub, roles) });
}
