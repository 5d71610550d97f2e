import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp, userInZone } from '../helpers/app.ts';

describe('export and import', () => {
  const suite = testApp();

  const download = (user: TestUser, url: string) => suite.app.inject({ method: 'GET', url, headers: user.auth });
  const importTasks = (user: TestUser, body: unknown) => call(suite.app, user, 'POST', '/api/tasks/import', body);

  it('exports tasks as JSON, CSV and iCalendar VTODOs with DUE in the user zone', async () => {
    const user = await userInZone(suite.app, 'America/Los_Angeles');
    await call(suite.app, user, 'POST', '/api/tasks', {
      title: 'Dentist, "the big one"',
      description: 'line one\nline two',
      priority: 'urgent',
      due_date: '2030-05-01T17:00',
    });
    await call(suite.app, user, 'POST', '/api/tasks', { title: 'Taxes', due_date: '2030-04-15', status: 'completed' });

    const json = await download(user, '/api/tasks/export?format=json');
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="tasks-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(json.json().tasks.map((task: { title: string }) => task.title)).toEqual(['Dentist, "the big one"', 'Taxes']);

    const csv = await download(user, '/api/tasks/export?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('"Dentist, ""the big one"""');
    expect(csv.body).toContain('"line one\nline two"');

    const ics = await download(user, '/api/tasks/export?format=ics');
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    const todos = new ICAL.Component(ICAL.parse(ics.body)).getAllSubcomponents('vtodo');
    expect(todos).toHaveLength(2);
    const dentist = todos[0]!;
    expect(dentist.getFirstPropertyValue('summary')).toBe('Dentist, "the big one"');
    expect(dentist.getFirstPropertyValue('priority')).toBe(1);
    const due = dentist.getFirstProperty('due')!;
    expect(due.getParameter('tzid')).toBe('America/Los_Angeles');
    expect(String(due.getFirstValue())).toBe('2030-05-01T17:00:00');
    expect(String(todos[1]!.getFirstPropertyValue('due'))).toBe('2030-04-15');
    expect(todos[1]!.getFirstPropertyValue('status')).toBe('COMPLETED');
    expect((await download(user, '/api/tasks/export?format=pdf')).statusCode).toBe(400);
  });

  it('imports a CSV with quotes, commas and newlines in fields, row by row with a report of the bad ones', async () => {
    const user = await signup(suite.app);
    const data = [
      'title,description,priority,due_date,status',
      '"Call Ann, then Bob","She said ""hi""",high,2030-01-02,',
      '"Two',
      'lines",,low,,completed',
      ',no title,,,',
      'Bad date,,,2030-02-30,',
      'Bad priority,,whenever,,',
    ].join('\n');
    const res = await importTasks(user, { format: 'csv', data });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, skipped: 3 });
    expect(res.body.errors.map((error: { line: number }) => error.line)).toEqual([5, 6, 7]);
    expect(res.body.errors[0].message).toMatch(/title/);
    expect(res.body.errors[1].message).toMatch(/due_date/);
    expect(res.body.errors[2].message).toMatch(/priority/);
    const tasks = (await call(suite.app, user, 'GET', '/api/tasks?sort=created_at')).body.tasks;
    expect(
      tasks.map((task: { title: string; description: string | null; status: string; due_date: string | null }) => [
        task.title,
        task.description,
        task.status,
        task.due_date,
      ]),
    ).toEqual([
      ['Call Ann, then Bob', 'She said "hi"', 'pending', '2030-01-02'],
      ['Two\nlines', null, 'completed', null],
    ]);
  });

  it('imports JSON (an array or an export), round-trips an export, and refuses more than 1,000 rows', async () => {
    const user = await signup(suite.app);
    const res = await importTasks(user, { format: 'json', data: [{ title: 'One' }, { title: 'Two', completed: true }, { nope: 1 }, 'x'] });
    expect(res.body).toMatchObject({ imported: 2, skipped: 2, errors: [{ line: 3 }, { line: 4 }] });
    const exported = (await download(user, '/api/tasks/export?format=json')).body;
    const copy = await signup(suite.app);
    expect((await importTasks(copy, { format: 'json', data: exported })).body).toMatchObject({ imported: 2, skipped: 0 });
    const csv = (await download(user, '/api/tasks/export?format=csv')).body;
    expect((await importTasks(copy, { format: 'csv', data: csv })).body).toMatchObject({ imported: 2, skipped: 0 });
    expect((await call(suite.app, copy, 'GET', '/api/tasks?status=completed')).body.tasks).toHaveLength(2);

    const rows = Array.from({ length: 1_001 }, (_, index) => ({ title: `Task ${index}` }));
    const tooMany = await importTasks(user, { format: 'json', data: rows });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].field).toMatch(/^data/);
    const tooManyCsv = await importTasks(user, { format: 'csv', data: ['title', ...rows.map((row) => row.title)].join('\n') });
    expect(tooManyCsv.status).toBe(400);
    expect((await importTasks(user, { format: 'csv', data: 'title\n"unclosed' })).status).toBe(400);
    expect((await importTasks(user, { format: 'json', data: '{nope' })).status).toBe(400);
    expect((await call(suite.app, user, 'GET', '/api/tasks')).body.tasks).toHaveLength(2);
  });

  it('exports a conversation as Markdown or JSON, for its owner only', async () => {
    const user = await signup(suite.app);
    const chat = (await call(suite.app, user, 'POST', '/api/chat', { message: 'add buy milk tomorrow' })).body;
    const markdown = await download(user, `/api/conversations/${chat.conversation_id}/export?format=markdown`);
    expect(markdown.headers['content-disposition']).toBe('attachment; filename="add-buy-milk-tomorrow.md"');
    expect(markdown.body).toMatch(/^# add buy milk tomorrow\n/);
    expect(markdown.body).toContain('## You');
    expect(markdown.body).toContain('`add_task`');
    expect(markdown.body).toContain('Added task #1 "Buy milk"');
    const json = (await download(user, `/api/conversations/${chat.conversation_id}/export?format=json`)).json();
    expect(json.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
    const stranger = await signup(suite.app);
    expect((await download(stranger, `/api/conversations/${chat.conversation_id}/export`)).statusCode).toBe(404);
  });
});
