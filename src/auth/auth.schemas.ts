import { z } from 'zod';
import { canonicalTimeZone, isTimeZone } from '../shared/dates.ts';

export const userDto = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  timezone: z.string(),
  confirm_destructive: z.boolean().describe('The assistant asks before deleting a task or clearing a due date or description'),
  created_at: z.string(),
});
export type UserDto = z.infer<typeof userDto>;

export const emailAddress = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be a valid email address' }).max(255))
  // The document shows what is enforced once the email is trimmed and lower-cased.
  .meta({ format: 'email', maxLength: 255 });
const password = z.string({ error: 'is required' }).min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

const name = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
const timezone = z
  .string()
  .trim()
  .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin or America/Los_Angeles' })
  .transform(canonicalTimeZone)
  .meta({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });

export const signupBody = z.object({
  email: emailAddress,
  password,
  name: name.optional(),
  timezone: timezone.optional(),
});
export type SignupBody = z.infer<typeof signupBody>;

export const loginBody = z.object({
  email: emailAddress,
  password: z.string({ error: 'is required' }).min(1, 'is required').max(128, 'must be at most 128 characters'),
});
export type LoginBody = z.infer<typeof loginBody>;

export const profilePatch = z.object({ name: name.nullable().optional(), timezone: timezone.optional(), confirm_destructive: z.boolean().optional() });
export type ProfilePatch = z.infer<typeof profilePatch>;

export const refreshBody = z.object({ refreshToken: z.string({ error: 'is required' }).min(1).max(200) });

export const tokenPair = z.object({ accessToken: z.string(), refreshToken: z.string() });
export const session = tokenPair.extend({ user: userDto });
export type Session = z.infer<typeof session>;

export const personalTokenDto = z.object({
  id: z.uuid(),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});
export type PersonalTokenDto = z.infer<typeof personalTokenDto>;

export const createPersonalTokenBody = z.object({
  password: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .max(128, 'must be at most 128 characters')
    .describe('Your password: a token lives long, so minting one asks for it again'),
  name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  expires_in_days: z.number().int().min(1).max(365).optional(),
});
