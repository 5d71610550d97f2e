// Rate limits through @fastify/rate-limit; RATE_LIMITS=off registers none of them.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

export const authRateLimit = { max: 10, timeWindow: '1 minute' } as const;

export async function registerRateLimits(app: FastifyInstance, enabled: boolean): Promise<void> {
  if (!enabled) return;
  await app.register(rateLimit, {
    global: true,
    max: 600,
    timeWindow: '1 minute',
    // Authenticated routes are limited per user (decoded without verifying: the guard verifies), the rest per IP.
    keyGenerator: (request) => {
      const header = request.headers.authorization;
      const sub = header?.startsWith('Bearer ') ? (app.jwt.decode<{ sub?: string }>(header.slice(7)) ?? {}).sub : undefined;
      return typeof sub === 'string' ? `user:${sub}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
  });
}
