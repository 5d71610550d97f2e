// Lists, their members and invitations: who may do what (a non-member never learns a list exists),
// and every change announced to the people it concerns.

import type { ListRole } from '../db/entities/index.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { toIso } from '../shared/timestamps.ts';
import type { InvitationRow, ListRow, ListsRepository, MemberRow } from './lists.repository.ts';
import type { InvitationDto, ListDto, MemberDto, Person, ReceivedInvitationDto } from './lists.schemas.ts';

/** Where list changes are announced (the realtime gateway turns them into room moves and socket events). */
export interface ListEventSink {
  /** A list as `userId` sees it now (made, changed, or joined). */
  listUpdated(userId: string, list: ListDto, created: boolean): void;
  listDeleted(userIds: string[], listId: string): void;
  /** Someone joined or left a list: its members hear it; the one who left leaves its room (on every instance) and is told. */
  memberAdded(listId: string, user: Person): void;
  memberRemoved(listId: string, user: Person): void;
  invitationNew(userId: string, invitation: ReceivedInvitationDto): void;
  invitationRemoved(userId: string, invitationId: string): void;
}

const canManage = (role: ListRole | undefined) => role === 'owner';
export const canWrite = (role: ListRole | undefined) => role === 'owner' || role === 'editor';

export const toListDto = (row: ListRow): ListDto => ({
  id: row.id,
  name: row.name,
  color: row.color,
  personal: row.personal,
  role: row.role,
  owner: { id: row.ownerId, name: row.ownerName },
  member_count: row.memberCount,
  created_at: toIso(row.createdAt),
  updated_at: toIso(row.updatedAt),
});

const toMemberDto = (row: MemberRow): MemberDto => ({ user: { id: row.id, name: row.name, email: row.email }, role: row.role, joined_at: toIso(row.joinedAt) });
const toInvitationDto = (row: InvitationRow): InvitationDto => ({ id: row.id, email: row.email, role: row.role, created_at: toIso(row.createdAt) });
const toReceivedDto = (row: InvitationRow): ReceivedInvitationDto => ({
  id: row.id,
  list: { id: row.listId, name: row.listName },
  invited_by: { id: row.invitedById, name: row.invitedByName },
  role: row.role,
  created_at: toIso(row.createdAt),
});

