// The assistant's tools (here through MCP, the same executeTool every provider uses) on shared lists:
// a list by name, an assignee by name, every list at once, and a viewer's write as an error the model reads.
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';

describe('the task tools on shared lists', () => {
  const suite = testApp();
  let ids = 0;
  const tool = async (user: TestUser, name: string, args: Record<string, unknown>) => {
    const res = await suite.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: {
        host: 'localhost',
        authorization: `Bearer ${user.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      payload: { jsonrpc: '2.0', id: ++ids, method: 'tools/call', params: { name, arguments: args } },
    });
    return JSON.parse(/data: (.*)/.exec(res.body)![1]!).result.structuredContent;
  };

  it('adds to a list by name, assigns by name, lists every list with each task’s list, and refuses a viewer’s write', async () => {
    const [owner, sam, viewer] = [await signup(suite.app, 'Olga'), await signup(suite.app, 'Sam Jones'), await signup(suite.app, 'Vic')];
    const list = (await call(suite.app, owner, 'POST', '/api/lists', { name: 'Family' })).body.list;
    for (const [user, role] of [
      [sam, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const invitation = (await call(suite.app, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: user.email, role })).body.invitation;
      await call(suite.app, user, 'POST', `/api/invitations/${invitation.id}/accept`);
    }
    expect(await tool(owner, 'add_task', { title: 'Buy milk', list: 'family', assignee: 'Sam' })).toMatchObject({
      task_number: 1,
      list: 'family',
      assignee: 'Sam Jones',
    });
    await tool(owner, 'add_task', { title: 'My own thing' });
    const all = (await tool(owner, 'list_tasks', {})).tasks;
    expect(all.map((task: any) => [task.list, task.number, task.title])).toEqual([
      ['My tasks', 1, 'My own thing'],
      ['Family', 1, 'Buy milk'],
    ]);
    expect((await tool(sam, 'list_tasks', { assignee: 'me' })).tasks.map((task: any) => task.title)).toEqual(['Buy milk']);
    expect((await tool(viewer, 'list_tasks', { list: 'Family list' })).tasks.map((task: any) => task.title)).toEqual(['Buy milk']);
    expect(await tool(viewer, 'complete_task', { task_number: 1, list: 'Family' })).toEqual({
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/read/) },
    });
    expect(await tool(sam, 'complete_task', { task_number: 1, list: 'Family' })).toMatchObject({ status: 'completed' });
    expect(await tool(owner, 'update_task', { task_number: 1, list: 'Family', assignee: 'nobody@example.com' })).toEqual({
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/not a member|nobody/) },
    });
    const stranger = await signup(suite.app);
    expect(await tool(stranger, 'list_tasks', { list: 'Family' })).toEqual({ error: { code: 'NOT_FOUND', message: 'You have no list called "Family"' } });
  });
});
