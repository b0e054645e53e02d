import { z } from '@hono/zod-openapi';
import { lt } from 'drizzle-orm';
import { verify } from 'hono/jwt';
import { usedJtis } from '../db/schema/index';
import { Role, TopicKey } from '../schemas';
import { unauthorized } from './errors';
import { detailsOf } from './validation';
import type { Tx } from './write-lock';

export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Host clocks drift; an `iat` this far in the future is still accepted. */
const CLOCK_SKEW_SECONDS = 60;

const HttpUrl = z.string().max(2048).regex(/^https?:\/\//i, 'picture must be an http(s) URL');

/** Claims of the identity token a host server signs for its learner. */
const HostClaims = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100),
  site: z.string().min(1).max(63),
  iat: z.number().int(),
  exp: z.number().int(),
  picture: HttpUrl.nullish(),
  email: z.string().max(320).nullish(),
  // Unknown roles from the host are ignored rather than refused.
  roles: z
    .array(z.string().max(50))
    .max(20)
    .optional()
    .transform((roles) => (roles ?? []).filter((r): r is Role => Role.safeParse(r).success)),
  expert_topics: z.array(TopicKey).max(200).optional().default([]),
  jti: z.string().max(200).optional(),
});
export type HostClaims = z.infer<typeof HostClaims>;

/**
 * Verifies a host-signed identity token against every current secret of the
 * site (several during a rotation). Only HS256 is accepted; any failure is 401.
 */
export async function verifyHostToken(token: string, siteId: string, secrets: string[]): Promise<HostClaims> {
  let payload: unknown = undefined;
  for (const secret of secrets) {
    try {
      // exp and iat are checked below, once the signature holds, so that the error can say which.
      payload = await verify(token, secret, { alg: 'HS256', exp: false, iat: false });
      break;
    } catch {
      // try the next secret
    }
  }
  if (payload === undefined) throw unauthorized('the identity token is not validly signed for this site');

  const parsed = HostClaims.safeParse(payload);
  if (!parsed.success) {
    const details = parsed.error.issues
      .flatMap((issue) => detailsOf(issue, payload))
      .map((d) => ({ ...d, message: `claim ${d.field} is ${d.rule === 'required' ? 'missing' : 'invalid'}` }));
    throw unauthorized(details[0]!.message, details);
  }
  const claims = parsed.data;
  const now = Math.floor(Date.now() / 1000);
  if (claims.site !== siteId) throw unauthorized('the identity token was issued for another site', [{ field: 'site', rule: 'mismatch', message: 'claim site does not name this site' }]);
  if (claims.exp <= now) throw unauthorized('the identity token has expired', [{ field: 'exp', rule: 'expired', message: 'claim exp is in the past' }]);
  if (claims.iat > now + CLOCK_SKEW_SECONDS) throw unauthorized('the identity token was issued in the future', [{ field: 'iat', rule: 'future', message: 'claim iat is in the future' }]);
  if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw unauthorized('the identity token lives longer than 24 hours', [{ field: 'exp', rule: 'max_lifetime', message: 'exp must be at most 24 hours after iat' }]);
  }
  return claims;
}

/**
 * Marks the token's `jti` as used, inside the transaction that creates the
 * session: a token carrying a jti is exchanged once within its lifetime, and
 * a replay is 401. The jtis of expired tokens are pruned on the way (an
 * expired token is refused before its jti matters). Tokens without a jti are
 * not tracked: the host chose not to ask for single use.
 */
export async function claimJti(tx: Tx, siteId: string, claims: HostClaims): Promise<void> {
  if (claims.jti === undefined) return;
  await tx.delete(usedJtis).where(lt(usedJtis.exp, Math.floor(Date.now() / 1000)));
  const claimed = await tx
    .insert(usedJtis)
    .values({ siteId, jti: claims.jti, exp: claims.exp })
    .onConflictDoNothing()
    .returning({ jti: usedJtis.jti });
  if (claimed.length === 0) {
    throw unauthorized('the identity token was already used: fetch a fresh one', [
      { field: 'jti', rule: 'replayed', message: 'claim jti was already exchanged for a session' },
    ]);
  }
}
