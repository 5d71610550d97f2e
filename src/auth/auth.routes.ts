import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../http/auth-guard.ts';
import type { AuthLimits } from '../http/rate-limits.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { AccessTokens } from './access-tokens.ts';
import { loginBody, profilePatch, refreshBody, session, signupBody, tokenPair, userDto } from './auth.schemas.ts';
import type { AuthService } from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; tokens: AccessTokens; limits: AuthLimits }> = async (app, { auth, tokens, limits }) => {
  const tags = ['auth'];

  app.post(
    '/signup',
    {
      preHandler: (request) => limits.signup(request.ip),
      schema: { tags, summary: 'Create an account', body: signupBody, response: { 201: session, 400: errorResponse, 409: errorResponse, 429: errorResponse } },
    },
    async (request, reply) => reply.status(201).send(await auth.signup(request.body)),
  );

  app.post(
    '/login',
    {
      preHandler: (request) => limits.login(request.ip, request.body.email),
      schema: { tags, summary: 'Log in', body: loginBody, response: { 200: session, 400: errorResponse, 401: errorResponse, 429: errorResponse } },
    },
    (request) => auth.login(request.body),
  );

  app.post(
    '/refresh',
    {
      preHandler: (request) => limits.refresh(request.ip),
      schema: {
        tags,
        summary: 'Rotate a refresh token',
        body: refreshBody,
        response: { 200: tokenPair, 400: errorResponse, 401: errorResponse, 429: errorResponse },
      },
    },
    (request) => auth.refresh(request.body.refreshToken),
  );

  // The refresh token itself is the credential here, so a client whose access token expired can still log out.
  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'Revoke a refresh token and every token rotated from the same login',
        body: refreshBody,
        response: { 204: z.null(), 400: errorResponse },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      onRequest: requireUser(tokens),
      schema: { tags, summary: 'The current user', security: [{ bearer: [] }], response: { 200: z.object({ user: userDto }), 401: errorResponse } },
    },
    async (request) => ({ user: await auth.me(request.userId) }),
  );

  app.patch(
    '/me',
    {
      onRequest: requireUser(tokens),
      schema: {
        tags,
        summary: "Change the current user's name, time zone or approval setting",
        description: 'Calendar due dates keep their day when the time zone changes.',
        security: [{ bearer: [] }],
        body: profilePatch,
        response: { 200: z.object({ user: userDto }), 400: errorResponse, 401: errorResponse, 429: errorResponse },
      },
    },
    async (request) => ({ user: await auth.updateProfile(request.userId, request.body) }),
  );
};
