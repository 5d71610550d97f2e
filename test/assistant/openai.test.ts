import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiProvider } from '../../src/assistant/providers/openai.ts';
import { toolSpecs } from '../../src/assistant/tools/index.ts';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';
import { type FakeOpenAi, startFakeOpenAi, textReply, toolCallsReply } from '../helpers/fake-openai.ts';

describe('openai provider through the real SDK against a fake Chat Completions server', () => {
  let fake: FakeOpenAi;
  let app: FastifyInstance;
  let user: TestUser;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    app = await createTestApp(
      {},
      { provider: new OpenAiProvider({ apiKey: 'sk-test', baseUrl: fake.url, model: 'gpt-4o-mini', idleTimeoutMs: 400, maxRetries: 2 }) },
    );
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.requests.length = 0;
    user = await signup(app);
  });

  const chat = (message: string, conversationId?: string) => call(app, user, 'POST', '/api/chat', { message, conversation_id: conversationId });

  it('streams plain text and sends the tools, the system prompt and the history', async () => {
    fake.script(textReply('Hello', ' there', '!'));
    const res = await chat('hi');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response: 'Hello there!', tool_calls: [] });
    const [request] = fake.requests;
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.stream).toBe(true);
    expect(request.max_tokens).toBe(2_000);
    expect(request.tools.map((tool: any) => tool.function.name).sort()).toEqual(toolSpecs.map((spec) => spec.name).sort());
    const addTask = request.tools.find((tool: any) => tool.function.name === 'add_task').function;
    expect(addTask.parameters.required).toEqual(['title']);
    expect(addTask.parameters.properties.title.description).toMatch(/title/i);
    expect(JSON.stringify(request.tools)).not.toMatch(/user_?id/i);
    expect(request.messages[0].role).toBe('system');
    expect(request.messages[0].content).toContain(new Date().toISOString().slice(0, 10));
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'hi' });

    fake.script(textReply('Again.'));
    await chat('and again', res.body.conversation_id);
    expect(fake.requests[1].messages.slice(1).map((message: any) => [message.role, message.content])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello there!'],
      ['user', 'and again'],
    ]);
  });

  it('assembles tool-call arguments from streamed fragments, runs the tool, and streams the text after it', async () => {
    fake.script(
      toolCallsReply({ id: 'call_1', name: 'add_task', argumentPieces: ['{"ti', 'tle": "Buy', ' milk", "prio', 'rity": "high"}'] }),
      textReply('Added ', 'task #1.'),
    );
    const res = await chat('add buy milk, important');
    expect(res.body).toMatchObject({
      response: 'Added task #1.',
      tool_calls: [{ id: 'call_1', name: 'add_task', arguments: { title: 'Buy milk', priority: 'high' } }],
    });
    expect((await call(app, user, 'GET', '/api/tasks/1')).body.task).toMatchObject({ title: 'Buy milk', priority: 'high' });
    const followUp = fake.requests[1].messages.slice(-2);
    expect(followUp[0]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add_task' } }] });
    expect(followUp[1]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ task_number: 1, status: 'created', title: 'Buy milk' }) });
  });

  it("gives a follow-up the earlier turns' tool calls with their ids and results, whole turns only, within the history window", async () => {
    fake.script(textReply('Hi.'));
    const conversationId = (await chat('hi')).body.conversation_id as string;
    for (let index = 0; index < 14; index++) {
      fake.script(textReply(`Reply ${index}.`));
      await chat(`small talk ${index}`, conversationId);
    }
    fake.script(toolCallsReply({ id: 'call_add', name: 'add_task', argumentPieces: ['{"title": "Call the bank"}'] }), textReply('Added task #1.'));
    await chat('add call the bank', conversationId);
    const firstOfFollowUp = fake.requests.length;
    fake.script(
      toolCallsReply({ id: 'call_due', name: 'update_task', argumentPieces: ['{"task_number": 1, "due_date": "2030-01-31"}'] }),
      textReply('It is due then.'),
    );
    await chat('make it due on the 31st of january 2030', conversationId);

    const messages = fake.requests[firstOfFollowUp].messages as any[];
    const added = messages.findIndex((message) => message.tool_calls?.some((toolCall: any) => toolCall.id === 'call_add'));
    expect(messages[added].tool_calls).toEqual([{ id: 'call_add', type: 'function', function: { name: 'add_task', arguments: '{"title":"Call the bank"}' } }]);
    expect(messages[added + 1]).toMatchObject({ role: 'tool', tool_call_id: 'call_add' });
    expect(JSON.parse(messages[added + 1].content)).toEqual({ task_number: 1, status: 'created', title: 'Call the bank' });
    expect(messages[added + 2]).toEqual({ role: 'assistant', content: 'Added task #1.' });
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'make it due on the 31st of january 2030' });
    // The window keeps the latest messages and whole turns: no result without its call, no call without its result.
    const calls = messages.flatMap((message) => message.tool_calls?.map((toolCall: any) => toolCall.id) ?? []);
    const results = messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id);
    expect(results).toEqual(calls);
    expect(messages.some((message) => message.content === 'hi' || message.content === 'small talk 0')).toBe(false);
    expect(messages.length).toBeLessThanOrEqual(1 + 30 + 2 + 1);
    expect((await call(app, user, 'GET', '/api/tasks/1')).body.task).toMatchObject({ title: 'Call the bank', due_date: '2030-01-31' });
  });

  it('runs parallel tool calls of one round in order', async () => {
    fake.script(
      toolCallsReply(
        { id: 'a', name: 'add_task', argumentPieces: ['{"title":"One"}'] },
        { id: 'b', name: 'add_task', argumentPieces: ['{"title":', '"Two"}'] },
      ),
      textReply('Both added.'),
    );
    const res = await chat('add one and two');
    expect(res.body.tool_calls.map((toolCall: any) => toolCall.arguments.title)).toEqual(['One', 'Two']);
    expect((await call(app, user, 'GET', '/api/tasks?sort=created_at')).body.tasks.map((task: any) => task.title)).toEqual(['One', 'Two']);
  });

  it('labels, reorders and archives as the model asks, and undoes its own changes of the conversation', async () => {
    for (const title of ['Report', 'Milk']) await call(app, user, 'POST', '/api/tasks', { title });
    fake.script(
      toolCallsReply(
        { id: 'l', name: 'update_task', argumentPieces: ['{"task_number":1,', '"labels":["work"]}'] },
        { id: 'm', name: 'move_task', argumentPieces: ['{"task_number":2,"before":1}'] },
        { id: 'a', name: 'archive_task', argumentPieces: ['{"task_number":1}'] },
      ),
      textReply('Done.'),
    );
    const first = (await chat('tag the report as work, put the milk first, and archive the report')).body;
    expect(fake.requests[1].messages.filter((message: any) => message.role === 'tool').map((message: any) => JSON.parse(message.content).status)).toEqual([
      'updated',
      'moved',
      'archived',
    ]);
    const listId = (await call(app, user, 'GET', '/api/lists')).body.lists[0].id;
    const inOrder = async () =>
      (await call(app, user, 'GET', `/api/tasks?list_id=${listId}&archived=all`)).body.tasks.map((task: any) => [
        task.title,
        task.archived_at !== null,
        task.labels.map((label: any) => label.name),
      ]);
    expect(await inOrder()).toEqual([
      ['Milk', false, []],
      ['Report', true, ['work']],
    ]);
    fake.script(toolCallsReply({ id: 'u', name: 'undo', argumentPieces: ['{"count":2}'] }), textReply('Undone.'));
    await chat('undo the last two', first.conversation_id);
    expect(JSON.parse(fake.requests[3].messages.at(-1).content).undone.map((change: any) => change.action)).toEqual(['archived', 'moved']);
    expect(await inOrder()).toEqual([
      ['Report', false, ['work']],
      ['Milk', false, []],
    ]);
  });

  it('feeds invalid arguments back to the model as a tool error instead of crashing', async () => {
    fake.script(
      toolCallsReply({ id: 'bad', name: 'complete_task', argumentPieces: ['{"task_number": "one"'] }),
      toolCallsReply({ id: 'bad2', name: 'complete_task', argumentPieces: ['{"task_number": -4}'] }),
      toolCallsReply({ id: 'ghost', name: 'launch_rockets', argumentPieces: ['{}'] }),
      textReply('Sorry, which task?'),
    );
    const res = await chat('complete it');
    expect(res.status).toBe(200);
    expect(res.body.response).toBe('Sorry, which task?');
    const toolMessages = fake.requests[3].messages.filter((message: any) => message.role === 'tool');
    expect(toolMessages.map((message: any) => JSON.parse(message.content).error)).toEqual([
      'The arguments are not a JSON object',
      expect.stringMatching(/Invalid arguments/),
      'Unknown tool "launch_rockets"',
    ]);
  });

  it('acts only for the authenticated user whatever ids the model writes', async () => {
    const other = await signup(app);
    await call(app, other, 'POST', '/api/tasks', { title: 'not yours' });
    fake.script(toolCallsReply({ id: 'x', name: 'delete_task', argumentPieces: [JSON.stringify({ task_number: 1, user_id: other.id })] }), textReply('Done.'));
    await chat('delete task 1 of the other user');
    expect((await call(app, other, 'GET', '/api/tasks/1')).status).toBe(200);
    expect(JSON.parse(fake.requests[1].messages.at(-1).content)).toEqual({ error: 'Task 1 not found' });
  });

  it('retries a 429 and a 503 with backoff, then succeeds', async () => {
    fake.script({ status: 429, headers: { 'retry-after-ms': '10' } }, { status: 503, headers: { 'retry-after-ms': '10' } }, textReply('Made it.'));
    const res = await chat('hello?');
    expect(res.body.response).toBe('Made it.');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up on repeated 500s with 502 PROVIDER_ERROR, keeping the user message and an error reply', async () => {
    fake.script(...[1, 2, 3].map(() => ({ status: 500, headers: { 'retry-after-ms': '5' } })));
    const res = await chat('will this fail');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('PROVIDER_ERROR');
    const conversations = (await call(app, user, 'GET', '/api/conversations')).body.conversations;
    const messages = (await call(app, user, 'GET', `/api/conversations/${conversations[0].id}/messages`)).body.messages;
    expect(messages.map((message: any) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
    ]);
  });

  it("never shows users what the provider said (it can name the operator's key): the code and a plain sentence", async () => {
    const leak = 'Incorrect API key provided: sk-proj-abc1****************************wxyz';
    fake.script({ status: 401, message: leak });
    const res = await chat('will this leak');
    expect(res.status).toBe(502);
    expect(res.body.error).toEqual({ code: 'PROVIDER_ERROR', message: 'The language model could not answer; try again in a moment' });
    expect(JSON.stringify(res.body)).not.toMatch(/sk-|API key/);
  });

  it('aborts a stream that stalls with 504 PROVIDER_TIMEOUT and keeps the partial text', async () => {
    const stalled = textReply('Partial ', 'answer', ' never finished');
    fake.script({ ...stalled, stallAfter: 3 });
    const res = await chat('slow one');
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('PROVIDER_TIMEOUT');
    const conversation = (await call(app, user, 'GET', '/api/conversations')).body.conversations[0];
    expect(conversation.last_message).toMatchObject({ role: 'assistant', status: 'error', content: 'Partial answer' });
  });

  it('gives up on a provider that never answers with PROVIDER_TIMEOUT, within its bound', async () => {
    fake.script({ silent: true });
    const started = Date.now();
    const res = await chat('anyone there?');
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('PROVIDER_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a stream cut in the middle as PROVIDER_ERROR, and the next message works', async () => {
    fake.script({ ...textReply('Half', ' of it', ' and more'), cutAfter: 2 }, textReply('Fine now.'));
    const cut = await chat('cut me off');
    expect(cut.status).toBe(502);
    const next = await chat('again', (await call(app, user, 'GET', '/api/conversations')).body.conversations[0].id);
    expect(next.body.response).toBe('Fine now.');
  });
});
