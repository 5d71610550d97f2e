// Shared lists live, across two instances: every member's tabs get every task event of the list
// whoever made it, membership and invitations reach the people concerned at once, and a removed
// member's sockets leave the list's room everywhere and are told.
import { describe, expect, it } from 'vitest';
import { call, signup } from '../helpers/app.ts';
import { connect, record, roomAdapters, twoListeningApps, until, waitFor } from '../helpers/socket.ts';

describe.each(roomAdapters)('shared lists, live on two instances (%s adapter)', (adapter) => {
  const suite = twoListeningApps({}, {}, adapter);

  it('brings invitations, membership and every task change of the list to the members’ tabs, and stops at removal', async () => {
    const [owner, member] = [await signup(suite.a, 'Olga'), await signup(suite.a, 'Max')];
    const ownerTab = await connect(suite.urlA, owner.accessToken);
    const memberTab = await connect(suite.urlB, member.accessToken);
    const memberEvents = record(memberTab);
    try {
      const list = (await call(suite.a, owner, 'POST', '/api/lists', { name: 'Family' })).body.list;
      const invited = waitFor(memberTab, 'invitation:new');
      const invitation = (await call(suite.a, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: member.email, role: 'editor' })).body.invitation;
      expect((await invited).invitation).toMatchObject({ id: invitation.id, list: { id: list.id, name: 'Family' }, invited_by: { name: 'Olga' } });

      // Accepted on instance B: the member's open tab (on B) joins the list's room, and the owner (on A) hears it.
      const joined = waitFor(ownerTab, 'list:member_added');
      const created = waitFor(memberTab, 'list:created');
      await call(suite.b, member, 'POST', `/api/invitations/${invitation.id}/accept`);
      expect((await joined).user).toEqual({ id: member.id, name: 'Max' });
      expect((await created).list).toMatchObject({ id: list.id, role: 'editor' });

      // A change by the owner through instance A reaches the member's tab on B, and the reverse.
      const arrived = waitFor(memberTab, 'task:created');
      await call(suite.a, owner, 'POST', '/api/tasks', { title: 'Buy bread', list_id: list.id });
      expect((await arrived).task).toMatchObject({ title: 'Buy bread', list_id: list.id, created_by: { name: 'Olga' } });
      const updated = waitFor(ownerTab, 'task:updated');
      await call(suite.b, member, 'PATCH', `/api/tasks/1?list_id=${list.id}`, { completed: true });
      expect((await updated).task).toMatchObject({ completed: true, updated_by: { name: 'Max' } });

      // A rename reaches each member as they see the list, their own role in it.
      const renamedForOwner = waitFor(ownerTab, 'list:updated');
      const renamedForMember = waitFor(memberTab, 'list:updated');
      await call(suite.a, owner, 'PATCH', `/api/lists/${list.id}`, { name: 'Home' });
      expect((await renamedForOwner).list).toMatchObject({ id: list.id, name: 'Home', role: 'owner', member_count: 2 });
      expect((await renamedForMember).list).toMatchObject({ id: list.id, name: 'Home', role: 'editor', member_count: 2 });

      // A tab that connects later joins every list of its user.
      const late = await connect(suite.urlA, member.accessToken);
      const lateSaw = waitFor(late, 'task:created');
      await call(suite.a, owner, 'POST', '/api/tasks', { title: 'Milk', list_id: list.id });
      expect((await lateSaw).task.title).toBe('Milk');
      late.close();

      // Removed (by the owner, on A): the member's tab on B is told and hears nothing more of the list.
      const told = waitFor(memberTab, 'list:removed');
      await call(suite.a, owner, 'DELETE', `/api/lists/${list.id}/members/${member.id}`);
      expect(await told).toEqual({ listId: list.id });
      await until(async () => !(await suite.b.io.in(`list:${list.id}`).fetchSockets()).some((socket) => socket.data.userId === member.id));
      const before = memberEvents.length;
      const ownerSaw = waitFor(ownerTab, 'task:created');
      await call(suite.a, owner, 'POST', '/api/tasks', { title: 'Secret', list_id: list.id });
      await ownerSaw;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(memberEvents.slice(before).filter(([name]) => name.startsWith('task:'))).toEqual([]);
    } finally {
      ownerTab.close();
      memberTab.close();
    }
  });
});
