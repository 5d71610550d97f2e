// Shared lists over REST: lists, members, invitations, roles, tasks in lists (numbers, assignees,
// attribution, moves), and who may do what — a non-member never learns a list exists.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';

describe('lists and sharing', () => {
  const suite = testApp();
  const api = (user: TestUser | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    call(suite.app, user, method, url, body);

  /** A list owned by `owner` with an editor and a viewer (invited and accepted), and a stranger. */
  async function household() {
    const [owner, editor, viewer, stranger] = [
      await signup(suite.app, 'Olga'),
      await signup(suite.app, 'Eddie'),
      await signup(suite.app, 'Vic'),
      await signup(suite.app),
    ];
    const list = (await api(owner, 'POST', '/api/lists', { name: 'Family', color: '#3366FF' })).body.list;
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const invitation = (await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email: user.email, role })).body.invitation;
      expect((await api(user, 'POST', `/api/invitations/${invitation.id}/accept`)).status).toBe(200);
    }
    return { owner, editor, viewer, stranger, list };
  }

  it('gives every user a personal list, first in their lists, that cannot be shared, renamed or deleted', async () => {
    const user = await signup(suite.app);
    const { lists } = (await api(user, 'GET', '/api/lists')).body;
    expect(lists).toEqual([
      expect.objectContaining({ name: 'My tasks', personal: true, role: 'owner', member_count: 1, owner: { id: user.id, name: 'Test' } }),
    ]);
    const personal = lists[0].id;
    expect((await api(user, 'PATCH', `/api/lists/${personal}`, { name: 'Other' })).status).toBe(403);
    expect((await api(user, 'PATCH', `/api/lists/${personal}`, { color: '#ff0000' })).body.list.color).toBe('#ff0000');
    expect((await api(user, 'DELETE', `/api/lists/${personal}`)).status).toBe(403);
    expect((await api(user, 'POST', `/api/lists/${personal}/invitations`, { email: 'x@example.com', role: 'editor' })).status).toBe(403);
    // A task without a list goes there, numbered in it.
    const task = (await api(user, 'POST', '/api/tasks', { title: 'mine' })).body.task;
    expect(task).toMatchObject({ list_id: personal, number: 1, assignee: null, created_by: { id: user.id, name: 'Test' }, updated_by: { id: user.id } });
  });

  it('makes, renames, shares and deletes lists; members see them with their own role', async () => {
    const { owner, editor, viewer, list } = await household();
    expect(list).toMatchObject({ name: 'Family', color: '#3366ff', personal: false, role: 'owner' });
    expect((await api(editor, 'GET', `/api/lists/${list.id}`)).body.list).toMatchObject({
      role: 'editor',
      member_count: 3,
      owner: { id: owner.id, name: 'Olga' },
    });
    const { members, invitations } = (await api(owner, 'GET', `/api/lists/${list.id}/members`)).body;
    expect(members.map((member: any) => [member.user.name, member.role])).toEqual([
      ['Olga', 'owner'],
      ['Eddie', 'editor'],
      ['Vic', 'viewer'],
    ]);
    expect(invitations).toEqual([]);
    // Members see the members, not the invitations.
    await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email: 'later@example.com', role: 'viewer' });
    expect((await api(viewer, 'GET', `/api/lists/${list.id}/members`)).body.invitations).toEqual([]);
    expect((await api(owner, 'GET', `/api/lists/${list.id}/members`)).body.invitations).toEqual([
      expect.objectContaining({ email: 'later@example.com', role: 'viewer' }),
    ]);
    expect((await api(owner, 'PATCH', `/api/lists/${list.id}`, { name: 'The family' })).body.list.name).toBe('The family');
    await api(owner, 'POST', '/api/tasks', { title: 'gone with it', list_id: list.id });
    expect((await api(owner, 'DELETE', `/api/lists/${list.id}`)).status).toBe(204);
    expect((await api(editor, 'GET', `/api/lists/${list.id}`)).status).toBe(404);
    expect((await api(editor, 'GET', '/api/tasks')).body.tasks).toEqual([]);
  });

  it('lets an invitation wait for an email that has no account yet, and be declined or revoked', async () => {
    const owner = await signup(suite.app);
    const list = (await api(owner, 'POST', '/api/lists', { name: 'Team' })).body.list;
    const email = `late${randomUUID().slice(0, 8)}@example.com`;
    await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email, role: 'editor' });
    expect((await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email: email.toUpperCase(), role: 'viewer' })).status).toBe(409);
    const signedUp = await call(suite.app, undefined, 'POST', '/api/auth/signup', { email, password: 'long enough 1', name: 'Late' });
    const late = { ...({} as TestUser), id: signedUp.body.user.id, auth: { authorization: `Bearer ${signedUp.body.accessToken}` } } as TestUser;
    const { invitations } = (await api(late, 'GET', '/api/invitations')).body;
    expect(invitations).toEqual([expect.objectContaining({ list: { id: list.id, name: 'Team' }, role: 'editor', invited_by: { id: owner.id, name: 'Test' } })]);
    // Nobody else can answer it.
    const other = await signup(suite.app);
    expect((await api(other, 'POST', `/api/invitations/${invitations[0].id}/accept`)).status).toBe(404);
    expect((await api(late, 'POST', `/api/invitations/${invitations[0].id}/decline`)).status).toBe(204);
    expect((await api(late, 'GET', '/api/invitations')).body.invitations).toEqual([]);
    // Revoked before it is answered: gone for the invitee too.
    const again = (await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email, role: 'viewer' })).body.invitation;
    expect((await api(owner, 'DELETE', `/api/lists/${list.id}/invitations/${again.id}`)).status).toBe(204);
    expect((await api(late, 'POST', `/api/invitations/${again.id}/accept`)).status).toBe(404);
  });

  it('numbers tasks per list, assigns them to members, records who made and changed them, and moves them between lists', async () => {
    const { owner, editor, stranger, list } = await household();
    const first = (await api(editor, 'POST', '/api/tasks', { title: 'Buy bread', list_id: list.id, assignee_id: owner.id })).body.task;
    expect(first).toMatchObject({ list_id: list.id, number: 1, assignee: { id: owner.id, name: 'Olga' }, created_by: { id: editor.id, name: 'Eddie' } });
    expect((await api(editor, 'POST', '/api/tasks', { title: 'x', list_id: list.id, assignee_id: stranger.id })).body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'assignee_id' }],
    });
    // A number means the caller's personal list unless list_id says otherwise.
    expect((await api(owner, 'GET', '/api/tasks/1')).status).toBe(404);
    const changed = await api(owner, 'PATCH', `/api/tasks/1?list_id=${list.id}`, { title: 'Buy rye bread' });
    expect(changed.body.task).toMatchObject({ title: 'Buy rye bread', created_by: { id: editor.id }, updated_by: { id: owner.id, name: 'Olga' } });
    expect((await api(owner, 'GET', `/api/tasks?list_id=${list.id}&assignee=me`)).body.tasks.map((task: any) => task.number)).toEqual([1]);
    expect((await api(editor, 'GET', '/api/tasks?assignee=me')).body.tasks).toEqual([]);
    // Every list of the caller by default.
    await api(owner, 'POST', '/api/tasks', { title: 'my own' });
    expect((await api(owner, 'GET', '/api/tasks?sort=created_at')).body.tasks.map((task: any) => task.title)).toEqual(['Buy rye bread', 'my own']);
    // Moved to the owner's personal list: the next number there, and an assignee who is not a member there is dropped.
    const moved = (await api(owner, 'PATCH', `/api/tasks/${first.id}`, { list_id: (await api(owner, 'GET', '/api/lists')).body.lists[0].id })).body.task;
    expect(moved).toMatchObject({ number: 2, assignee: { id: owner.id } });
    expect((await api(editor, 'GET', `/api/tasks/${first.id}`)).status).toBe(404);
    // Moving into a list the caller cannot edit is refused like any write there.
    expect((await api(editor, 'PATCH', `/api/tasks/1?list_id=${list.id}`, { list_id: moved.list_id })).status).toBe(404);
  });

  it('lets the owner change roles, hand the list over and remove members; members leave; the owner cannot leave', async () => {
    const { owner, editor, viewer, list } = await household();
    const roles = async () => (await api(owner, 'GET', `/api/lists/${list.id}/members`)).body.members?.map((member: any) => member.role);
    expect((await api(owner, 'PATCH', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'editor' })).status).toBe(200);
    expect(await roles()).toEqual(['owner', 'editor', 'editor']);
    expect((await api(editor, 'PATCH', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'viewer' })).status).toBe(403);
    expect((await api(owner, 'DELETE', `/api/lists/${list.id}/members/${owner.id}`)).status).toBe(409);
    // Assigned tasks of a member who goes are no longer assigned.
    const task = (await api(owner, 'POST', '/api/tasks', { title: 'for Vic', list_id: list.id, assignee_id: viewer.id })).body.task;
    expect((await api(viewer, 'DELETE', `/api/lists/${list.id}/members/${viewer.id}`)).status).toBe(204);
    expect((await api(owner, 'GET', `/api/tasks/${task.id}`)).body.task.assignee).toBeNull();
    expect((await api(viewer, 'GET', `/api/lists/${list.id}`)).status).toBe(404);
    // Handing over: the editor owns it, the former owner edits.
    expect((await api(owner, 'PATCH', `/api/lists/${list.id}/members/${editor.id}`, { role: 'owner' })).status).toBe(200);
    expect((await api(editor, 'GET', `/api/lists/${list.id}`)).body.list).toMatchObject({ role: 'owner', owner: { id: editor.id } });
    expect((await api(owner, 'GET', `/api/lists/${list.id}`)).body.list.role).toBe('editor');
    expect((await api(editor, 'DELETE', `/api/lists/${list.id}/members/${owner.id}`)).status).toBe(204);
  });

  describe('who may do what', () => {
    type Who = 'owner' | 'editor' | 'viewer' | 'removed' | 'stranger';
    /** Every route of a list and its tasks, and what each role gets: 'ok' (2xx), or the status. */
    const matrix: [
      string,
      (ids: { list: string; task: string; self: string }) => ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string, unknown?],
      Record<Who, 'ok' | number>,
    ][] = [
      ['read the list', ({ list }) => ['GET', `/api/lists/${list}`], { owner: 'ok', editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 }],
      ['read its members', ({ list }) => ['GET', `/api/lists/${list}/members`], { owner: 'ok', editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 }],
      ['list its tasks', ({ list }) => ['GET', `/api/tasks?list_id=${list}`], { owner: 'ok', editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 }],
      ['read a task', ({ task }) => ['GET', `/api/tasks/${task}`], { owner: 'ok', editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 }],
      ['export it', ({ list }) => ['GET', `/api/tasks/export?list_id=${list}`], { owner: 'ok', editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 }],
      [
        'add a task',
        ({ list }) => ['POST', '/api/tasks', { title: 't', list_id: list }],
        { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 },
      ],
      ['change a task', ({ task }) => ['PATCH', `/api/tasks/${task}`, { title: 'u' }], { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 }],
      ['replace a task', ({ task }) => ['PUT', `/api/tasks/${task}`, { title: 'u' }], { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 }],
      [
        'complete a task',
        ({ task }) => ['PATCH', `/api/tasks/${task}/complete`, { completed: true }],
        { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 },
      ],
      [
        'import into it',
        ({ list }) => ['POST', `/api/tasks/import?list_id=${list}`, { format: 'json', data: [{ title: 'i' }] }],
        { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 },
      ],
      ['rename it', ({ list }) => ['PATCH', `/api/lists/${list}`, { name: 'n' }], { owner: 'ok', editor: 403, viewer: 403, removed: 404, stranger: 404 }],
      [
        'invite',
        ({ list }) => ['POST', `/api/lists/${list}/invitations`, { email: `i${randomUUID().slice(0, 6)}@example.com`, role: 'viewer' }],
        { owner: 'ok', editor: 403, viewer: 403, removed: 404, stranger: 404 },
      ],
      [
        'leave it',
        ({ list, self }) => ['DELETE', `/api/lists/${list}/members/${self}`],
        { owner: 409, editor: 'ok', viewer: 'ok', removed: 404, stranger: 404 },
      ],
      ['delete a task', ({ task }) => ['DELETE', `/api/tasks/${task}`], { owner: 'ok', editor: 'ok', viewer: 403, removed: 404, stranger: 404 }],
      ['delete it', ({ list }) => ['DELETE', `/api/lists/${list}`], { owner: 'ok', editor: 403, viewer: 403, removed: 404, stranger: 404 }],
    ];

    /** A household with a member removed from it, and the actor playing `who` in it. */
    async function cast(who: Who) {
      const home = await household();
      const removed = await signup(suite.app);
      const invitation = (await api(home.owner, 'POST', `/api/lists/${home.list.id}/invitations`, { email: removed.email, role: 'editor' })).body.invitation;
      await api(removed, 'POST', `/api/invitations/${invitation.id}/accept`);
      await api(home.owner, 'DELETE', `/api/lists/${home.list.id}/members/${removed.id}`);
      return { ...home, actor: { ...home, removed }[who] };
    }

    it.each(['owner', 'editor', 'viewer', 'removed', 'stranger'] as const)('as %s', async (who) => {
      const shared = await cast(who);
      const outcomes: [string, 'ok' | number][] = [];
      for (const [action, request] of matrix) {
        // Leaving and deleting the list change who belongs to it: each is tried in a household of its own.
        const { owner, list, actor } = /^(leave|delete) it$/.test(action) ? await cast(who) : shared;
        const task = (await api(owner, 'POST', '/api/tasks', { title: 'shared', list_id: list.id })).body.task;
        const [method, url, body] = request({ list: list.id, task: task.id, self: actor.id });
        const { status } = await api(actor, method, url, body);
        outcomes.push([action, status < 300 ? 'ok' : status]);
      }
      expect(outcomes).toEqual(matrix.map(([action, , expected]) => [action, expected[who]]));
    });
  });
});
