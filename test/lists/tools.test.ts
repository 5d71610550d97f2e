// The assistant's tools (here through MCP, the same executeTool every provider uses) on shared lists:
// a list by name, an assignee by name, every list at once, and a viewer's write as an error the model reads.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { AssistantProvider, ProviderRequest, ProviderToolCall } from '../../src/assistant/provider.ts';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';
import { openAiSuite, textReply, toolCallsReply } from '../helpers/fake-openai.ts';

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
    // An MCP client undoes its own latest changes (the one before was Sam's, through another client).
    expect(await tool(owner, 'undo', {})).toMatchObject({ undone: [{ action: 'created', title: 'My own thing' }] });
    expect(await tool(viewer, 'undo', {})).toEqual({ error: { code: 'NOT_FOUND', message: 'Change to undo not found' } });
  });
});

describe('both assistants on shared lists', () => {
  /** A user with a "Family" list shared with Sam (an editor). */
  async function family(app: FastifyInstance) {
    const [owner, sam] = [await signup(app, 'Olga'), await signup(app, 'Sam')];
    const list = (await call(app, owner, 'POST', '/api/lists', { name: 'Family' })).body.list;
    const invitation = (await call(app, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: sam.email, role: 'editor' })).body.invitation;
    await call(app, sam, 'POST', `/api/invitations/${invitation.id}/accept`);
    return { owner, sam, list };
  }

  describe('offline', () => {
    const suite = testApp();

    it('adds to the family list, assigns, lists what is assigned, and completes a task found by title in the shared list', async () => {
      const { owner, sam, list } = await family(suite.app);
      const chat = async (user: TestUser, message: string) => (await call(suite.app, user, 'POST', '/api/chat', { message })).body.response as string;
      // A task of the same number in the personal list: acting by title must reach the shared one.
      await call(suite.app, owner, 'POST', '/api/tasks', { title: 'Water the plants' });
      expect(await chat(owner, 'add milk to the family list')).toMatch(/Added task #1 "Milk"/);
      expect(await chat(owner, 'assign the milk to Sam')).toMatch(/assigned to Sam/);
      expect(await chat(sam, "what's assigned to me?")).toMatch(/#1 Milk/);
      expect(await chat(sam, 'I bought the milk')).toMatch(/marked task #1 "Milk" as complete/);
      const shared = (await call(suite.app, owner, 'GET', `/api/tasks?list_id=${list.id}`)).body.tasks;
      expect(shared).toEqual([
        expect.objectContaining({ title: 'Milk', completed: true, assignee: { id: sam.id, name: 'Sam' }, updated_by: { id: sam.id, name: 'Sam' } }),
      ]);
      expect((await call(suite.app, owner, 'GET', '/api/tasks/1')).body.task).toMatchObject({ title: 'Water the plants', completed: false });
    });
  });

  describe('openai', () => {
    const suite = openAiSuite();

    it('passes the list and assignee the model names to the tools, and the model reads a viewer’s refusal', async () => {
      const { owner, list } = await family(suite.app);
      suite.fake.script(
        toolCallsReply({ id: 'call_1', name: 'add_task', argumentPieces: ['{"title":"Bread",', '"list":"family","assignee":"Sam"}'] }),
        textReply('Added.'),
      );
      await call(suite.app, owner, 'POST', '/api/chat', { message: 'add bread to the family list for Sam' });
      const [task] = (await call(suite.app, owner, 'GET', `/api/tasks?list_id=${list.id}`)).body.tasks;
      expect(task).toMatchObject({ title: 'Bread', assignee: { name: 'Sam' } });
      const viewer = await signup(suite.app, 'Vic');
      const invitation = (await call(suite.app, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: viewer.email, role: 'viewer' })).body.invitation;
      await call(suite.app, viewer, 'POST', `/api/invitations/${invitation.id}/accept`);
      suite.fake.script(toolCallsReply({ id: 'call_2', name: 'complete_task', argumentPieces: ['{"task_number":1,"list":"Family"}'] }), textReply('Sorry.'));
      await call(suite.app, viewer, 'POST', '/api/chat', { message: 'complete the bread' });
      const toolMessage = suite.fake.requests.at(-1).messages.find((message: any) => message.role === 'tool');
      expect(JSON.parse(toolMessage.content)).toEqual({ error: 'You can read this list but not change it' });
    });
  });
});

describe('a removal while a reply of that member acts on the list', () => {
  /** The first round waits for the test and then adds to the family list; the next round answers in words. */
  class HeldProvider implements AssistantProvider {
    readonly name = 'held';
    readonly asked = Promise.withResolvers<void>();
    private readonly answer = Promise.withResolvers<void>();
    letGo = () => this.answer.resolve();
    /** What the tool answered, as the model reads it. */
    toolResult: unknown;

    async stream({ messages }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
      const last = messages.at(-1);
      if (last?.role === 'tool') {
        this.toolResult = JSON.parse(last.content);
        onText('Done.');
        return [];
      }
      this.asked.resolve();
      await this.answer.promise;
      return [{ id: 'call_held', name: 'add_task', arguments: '{"title":"Sneaky","list":"Family"}' }];
    }
  }
  const provider = new HeldProvider();
  const suite = testApp({}, { provider });

  it('writes nothing once the member is out: the tool reads that the list is gone for them', async () => {
    const [owner, member] = [await signup(suite.app, 'Olga'), await signup(suite.app, 'Max')];
    const list = (await call(suite.app, owner, 'POST', '/api/lists', { name: 'Family' })).body.list;
    const invitation = (await call(suite.app, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: member.email, role: 'editor' })).body.invitation;
    await call(suite.app, member, 'POST', `/api/invitations/${invitation.id}/accept`);
    const reply = call(suite.app, member, 'POST', '/api/chat', { message: 'add sneaky to the family list' });
    await provider.asked.promise;
    expect((await call(suite.app, owner, 'DELETE', `/api/lists/${list.id}/members/${member.id}`)).status).toBe(204);
    provider.letGo();
    expect((await reply).status).toBe(200);
    expect(provider.toolResult).toEqual({ error: 'You have no list called "Family"' });
    expect((await call(suite.app, owner, 'GET', `/api/tasks?list_id=${list.id}`)).body.tasks).toEqual([]);
  });
});
