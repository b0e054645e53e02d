import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { users, type User } from '../db/schema/index';
import type { AppEnv } from '../env';
import { requireSession, signedIn } from '../lib/auth';
import { forbidden } from '../lib/errors';
import { claimJti, verifyHostToken } from '../lib/identity';
import { newId, nowIso } from '../lib/ids';
import { bearerAuth, errorResponses, json, jsonBody } from '../lib/openapi';
import { withNameKey } from '../lib/people';
import { me } from '../lib/questions';
import { issueSessionToken, revokeSession, sessionSecret } from '../lib/sessions';
import { secretsOf, siteOrNotFound } from '../lib/sites';
import { validationHook } from '../lib/validation';
import { writeTransaction } from '../lib/write-lock';
import { Me, Session, SessionRequest } from '../schemas';

export const sessionRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'post',
      path: '/session',
      tags: ['session'],
      summary: "Exchange the host's signed identity token (or a guest name) for a session token",
      request: { body: jsonBody(SessionRequest) },
      responses: { 200: json(Session, 'A session of two hours'), ...errorResponses(400, 401, 403, 404, 413, 415) },
    }),
    async (c) => {
      const db = c.get('db');
      const request = c.req.valid('json');
      const site = await siteOrNotFound(db, request.site);
      const at = nowIso();
      const signingKey = await sessionSecret(db);
      let user: User;
      let issued: { sessionToken: string; expiresAt: string };
      if ('token' in request) {
        const claims = await verifyHostToken(request.token, site.id, await secretsOf(db, site.id));
        const profile = withNameKey({
          name: claims.name,
          picture: claims.picture ?? null,
          email: claims.email ?? null,
          roles: claims.roles,
          expertTopics: claims.expert_topics,
          updatedAt: at,
        });
        // The token is the source of truth: each session refreshes the profile.
        ({ user, issued } = await writeTransaction(c.var, async (tx) => {
          await claimJti(tx, site.id, claims);
          const [user] = (await tx
            .insert(users)
            .values({ id: newId(), siteId: site.id, subject: claims.sub, guest: false, createdAt: at, ...profile })
            .onConflictDoUpdate({ target: [users.siteId, users.subject], set: profile })
            .returning()) as [User];
          return { user, issued: await issueSessionToken(tx, signingKey, user) };
        }));
      } else {
        if (!site.guestsAllowed) {
          throw forbidden(`site ${site.id} does not allow guests: sign in through the host page`, [
            { field: 'guestName', rule: 'guests_not_allowed', message: 'this site does not allow guests' },
          ]);
        }
        ({ user, issued } = await writeTransaction(c.var, async (tx) => {
          const [user] = (await tx
            .insert(users)
            .values({
              id: newId(),
              siteId: site.id,
              subject: `guest:${newId()}`,
              ...withNameKey({ name: request.guestName }),
              guest: true,
              roles: [],
              expertTopics: [],
              createdAt: at,
              updatedAt: at,
            })
            .returning()) as [User];
          return { user, issued: await issueSessionToken(tx, signingKey, user) };
        }));
      }
      return c.json({ ...issued, user: me(user) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/session',
      tags: ['session'],
      summary: 'Sign out: the session token is refused from now on, by every API process',
      security: bearerAuth,
      middleware: [requireSession] as const,
      responses: { 204: { description: 'Signed out' }, ...errorResponses(401) },
    }),
    async (c) => {
      const sessionId = c.get('sessionId')!;
      await writeTransaction(c.var, (tx) => revokeSession(tx, sessionId));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['session'],
      summary: "The session's user, roles and expert topics",
      security: bearerAuth,
      middleware: [requireSession] as const,
      responses: { 200: json(Me, 'The signed-in user'), ...errorResponses(401) },
    }),
    (c) => c.json(me(signedIn(c)), 200),
  );