export class ListsService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly events: ListEventSink,
  ) {}

  async all(userId: string): Promise<ListDto[]> {
    return (await this.lists.listsOf(userId)).map(toListDto);
  }

  /** A list of the caller's; NOT_FOUND for anyone not a member. */
  async get(userId: string, listId: string): Promise<ListDto> {
    return toListDto(await this.member(userId, listId));
  }

  async create(userId: string, input: { name: string; color?: string | null }): Promise<ListDto> {
    const id = await this.lists.create(userId, input);
    const list = await this.get(userId, id);
    this.events.listUpdated(userId, list, true);
    return list;
  }

  async update(userId: string, listId: string, changes: { name?: string; color?: string | null }): Promise<ListDto> {
    const list = await this.owned(userId, listId);
    if (list.personal && changes.name !== undefined) throw new AppError('FORBIDDEN', 'Your personal list keeps its name');
    await this.lists.update(listId, changes);
    await this.announce(listId);
    return this.get(userId, listId);
  }

  async remove(userId: string, listId: string): Promise<void> {
    const list = await this.owned(userId, listId);
    if (list.personal) throw new AppError('FORBIDDEN', 'Your personal list cannot be deleted');
    const members = await this.lists.memberIds(listId);
    await this.lists.delete(listId);
    this.events.listDeleted(members, listId);
  }

  /** The members (the owner included), and for the owner the invitations waiting. */
  async members(userId: string, listId: string): Promise<{ members: MemberDto[]; invitations: InvitationDto[] }> {
    const list = await this.member(userId, listId);
    const [members, invitations] = await Promise.all([this.lists.members(listId), canManage(list.role) ? this.lists.invitations(listId) : []]);
    return { members: members.map(toMemberDto), invitations: invitations.map(toInvitationDto) };
  }

  async invite(userId: string, listId: string, input: { email: string; role: 'editor' | 'viewer' }): Promise<InvitationDto> {
    const list = await this.owned(userId, listId);
    if (list.personal) throw new AppError('FORBIDDEN', 'Your personal list cannot be shared; make a list to share');
    const invitation = await this.lists.invite(listId, input.email, input.role, userId);
    const invitee = await this.lists.userByEmail(input.email);
    if (invitee) this.events.invitationNew(invitee, toReceivedDto(invitation));
    return toInvitationDto(invitation);
  }

  async revokeInvitation(userId: string, listId: string, invitationId: string): Promise<void> {
    await this.owned(userId, listId);
    const taken = await this.lists.takeInvitation(invitationId, { listId });
    if (!taken) throw notFound('Invitation');
    const invitee = await this.lists.userByEmail(taken.email);
    if (invitee) this.events.invitationRemoved(invitee, invitationId);
  }

  /** The invitations waiting for the caller's email. */
  async received(userId: string): Promise<ReceivedInvitationDto[]> {
    return (await this.lists.invitationsFor(await this.lists.emailOf(userId))).map(toReceivedDto);
  }

  async accept(userId: string, invitationId: string): Promise<ListDto> {
    const taken = await this.lists.takeInvitation(invitationId, { email: await this.lists.emailOf(userId) });
    if (!taken) throw notFound('Invitation');
    await this.lists.addMember(taken.listId, userId, taken.role);
    const list = await this.get(userId, taken.listId);
    this.events.invitationRemoved(userId, invitationId);
    this.events.listUpdated(userId, list, true);
    const me = (await this.lists.members(taken.listId)).find((member) => member.id === userId)!;
    this.events.memberAdded(taken.listId, { id: me.id, name: me.name });
    await this.announce(taken.listId);
    return list;
  }

  async decline(userId: string, invitationId: string): Promise<void> {
    if (!(await this.lists.takeInvitation(invitationId, { email: await this.lists.emailOf(userId) }))) throw notFound('Invitation');
    this.events.invitationRemoved(userId, invitationId);
  }

  /** Changes a member's role; `owner` hands the list over (the owner becomes an editor). */
  async setRole(userId: string, listId: string, memberId: string, role: ListRole): Promise<MemberDto[]> {
    await this.owned(userId, listId);
    const target = (await this.lists.members(listId)).find((member) => member.id === memberId);
    if (!target) throw notFound('Member');
    if (memberId === userId) throw new AppError('CONFLICT', 'You own this list: hand it to another member to change your role');
    if (role === 'owner') await this.lists.transfer(listId, userId, memberId);
    else await this.lists.setRole(listId, memberId, role);
    await this.announce(listId);
    return (await this.lists.members(listId)).map(toMemberDto);
  }

  /** The owner removes a member, or a member leaves. The owner cannot leave (hand the list over, or delete it). */
  async removeMember(userId: string, listId: string, memberId: string): Promise<void> {
    const list = await this.member(userId, listId);
    if (memberId !== userId && !canManage(list.role)) throw new AppError('FORBIDDEN', 'Only the owner of this list can remove its members');
    const target = (await this.lists.members(listId)).find((member) => member.id === memberId);
    if (!target) throw notFound('Member');
    if (target.role === 'owner') throw new AppError('CONFLICT', 'The owner cannot leave: hand the list to another member, or delete it');
    await this.lists.removeMember(listId, memberId);
    this.events.memberRemoved(listId, { id: target.id, name: target.name });
    await this.announce(listId);
  }

  /** The caller's view of a list they belong to; NOT_FOUND otherwise (a non-member never learns it exists). */
  private async member(userId: string, listId: string): Promise<ListRow> {
    const list = await this.lists.listOf(userId, listId);
    if (!list) throw notFound('List');
    return list;
  }

  private async owned(userId: string, listId: string): Promise<ListRow> {
    const list = await this.member(userId, listId);
    if (!canManage(list.role)) throw new AppError('FORBIDDEN', 'Only the owner of this list can do that');
    return list;
  }

  /** Every member gets the list as they see it now (its name, colour, member count, their role). */
  private async announce(listId: string): Promise<void> {
    for (const list of await this.lists.asSeenByMembers(listId)) this.events.listUpdated(list.memberId, toListDto(list), false);
  }
}
