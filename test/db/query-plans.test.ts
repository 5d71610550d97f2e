// The hot queries, run through their repositories under EXPLAIN ANALYZE on a database where one
// conversation has 10,000 messages: each is served by an index in its own order (no sort) and
// reads about as many rows as it returns, so it costs the same at 10,000 messages as at 100.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationsRepository } from '../../src/conversations/conversations.repository.ts';
import { searchStatement } from '../../src/conversations/search.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { executeBound } from '../../src/db/sql.ts';
import { sortPlan, TasksRepository } from '../../src/tasks/tasks.repository.ts';
import { testDatabaseUrl } from '../helpers/db.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Parent Relationship'?: string;
  Output?: string[];
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
/** The nodes that read the page itself: not those of a subquery per row (a task's labels, sorted by name, are a few rows each). */
const pageNodes = (plan: PlanNode): PlanNode[] => [
  plan,
  ...(plan.Plans ?? []).filter((child) => child['Parent Relationship'] !== 'SubPlan').flatMap(pageNodes),
];

describe('query plans of the hot reads', () => {
  let orm: Orm;
  let userId: string;
  let listId: string;
  let longId: string;
  let shortIds: string[];
  let middle: string;
  beforeAll(async () => {
    orm = await openOrm(await testDatabaseUrl('query_plans'), { poolMax: 2 });
    const em = orm.em.fork();
    userId = ((await em.execute(`insert into users (email, password_hash) values ('plans@example.com', 'x') returning id`)) as { id: string }[])[0]!.id;
    await em.execute(`insert into conversations (user_id, title) select ?, 'c' || i from generate_series(1, 100) i`, [userId]);
    const conversations = (await em.execute(`select id from conversations where user_id = ? order by title`, [userId])) as { id: string }[];
    longId = conversations[0]!.id;
    shortIds = conversations.slice(1).map((row) => row.id);
    await em.execute(
      `insert into messages (conversation_id, user_id, role, content, created_at)
       select ?, ?, (array['user','assistant'])[1 + i % 2]::text, 'message ' || i, now() - make_interval(secs => 20000 - i) from generate_series(1, 10000) i`,
      [longId, userId],
    );
    await em.execute(
      `insert into messages (conversation_id, user_id, role, content, created_at)
       select c.id, ?, 'user', 'short ' || i, now() - make_interval(secs => 200 - i) from unnest(array[?]::uuid[]) c(id), generate_series(1, 100) i`,
      [userId, shortIds],
    );
    listId = ((await em.execute(`insert into lists (owner_id, name, personal) values (?, 'My tasks', true) returning id`, [userId])) as { id: string }[])[0]!
      .id;
    await em.execute(`insert into list_members (list_id, user_id, role) values (?, ?, 'owner')`, [listId, userId]);
    await em.execute(
      `insert into tasks (list_id, number, title, created_at) select ?, i, 'task ' || i, now() - make_interval(secs => 5000 - i) from generate_series(1, 5000) i`,
      [listId],
    );
    middle = ((await em.execute(`select id from messages where conversation_id = ? order by created_at limit 1 offset 5000`, [longId])) as { id: string }[])[0]!
      .id;
    await em.execute('analyze');
  });
  afterAll(() => orm.close());

  /** An EntityManager whose raw queries are explained (and analyzed) instead of answered. */
  function explaining(): { em: EntityManager; plans: PlanNode[] } {
    const real = orm.em.fork();
    const plans: PlanNode[] = [];
    type PlanRow = { 'QUERY PLAN': { Plan: PlanNode }[] };
    const em = new Proxy(real, {
      get(target, property) {
        // Raw statements go through `executeBound`, that is `em.getKysely().executeQuery`.
        if (property === 'getKysely') {
          return () => ({
            executeQuery: async (query: CompiledQuery) => {
              const { rows } = await target
                .getKysely()
                .executeQuery<PlanRow>(CompiledQuery.raw(`explain (analyze, format json) ${query.sql}`, [...query.parameters]));
              plans.push(rows[0]!['QUERY PLAN'][0]!.Plan);
              return { rows: [] };
            },
          });
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { em, plans };
  }

  const expectIndexOrdered = (plan: PlanNode, table: string, maxRowsRead: number) => {
    const all = pageNodes(plan);
    expect(all.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(all.map((node) => node['Node Type'])).not.toContain('Incremental Sort');
    const scans = all.filter((node) => node['Relation Name'] === table);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(scan['Node Type'], JSON.stringify(scan)).toMatch(/Index/);
      // Rows read: those the scan gave on and those its filter dropped.
      expect((scan['Actual Rows'] + (scan['Rows Removed by Filter'] ?? 0)) * scan['Actual Loops']).toBeLessThanOrEqual(maxRowsRead);
    }
  };

  it('reads the latest page, a page before a message and a page after one from the index, in order', async () => {
    const { em, plans } = explaining();
    const repository = new ConversationsRepository(em);
    await repository.latest(longId, 51);
    await repository.latest(longId, 51, middle);
    await repository.after(longId, middle, 101);
    expect(plans).toHaveLength(3);
    expectIndexOrdered(plans[0]!, 'messages', 51);
    expectIndexOrdered(plans[1]!, 'messages', 52);
    expectIndexOrdered(plans[2]!, 'messages', 102);
  });

  it('looks for a held approval without reading the conversation', async () => {
    const { em, plans } = explaining();
    await new ConversationsRepository(em).awaitingApproval(longId);
    expectIndexOrdered(plans[0]!, 'messages', 1);
  });

  it('finds the last message of each conversation with one probe each', async () => {
    const { em, plans } = explaining();
    await new ConversationsRepository(em).lastMessages([longId, ...shortIds.slice(0, 19)]);
    expectIndexOrdered(plans[0]!, 'messages', 20);
  });

  it("reads a page of a list's tasks, newest first, from the index", async () => {
    const { em, plans } = explaining();
    await new TasksRepository(em).page({ filter: { lists: [listId], status: 'all' }, plan: sortPlan('-created_at'), limit: 51 });
    expectIndexOrdered(plans[0]!, 'tasks', 51);
  });

  it('makes snippets for the page of a search only, however many messages match', async () => {
    const em = orm.em.fork();
    // 'message' is in all 10,000 messages of the long conversation.
    const [row] = await executeBound<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(em, `explain (analyze, verbose, format json) ${searchStatement}`, [
      'message',
      userId,
      21,
      0,
    ]);
    const headlined = nodes(row!['QUERY PLAN'][0]!.Plan).filter((node) => node.Output?.some((column) => column.includes('ts_headline')));
    expect(headlined.length).toBeGreaterThan(0);
    for (const node of headlined) expect(node['Actual Rows'] * node['Actual Loops'], node['Node Type']).toBeLessThanOrEqual(21);
  });
});
