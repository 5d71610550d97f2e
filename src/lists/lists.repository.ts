// The SQL of lists, their members and invitations. Every read is from a member's point of view.
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { List, ListInvitation, ListMember, type ListRole } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import { AppError } from '../shared/errors.ts';
import type { Timestamp } from '../shared/timestamps.ts';

export interface ListRow {
  id: string;
  name: string;
  color: string | null;
  personal: boolean;
  role: ListRole;
  /** Whose view of the list this is (their role). */
  memberId: string;
  ownerId: string;
  ownerName: string;
  memberCount: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  role: ListRole;
  joinedAt: Timestamp;
}

export interface InvitationRow {
  id: string;
  listId: string;
  listName: string;
  email: string;
  role: 'editor' | 'viewer';
  invitedById: string;
  invitedByName: string;
  createdAt: Timestamp;
}

/** A person's name as others see it: the name given, else the email. */
export const displayName = (alias: string) => `coalesce(${alias}.name, ${alias}.email)`;

const listSelect = `select l.id, l.name, l.color, l.personal, m.role, m.user_id as "memberId", l.owner_id as "ownerId", ${displayName('o')} as "ownerName",
    (select count(*)::int from list_members c where c.list_id = l.id) as "memberCount", l.created_at as "createdAt", l.updated_at as "updatedAt"
  from list_members m join lists l on l.id = m.list_id join users o on o.id = l.owner_id`;

const invitationSelect = `select i.id, i.list_id as "listId", l.name as "listName", i.email, i.role, i.invited_by_id as "invitedById",
    ${displayName('b')} as "invitedByName", i.created_at as "createdAt"
  from list_invitations i join lists l on l.id = i.list_id join users b on b.id = i.invited_by_id`;

