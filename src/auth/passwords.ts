// Password hashing: argon2id with the library's defaults (about 30 ms a hash on a small server).
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string) => hash(password);

export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);

// Verified against when the email is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = () => (decoyHash ??= hashPassword('not a real password, only a timing decoy'));
