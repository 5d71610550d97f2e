// Lists, members and invitations as the API takes and gives them.
import { z } from 'zod';
import { emailAddress } from '../auth/auth.schemas.ts';
import { listRoles } from '../db/entities/list.entity.ts';
import { person, uuid } from '../shared/schemas.ts';

export const listRole = z.enum(listRoles);
/** The roles an invitation can give (ownership is transferred, never given by invitation). */
export const invitedRole = z.enum(['editor', 'viewer']);

export type { Person } from '../shared/schemas.ts';

export const listDto = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.string().nullable(),
  personal: z.boolean(),
  role: listRole.describe("The caller's role"),
  owner: person,
  member_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ListDto = z.infer<typeof listDto>;

export const memberDto = z.object({
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  role: listRole,
  joined_at: z.string(),
});
export type MemberDto = z.infer<typeof memberDto>;

export const invitationDto = z.object({ id: z.uuid(), email: z.string(), role: invitedRole, created_at: z.string() });
export type InvitationDto = z.infer<typeof invitationDto>;

/** An invitation as its invitee sees it. */
export const receivedInvitationDto = z.object({
  id: z.uuid(),
  list: z.object({ id: z.uuid(), name: z.string() }),
  invited_by: person,
  role: invitedRole,
  created_at: z.string(),
});
export type ReceivedInvitationDto = z.infer<typeof receivedInvitationDto>;

const listName = z.string({ error: 'is required and must be a string' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const listColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3366ff')
  .transform((color) => color.toLowerCase())
  .nullable();

export const createListBody = z.object({ name: listName, color: listColor.optional() });
export const updateListBody = z.object({ name: listName.optional(), color: listColor.optional() });
export const listIdParams = z.object({ id: uuid });
export const memberParams = z.object({ id: uuid, userId: uuid });
export const invitationParams = z.object({ id: uuid, invitationId: uuid });
export const invitationIdParams = z.object({ id: uuid });
export const inviteBody = z.object({ email: emailAddress, role: invitedRole });
export const memberRoleBody = z.object({ role: listRole });
