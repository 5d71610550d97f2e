import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchStatement } from '../../src/conversations/search.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { executeBound } from '../../src/db/sql.ts';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/db.ts';

describe('GET /api/search', () => {
  const suite = testApp();

  const chat = async (user: TestUser, message: string, conversation_id?: string) =>
    (await call(suite.app, user, 'POST', '/api/chat', { message, conversation_id })).body.conversation_id as string;
  const search = async (user: TestUser, query: string) => call(suite.app, user, 'GET', `/api/search?${query}`);

  it('finds titles and messages by stemmed words, best first, with escaped snippets marking the matches', async () => {
    const user = await signup(suite.app);
    const garden = await chat(user, 'Remind me to water the garden plants & the 5 > 3 trees tomorrow');
    await chat(user, 'show my tasks');
    const renamed = await call(suite.app, user, 'POST', '/api/conversations', { title: 'Planting season' });
    const res = await search(user, 'q=planting');
    expect(res.status).toBe(200);
    const { results } = res.body;
    // "planting" matches "plants" (the user message, the assistant's confirmation) and the title "Planting season".
    expect(results.map((result: any) => [result.conversation.id, result.message?.role ?? 'title'])).toEqual(
      expect.arrayContaining([
        [renamed.body.conversation.id, 'title'],
        [garden, 'user'],
        [garden, 'assistant'],
      ]),
    );
    expect(results[0].message).toBeNull(); // a title match ranks first
    const fromMessage = results.find((result: any) => result.message?.role === 'user');
    expect(fromMessage.snippet).toContain('<mark>plants</mark>');
    expect(fromMessage.snippet).toContain('&#38; the 5 &#62; 3 trees');
    expect(fromMessage.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(fromMessage.message).toMatchObject({ id: expect.any(String), created_at: expect.any(String) });
  });

  it("never returns another user's rows or a deleted conversation, and pages with a cursor", async () => {
    const owner = await signup(suite.app);
    const other = await signup(suite.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await chat(owner, `add invoice number ${i} for the zebra project`));
    expect((await search(other, 'q=zebra')).body.results).toEqual([]);
    await call(suite.app, owner, 'DELETE', `/api/conversations/${ids[0]}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await search(owner, `q=zebra&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
      seen.push(...page.results.map((result: any) => `${result.conversation.id}/${result.message?.id ?? 'title'}`));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.some((key) => key.startsWith(ids[0]!))).toBe(false);
    // Four conversations: their titles and their user messages match (the replies repeat the title too).
    expect(new Set(seen.map((key) => key.split('/')[0])).size).toBe(4);
  });

  it('validates the query and the cursor', async () => {
    const user = await signup(suite.app);
    for (const query of ['', 'q=', `q=${'x'.repeat(201)}`, 'q=a&limit=0', 'q=a&limit=51', 'q=a&cursor=bm9wZQ']) {
      const res = await search(user, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    // Web-search syntax never fails: unbalanced quotes and lone operators are just words.
    for (const q of ['"unclosed', '-', 'or', '!!!', 'a & b | c']) expect((await search(user, `q=${encodeURIComponent(q)}`)).status).toBe(200);
  });
});

describe('search plans', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openOrm(await testDatabaseUrl('search_plans'), { poolMax: 2 });
    const em = orm.em.fork();
    await em.execute(`insert into users (email, password_hash) select 'p' || i || '@example.com', 'x' from generate_series(1, 4) i`);
    await em.execute(`insert into conversations (user_id, title) select u.id, 'Conversation ' || i from users u, generate_series(1, 100) i`);
    await em.execute(
      `insert into messages (conversation_id, user_id, role, content)
       select c.id, c.user_id, 'user', 'message ' || i || ' about ' || (array['milk','rent','garden','taxes','dentist'])[1 + i % 5] || ' and more words'
       from conversations c, generate_series(1, 50) i`,
    );
    // A word only a few messages hold: what people search for.
    await em.execute(`update messages set content = content || ' zebra' where id in (select id from messages order by id limit 12)`);
    await em.execute('analyze');
  });
  afterAll(() => orm.close());

  it('answers a search from the full-text indexes, not by reading every message of the user', async () => {
    const em = orm.em.fork();
    const [user] = await em.execute(`select id from users limit 1`);
    const [row] = await executeBound<{ 'QUERY PLAN': unknown }>(em, `explain (format json) ${searchStatement}`, ['zebra', user!.id, 21, 0]);
    const plan = JSON.stringify(row!['QUERY PLAN']);
    expect(plan).toContain('messages_search_index');
    expect(plan).toContain('conversations_search_index');
    expect(plan).not.toMatch(/"Node Type":"Seq Scan","Parent Relationship":"[^"]*","Parallel Aware":\w+,"Async Capable":\w+,"Relation Name":"messages"/);
  });
});
