// /api/tokens: create (the secret is shown once), list and revoke personal access tokens.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireLogin } from '../http/auth-guard.ts';
import { errorResponse, uuid } from '../shared/schemas.ts';
import type { AccessTokens } from './access-tokens.ts';
import { createPersonalTokenBody, personalTokenDto } from './auth.schemas.ts';
import type { PersonalTokensService } from './personal-tokens.service.ts';

export const personalTokensRoutes: FastifyPluginAsyncZod<{ personalTokens: PersonalTokensService; tokens: AccessTokens }> = async (
  app,
  { personalTokens, tokens },
) => {
  app.addHook('onRequest', requireLogin(tokens));
  const common = { tags: ['tokens'], security: [{ bearer: [] }] };
  const errors = { 401: errorResponse, 403: errorResponse };

  app.post(
    '/tokens',
    {
      schema: {
        ...common,
        summary: 'Create a personal access token (its secret is in this answer only)',
        body: createPersonalTokenBody,
        response: { 201: z.object({ token: personalTokenDto, secret: z.string().startsWith('tsk_') }), 400: errorResponse, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await personalTokens.create(request.userId, request.body)),
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