export class ListsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The lists a user belongs to: the personal one first, then by name. */
  listsOf(userId: string): Promise<ListRow[]> {
    return executeBound<ListRow>(this.em, `${listSelect} where m.user_id = $1 order by l.personal desc, lower(l.name), l.id`, [userId]);
  }

  /** A list as one of its members sees it; undefined for anyone else. */
  /** A list as each of its members sees it. */
  asSeenByMembers(listId: string): Promise<ListRow[]> {
    return executeBound<ListRow>(this.em, `${listSelect} where l.id = $1`, [listId]);
  }

  async listOf(userId: string, listId: string): Promise<ListRow | undefined> {
    const [row] = await executeBound<ListRow>(this.em, `${listSelect} where m.user_id = $1 and l.id = $2`, [userId, listId]);
    return row;
  }

  /** The caller's role in a list, or undefined when the caller is not a member. */
  async role(userId: string, listId: string): Promise<ListRole | undefined> {
    const [row] = await executeBound<{ role: ListRole }>(this.em, 'select role from list_members where user_id = $1 and list_id = $2', [userId, listId]);
    return row?.role;
  }

  async personalListId(userId: string): Promise<string> {
    const [row] = await executeBound<{ id: string }>(this.em, 'select id from lists where owner_id = $1 and personal', [userId]);
    if (!row) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
    return row.id;
  }

  async memberListIds(userId: string): Promise<string[]> {
    return (await executeBound<{ list_id: string }>(this.em, 'select list_id from list_members where user_id = $1', [userId])).map((row) => row.list_id);
  }

  /** Users of a list, the owner first. */
  members(listId: string): Promise<MemberRow[]> {
    return executeBound<MemberRow>(
      this.em,
      `select u.id, ${displayName('u')} as name, u.email, m.role, m.joined_at as "joinedAt" from list_members m join users u on u.id = m.user_id
        where m.list_id = $1 order by (m.role = 'owner') desc, m.joined_at, u.id`,
      [listId],
    );
  }

  memberIds(listId: string): Promise<string[]> {
    return executeBound<{ user_id: string }>(this.em, 'select user_id from list_members where list_id = $1', [listId]).then((rows) =>
      rows.map((row) => row.user_id),
    );
  }

  /** Makes a list owned by `ownerId` (its first member). */
  async create(ownerId: string, input: { name: string; color?: string | null; personal?: boolean }): Promise<string> {
    const list = this.em.create(List, { owner: ownerId, name: input.name, color: input.color ?? null, personal: input.personal ?? false });
    this.em.create(ListMember, { list, user: ownerId, role: 'owner' });
    await this.em.flush();
    return list.id;
  }

  async update(listId: string, changes: { name?: string; color?: string | null }): Promise<void> {
    await this.em.nativeUpdate(List, { id: listId }, { ...changes, updatedAt: new Date() });
  }

  async delete(listId: string): Promise<void> {
    await this.em.nativeDelete(List, { id: listId });
  }

  invitations(listId: string): Promise<InvitationRow[]> {
    return executeBound<InvitationRow>(this.em, `${invitationSelect} where i.list_id = $1 order by i.created_at, i.id`, [listId]);
  }

  /** The invitations waiting for an email. */
  invitationsFor(email: string): Promise<InvitationRow[]> {
    return executeBound<InvitationRow>(this.em, `${invitationSelect} where i.email = $1 order by i.created_at, i.id`, [email]);
  }

  async invite(listId: string, email: string, role: 'editor' | 'viewer', invitedBy: string): Promise<InvitationRow> {
    const [member] = await executeBound(this.em, 'select 1 from list_members m join users u on u.id = m.user_id where m.list_id = $1 and u.email = $2', [
      listId,
      email,
    ]);
    if (member) throw new AppError('CONFLICT', 'That person is a member of this list already');
    const invitation = this.em.create(ListInvitation, { list: listId, email, role, invitedBy });
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new AppError('CONFLICT', 'That email is invited to this list already');
      throw error;
    }
    const [row] = await executeBound<InvitationRow>(this.em, `${invitationSelect} where i.id = $1`, [invitation.id]);
    return row!;
  }

  /** Takes an invitation of `email` out: the list and role it gave, or undefined when there is none (answered, revoked). */
  async takeInvitation(
    invitationId: string,
    where: { email: string } | { listId: string },
  ): Promise<{ listId: string; role: ListRole; email: string } | undefined> {
    const [row] = await executeBound<{ listId: string; role: ListRole; email: string }>(
      this.em,
      `delete from list_invitations where id = $1 and ${'email' in where ? 'email' : 'list_id'} = $2 returning list_id as "listId", role, email`,
      [invitationId, 'email' in where ? where.email : where.listId],
    );
    return row;
  }

  /** Adds a member (a second acceptance adds nothing). */
  async addMember(listId: string, userId: string, role: ListRole): Promise<void> {
    await executeBound(this.em, 'insert into list_members (list_id, user_id, role) values ($1, $2, $3) on conflict do nothing', [listId, userId, role]);
  }

  async setRole(listId: string, userId: string, role: ListRole): Promise<boolean> {
    return (await this.em.nativeUpdate(ListMember, { list: listId, user: userId }, { role })) > 0;
  }

  /** Hands the list to another member: they become its owner, the owner an editor. */
  async transfer(listId: string, from: string, to: string): Promise<void> {
    await executeBound(
      this.em,
      `with owner as (update lists set owner_id = $3, updated_at = now() where id = $1)
       update list_members set role = case when user_id = $3 then 'owner' else 'editor' end where list_id = $1 and user_id in ($2, $3)`,
      [listId, from, to],
    );
  }

  /** Takes a member out of a list; the tasks assigned to them there are no longer assigned. */
  async removeMember(listId: string, userId: string): Promise<boolean> {
    const [row] = await executeBound<{ removed: number }>(
      this.em,
      `with gone as (delete from list_members where list_id = $1 and user_id = $2 and role <> 'owner' returning user_id),
            unassigned as (update tasks set assignee_id = null where list_id = $1 and assignee_id in (select user_id from gone))
       select count(*)::int as removed from gone`,
      [listId, userId],
    );
    return row!.removed > 0;
  }

  async userByEmail(email: string): Promise<string | undefined> {
    const [row] = await executeBound<{ id: string }>(this.em, 'select id from users where email = $1', [email]);
    return row?.id;
  }

  async emailOf(userId: string): Promise<string> {
    const [row] = await executeBound<{ email: string }>(this.em, 'select email from users where id = $1', [userId]);
    if (!row) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
    return row.email;
  }

  /** A member of a list by id, email or name (case-insensitive), for assigning tasks. */
  async findMember(listId: string, who: string): Promise<MemberRow[]> {
    return executeBound<MemberRow>(
      this.em,
      `select u.id, ${displayName('u')} as name, u.email, m.role, m.joined_at as "joinedAt" from list_members m join users u on u.id = m.user_id
        where m.list_id = $1 and (u.id::text = $2 or lower(u.email) = lower($2) or lower(u.name) = lower($2) or lower(split_part(u.name, ' ', 1)) = lower($2))`,
      [listId, who],
    );
  }

  /** The lists of a user named (case-insensitively) or identified by `nameOrId`. */
  findListsOf(userId: string, nameOrId: string): Promise<ListRow[]> {
    return executeBound<ListRow>(
      this.em,
      `${listSelect} where m.user_id = $1 and (l.id::text = $2 or lower(l.name) in (lower($2), lower($2) || ' list') or lower(l.name) || ' list' = lower($2))`,
      [userId, nameOrId],
    );
  }
}
