// Access tokens: HS256 JWTs from @fastify/jwt, checked on every protected route.
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string };
    user: { sub: string };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
  }
}

export async function registerJwt(app: FastifyInstance, secret: string, accessTokenTtlMs: number): Promise<void> {
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: `${Math.max(1, Math.round(accessTokenTtlMs / 1000))}s` },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('userId', '');
}

export const unauthorized = () => new AppError('UNAUTHORIZED', 'A valid access token is required');

/** Verifies an access token; returns its user id and expiry (epoch ms), or throws UNAUTHORIZED. */
export function verifyAccessToken(app: FastifyInstance, token: unknown): { userId: string; expiresAt: number } {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw unauthorized();
  try {
    const payload = app.jwt.verify<{ sub?: unknown; exp?: unknown }>(token);
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') throw unauthorized();
    return { userId: payload.sub, expiresAt: payload.exp * 1000 };
  } catch {
    throw unauthorized();
  }
}

/** onRequest hook for a scope whose routes all need a user. */
export function requireUser(app: FastifyInstance) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    request.userId = verifyAccessToken(app, token).userId;
  };
}
