import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidKey } from './columns.ts';
import { User } from './user.entity.ts';

export const listRoles = ['owner', 'editor', 'viewer'] as const;
export type ListRole = (typeof listRoles)[number];

/** A task list: every user's personal one ("My tasks"), and lists shared with members. */
export const List = defineEntity({
  name: 'List',
  tableName: 'lists',
  properties: {
    id: uuidKey(),
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    name: p.string().length(100).check('length(btrim(name)) > 0'),
    color: p.string().length(7).nullable(),
    // The user's own list: made at signup, never shared, renamed away or deleted.
    personal: p.boolean().default(false),
    // Last task number handed out in this list; incremented under a row lock so numbers are never reused.
    taskSeq: p.integer().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [
    { name: 'lists_owner_id_index', properties: ['owner'] },
    { name: 'lists_owner_personal_unique', expression: 'create unique index "lists_owner_personal_unique" on "lists" ("owner_id") where personal' },
  ],
});
export type List = InferEntity<typeof List>;

/** Who belongs to a list, and as what (the owner too, as `owner`). */
export const ListMember = defineEntity({
  name: 'ListMember',
  tableName: 'list_members',
  properties: {
    list: () => p.manyToOne(List).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    role: p.enum(listRoles),
    joinedAt: createdAt(),
  },
  indexes: [{ name: 'list_members_user_id_index', properties: ['user'] }],
});
export type ListMember = InferEntity<typeof ListMember>;

/** An invitation to a list, by email: it waits until that email's user (existing or to come) answers it. */
export const ListInvitation = defineEntity({
  name: 'ListInvitation',
  tableName: 'list_invitations',
  properties: {
    id: uuidKey(),
    list: () => p.manyToOne(List).deleteRule('cascade'),
    email: p.string().length(255),
    role: p.enum(['editor', 'viewer'] as const),
    invitedBy: () => p.manyToOne(User).deleteRule('cascade'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'list_invitations_list_id_email_unique', properties: ['list', 'email'] }],
  indexes: [{ name: 'list_invitations_email_index', properties: ['email'] }],
});
export type ListInvitation = InferEntity<typeof ListInvitation>;
