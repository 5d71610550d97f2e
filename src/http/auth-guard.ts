// The JWT plugin, and the guard every protected route runs first.
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessTokens } from '../auth/access-tokens.ts';
import { AppError } from '../shared/errors.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; sid: string; iat?: number };
    user: { sub: string; sid: string };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
    /** The login session of the request's token (set by requireLogin). */
    sessionId: string;
  }
}

export async function registerJwt(app: FastifyInstance, secret: string, accessTokenTtlMs: number): Promise<void> {
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: `${Math.max(1, Math.round(accessTokenTtlMs / 1000))}s` },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('userId', '');
  app.decorateRequest('sessionId', '');
}

/** onRequest hook for a scope whose routes all need a user (an access token or a personal access token). */
export function requireUser(tokens: AccessTokens) {
  return async (request: FastifyRequest) => {
    request.userId = (await tokens.authenticate(AccessTokens.fromHeader(request.headers.authorization), request.ip)).userId;
  };
}

/** onRequest hook for routes that need a login's access token (managing personal tokens). */
export function requireLogin(tokens: AccessTokens) {
  return async (request: FastifyRequest) => {
    const claims = await tokens.authenticate(AccessTokens.fromHeader(request.headers.authorization), request.ip);
    if (claims.kind !== 'login') throw new AppError('FORBIDDEN', 'Personal access tokens cannot manage tokens; use a login');
    request.userId = claims.userId;
    request.sessionId = claims.sessionId;
  };
}
