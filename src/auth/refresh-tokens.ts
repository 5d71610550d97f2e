// Opaque refresh tokens: 256 random bits shown once, stored only as a SHA-256 digest.
import { createHash, randomBytes } from 'node:crypto';

export const newRefreshToken = () => randomBytes(32).toString('base64url');

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');
