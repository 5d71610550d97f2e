// Reminders, repeats and the views of the day through the assistant: the offline one reads people's
// phrasings; an OpenAI-compatible model's calls carry `recurrence` and `remind`; MCP lists by `due`.
import { describe, expect, it } from 'vitest';
import { OpenAiProvider } from '../../src/assistant/providers/openai.ts';
import { call, createTestApp, signup, userInZone } from '../helpers/app.ts';
import { startFakeOpenAi, textReply, toolCallsReply } from '../helpers/fake-openai.ts';
import { mcpClient, personalToken } from '../helpers/mcp.ts';
import { listeningApp } from '../helpers/socket.ts';

describe('the offline assistant with reminders and repeats', () => {
  const suite = listeningApp();
  const chat = (user: Parameters<typeof call>[1], message: string, conversationId?: string) =>
    call(suite.app, user, 'POST', '/api/chat', { message, ...(conversationId ? { conversation_id: conversationId } : {}) });

  it('adds a repeating task with a reminder, reminds before, snoozes, stops the repeat, and lists the day', async () => {
    const user = await userInZone(suite.app, 'Europe/Berlin');
    const added = await chat(user, 'add gym every monday at 9');
    expect(added.body.response).toMatch(/^Added task #1 "Gym" \(due Mon, .*, repeating every Monday\)\.$/);
    const gym = (await call(suite.app, user, 'GET', '/api/tasks/1')).body.task;
    expect(gym).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(new Date(gym.due_date).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toBe(
      'Mon 09:00',
    );

    const conversation = added.body.conversation_id;
    expect((await chat(user, 'remind me 30 minutes before', conversation)).body.response).toBe(`I'll remind you 30 minutes before task #1 "Gym" is due.`);
    const reminder = (await call(suite.app, user, 'GET', '/api/tasks/1')).body.task.reminders[0];
    expect(reminder).toMatchObject({ before_minutes: 30, fires_at: new Date(Date.parse(gym.due_date) - 30 * 60_000).toISOString() });
    expect((await chat(user, 'snooze that for an hour', conversation)).body.response).toBe(`Snoozed: I'll remind you about task #1 "Gym" in 60 minutes.`);
    expect((await call(suite.app, user, 'GET', '/api/tasks/1')).body.task.reminders[0]).toMatchObject({ before_minutes: null, at: expect.any(String) });
    expect((await chat(user, 'stop repeating the gym task')).body.response).toBe('Updated task #1 "Gym" (no longer repeating).');

    await chat(user, 'remind me to call mom tomorrow at 6pm');
    const mom = (await call(suite.app, user, 'GET', '/api/tasks/2')).body.task;
    expect(mom.reminders).toEqual([expect.objectContaining({ before_minutes: 0, fires_at: new Date(mom.due_date).toISOString() })]);
    await call(suite.app, user, 'POST', '/api/tasks', { title: 'Old bill', due_date: '2020-01-01' });
    expect((await chat(user, 'anything late?')).body.response).toMatch(/^You have 1 task overdue:\n- #3 Old bill/);
    expect((await chat(user, 'which tasks have no due date?')).body.response).toBe('You don\'t have any tasks without a due date. Say "add …" to create one.');
  });
});

describe('an OpenAI-compatible model with reminders and repeats, and MCP', () => {
  it('passes recurrence and remind through its tool calls, and MCP lists by due', async () => {
    const fake = await startFakeOpenAi();
    const app = await createTestApp({}, { provider: new OpenAiProvider({ apiKey: 'sk-test', baseUrl: fake.url, model: 'gpt-4o-mini', maxRetries: 0 }) });
    try {
      const user = await signup(app);
      fake.script(
        toolCallsReply({
          id: 'call_1',
          name: 'add_task',
          argumentPieces: ['{"title": "Standup", "due_date": "2030-01-07T09:30", "recurrence": "FREQ=WEEKLY;BYDAY=MO,WE", "remind": 10}'],
        }),
        textReply('Added.'),
      );
      await call(app, user, 'POST', '/api/chat', { message: 'standup every monday and wednesday at 9:30, remind me 10 min before' });
      const task = (await call(app, user, 'GET', '/api/tasks/1')).body.task;
      expect(task).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE', reminders: [expect.objectContaining({ before_minutes: 10 })] });
      expect(JSON.parse(fake.requests[1].messages.at(-1).content)).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE', reminded: true });
      // A rule the model got wrong comes back to it as the tool's error, naming the field.
      fake.script(
        toolCallsReply({ id: 'call_2', name: 'update_task', argumentPieces: ['{"task_number": 1, "recurrence": "FREQ=MINUTELY"}'] }),
        textReply('Sorry.'),
      );
      await call(app, user, 'POST', '/api/chat', { message: 'every minute' });
      expect(fake.requests[3].messages.at(-1).content).toContain('recurrence');
      expect((await call(app, user, 'GET', '/api/tasks/1')).body.task.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,WE');

      await call(app, user, 'POST', '/api/tasks', { title: 'Someday' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const client = await mcpClient(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, (await personalToken(app, user)).secret);
      try {
        const undated = (await client.callTool({ name: 'list_tasks', arguments: { due: 'none' } })).structuredContent as any;
        expect(undated.tasks.map((found: any) => found.title)).toEqual(['Someday']);
      } finally {
        await client.close();
      }
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
