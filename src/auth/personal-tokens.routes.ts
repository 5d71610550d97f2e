// /api/tokens: create (the secret is shown once), list and revoke personal access tokens.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireLogin } from '../http/auth-guard.ts';
import type { AuthLimits } from '../http/rate-limits.ts';
import { errorResponse, uuid } from '../shared/schemas.ts';
import type { AccessTokens } from './access-tokens.ts';
import { createPersonalTokenBody, personalTokenDto } from './auth.schemas.ts';
import type { AuthService } from './auth.service.ts';
import type { PersonalTokensService } from './personal-tokens.service.ts';

export interface PersonalTokensRoutesOptions {
  personalTokens: PersonalTokensService;
  tokens: AccessTokens;
  auth: AuthService;
  limits: AuthLimits;
}

export const personalTokensRoutes: FastifyPluginAsyncZod<PersonalTokensRoutesOptions> = async (app, { personalTokens, tokens, auth, limits }) => {
  app.addHook('onRequest', requireLogin(tokens));
  const common = { tags: ['tokens'], security: [{ bearer: [] }] };
  const errors = { 401: errorResponse, 403: errorResponse };

  app.post(
    '/tokens',
    {
      schema: {
        ...common,
        summary: 'Create a personal access token (its secret is in this answer only); asks for your password',
        body: createPersonalTokenBody,
        response: { 201: z.object({ token: personalTokenDto, secret: z.string().startsWith('tsk_') }), 400: errorResponse, 429: errorResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      // Password guesses through a stolen access token count as logins do.
      await limits.reauthenticate(request.userId);
      await auth.confirmPassword(request.userId, password);
      return reply.status(201).send(await personalTokens.create(request.userId, request.sessionId, input));
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        ...common,
        summary: 'Your personal access tokens (never their secrets)',
        response: { 200: z.object({ tokens: z.array(personalTokenDto) }), ...errors },
      },
    },
    async (request) => ({ tokens: await personalTokens.list(request.userId) }),
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        ...common,
        summary: 'Revoke a personal access token, everywhere at once',
        params: z.object({ id: uuid }),
        response: { 204: z.null(), 400: errorResponse, 404: errorResponse, ...errors },
      },
    },
    async (request, reply) => {
      await personalTokens.revoke(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
