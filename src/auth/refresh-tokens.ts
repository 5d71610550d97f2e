// Opaque tokens (refresh and personal): 256 random bits shown once, stored only as a SHA-256 digest.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** What is stored of a refresh token or a personal access token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The token that replaces `token` at its rotation. Derived (keyed by the server secret) rather than
 * random, so a second refresh within the grace period answers the same new token without the
 * server ever storing one in the clear; only the holder of `token` can derive it.
 */
export const successorOf = (token: string, secret: string) => createHmac('sha256', secret).update(`refresh:${token}`).digest('base64url');
