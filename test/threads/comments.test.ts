// Comments: a task's thread, live to every member on every instance, written by editors, edited by
// their author, deleted by their author or the list's owner; each a history row an undo reverts; a
// deleted task comes back with its thread. Nobody outside the list learns that a comment exists.
import { describe, expect, it } from 'vitest';
import { call, sharedList, signup, type TestUser } from '../helpers/app.ts';
import { mcpClient, personalToken } from '../helpers/mcp.ts';
import { connect, roomAdapters, sendMessage, twoListeningApps, waitFor } from '../helpers/socket.ts';

describe.each(roomAdapters)('comments (%s adapter)', (adapter) => {
  const suite = twoListeningApps({}, {}, adapter);
  const api = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => call(suite.a, user, method, url, body);

  it('keeps a thread oldest first, live to every member on the other instance, and in the task’s history', async () => {
    const [olga, max] = [await signup(suite.a, 'Olga'), await signup(suite.a, 'Max')];
    const list = await sharedList(suite.a, olga, [max, 'editor']);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Fix the sink', list_id: list.id })).body.task;
    const maxTab = await connect(suite.urlB, max.accessToken);
    try {
      const arrived = waitFor(maxTab, 'comment:created');
      const feed = waitFor(maxTab, 'activity:new', ({ entry }) => entry.action === 'commented');
      const first = await api(olga, 'POST', `/api/tasks/${task.id}/comments`, { body: '  The plumber comes at 3  ' });
      expect(first.status).toBe(201);
      expect(first.body.comment).toEqual({
        id: expect.any(String),
        task_id: task.id,
        author: { id: olga.id, name: 'Olga' },
        body: 'The plumber comes at 3',
        created_at: expect.any(String),
        edited_at: null,
      });
      expect(await arrived).toEqual({ list_id: list.id, comment: first.body.comment });
      // The list's activity feed hears of it too, like any change of a task.
      expect((await feed).entry).toMatchObject({ task_id: task.id, changes: { comment: [null, 'The plumber comes at 3'] } });
      await call(suite.b, max, 'POST', `/api/tasks/1/comments?list_id=${list.id}`, { body: 'I will be home' });
      expect((await api(olga, 'GET', `/api/tasks/${task.id}/comments`)).body.comments.map((comment: any) => comment.body)).toEqual([
        'The plumber comes at 3',
        'I will be home',
      ]);

      const edited = waitFor(maxTab, 'comment:updated');
      const edit = await api(olga, 'PATCH', `/api/comments/${first.body.comment.id}`, { body: 'The plumber comes at 4' });
      expect(edit.body.comment).toMatchObject({ body: 'The plumber comes at 4', edited_at: expect.any(String) });
      expect((await edited).comment.body).toBe('The plumber comes at 4');
      const history = (await api(olga, 'GET', `/api/tasks/${task.id}/history`)).body.history;
      expect(history.slice(0, 3).map((entry: any) => [entry.action, entry.changes])).toEqual([
        ['commented', { comment: ['The plumber comes at 3', 'The plumber comes at 4'] }],
        ['commented', { comment: [null, 'I will be home'] }],
        ['commented', { comment: [null, 'The plumber comes at 3'] }],
      ]);

      const deleted = waitFor(maxTab, 'comment:deleted');
      expect((await api(olga, 'DELETE', `/api/comments/${first.body.comment.id}`)).status).toBe(204);
      expect(await deleted).toEqual({ list_id: list.id, id: first.body.comment.id, task_id: task.id });
    } finally {
      maxTab.disconnect();
    }
  });

  it('lets an author edit only their own, the author or the owner delete, and a viewer only read', async () => {
    const [olga, max, vic] = [await signup(suite.a, 'Olga'), await signup(suite.a, 'Max'), await signup(suite.a, 'Vic')];
    const list = await sharedList(suite.a, olga, [max, 'editor'], [vic, 'viewer']);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Paint the fence', list_id: list.id })).body.task;
    const byMax = (await api(max, 'POST', `/api/tasks/${task.id}/comments`, { body: 'white or green?' })).body.comment;
    const byOlga = (await api(olga, 'POST', `/api/tasks/${task.id}/comments`, { body: 'green' })).body.comment;

    expect((await api(vic, 'GET', `/api/tasks/${task.id}/comments`)).body.comments).toHaveLength(2);
    expect((await api(vic, 'POST', `/api/tasks/${task.id}/comments`, { body: 'blue!' })).status).toBe(403);
    expect((await api(olga, 'PATCH', `/api/comments/${byMax.id}`, { body: 'hijacked' })).status).toBe(403);
    expect((await api(max, 'DELETE', `/api/comments/${byOlga.id}`)).status).toBe(403);
    expect((await api(vic, 'DELETE', `/api/comments/${byMax.id}`)).status).toBe(403);
    // The owner may delete anyone's comment.
    expect((await api(olga, 'DELETE', `/api/comments/${byMax.id}`)).status).toBe(204);
    expect((await api(max, 'DELETE', `/api/comments/${byMax.id}`)).status).toBe(404);
  });

  it('answers 404 for another user’s task and comment ids, whatever the method', async () => {
    const [owner, stranger] = [await signup(suite.a), await signup(suite.a)];
    const task = (await api(owner, 'POST', '/api/tasks', { title: 'Private' })).body.task;
    const comment = (await api(owner, 'POST', `/api/tasks/${task.id}/comments`, { body: 'secret' })).body.comment;
    expect((await api(stranger, 'GET', `/api/tasks/${task.id}/comments`)).status).toBe(404);
    expect((await api(stranger, 'POST', `/api/tasks/${task.id}/comments`, { body: 'hi' })).status).toBe(404);
    expect((await api(stranger, 'PATCH', `/api/comments/${comment.id}`, { body: 'hi' })).status).toBe(404);
    expect((await api(stranger, 'DELETE', `/api/comments/${comment.id}`)).status).toBe(404);
    expect((await api(owner, 'GET', `/api/tasks/${task.id}/comments`)).body.comments.map((found: any) => found.body)).toEqual(['secret']);
  });

  it('names the field of a bad body: empty, blank, too long, not text', async () => {
    const user = await signup(suite.a);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Anything' })).body.task;
    for (const body of [{}, { body: '' }, { body: '   ' }, { body: 'x'.repeat(4001) }, { body: 42 }]) {
      const answer = await api(user, 'POST', `/api/tasks/${task.id}/comments`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details[0].field).toBe('body');
    }
    expect((await api(user, 'PATCH', '/api/comments/not-a-uuid', { body: 'x' })).body.error.details[0].field).toBe('id');
  });

  it('undoes a comment, an edit and a delete, and brings a deleted task back with its thread', async () => {
    const user = await signup(suite.a, 'Ann');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Tax return' })).body.task;
    const comment = (await api(user, 'POST', `/api/tasks/${task.id}/comments`, { body: 'receipts in the blue folder' })).body.comment;
    const thread = async () => (await api(user, 'GET', `/api/tasks/${task.id}/comments`)).body.comments.map((found: any) => found.body);

    await api(user, 'PATCH', `/api/comments/${comment.id}`, { body: 'receipts in the red folder' });
    expect((await api(user, 'POST', '/api/undo')).status).toBe(200);
    expect(await thread()).toEqual(['receipts in the blue folder']);
    await api(user, 'DELETE', `/api/comments/${comment.id}`);
    await api(user, 'POST', '/api/undo');
    const [back] = (await api(user, 'GET', `/api/tasks/${task.id}/comments`)).body.comments;
    expect(back).toMatchObject({ id: comment.id, author: { id: user.id, name: 'Ann' }, created_at: comment.created_at });

    await api(user, 'DELETE', `/api/tasks/${task.id}`);
    expect((await api(user, 'GET', `/api/tasks/${task.id}/comments`)).status).toBe(404);
    expect((await api(user, 'POST', '/api/undo')).body.task).toMatchObject({ id: task.id });
    expect(await thread()).toEqual(['receipts in the blue folder']);

    // Undoing the comment itself takes it away; two comments on one task never block each other's undo.
    await api(user, 'POST', `/api/tasks/${task.id}/comments`, { body: 'second' });
    await api(user, 'POST', `/api/tasks/${task.id}/comments`, { body: 'third' });
    const undone = await api(user, 'POST', '/api/undo');
    expect(undone.body.undone).toMatchObject({ action: 'commented', changes: { comment: [null, 'third'] } });
    expect((await api(user, 'POST', '/api/undo')).status).toBe(200);
    expect(await thread()).toEqual(['receipts in the blue folder']);
  });

  it('lets the assistant and MCP clients comment and read a thread', async () => {
    const user = await signup(suite.a, 'Ann');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Quarterly report' })).body.task;
    const tab = await connect(suite.urlA, user.accessToken);
    try {
      const done = waitFor(tab, 'assistant:done');
      await sendMessage(tab, 'Comment on the report: the numbers are in.');
      expect((await done).message.content).toBe(`Added your comment to task #${task.number} "Quarterly report".`);
      const [comment] = (await api(user, 'GET', `/api/tasks/${task.id}/comments`)).body.comments;
      expect(comment).toMatchObject({ body: 'the numbers are in.', author: { id: user.id } });
      expect((await api(user, 'GET', `/api/tasks/${task.id}/history`)).body.history[0]).toMatchObject({ action: 'commented', channel: 'assistant' });
    } finally {
      tab.disconnect();
    }

    const client = await mcpClient(suite.urlA, (await personalToken(suite.a, user)).secret);
    try {
      await client.callTool({ name: 'add_comment', arguments: { task_number: task.number, body: 'Sent to Sam' } });
      const read = (await client.callTool({ name: 'list_comments', arguments: { task_number: task.number } })).structuredContent as any;
      expect(read).toMatchObject({ task_number: task.number, title: 'Quarterly report' });
      expect(read.comments.map((entry: any) => [entry.author, entry.body])).toEqual([
        ['Ann', 'the numbers are in.'],
        ['Ann', 'Sent to Sam'],
      ]);
    } finally {
      await client.close();
    }
    const later = await connect(suite.urlB, user.accessToken);
    try {
      const answered = waitFor(later, 'assistant:done');
      await sendMessage(later, 'any comments on the report?');
      expect((await answered).message.content).toBe(
        [`Comments on task #${task.number} "Quarterly report":`, '- Ann: the numbers are in.', '- Ann: Sent to Sam'].join('\n'),
      );
    } finally {
      later.disconnect();
    }
  });
});
