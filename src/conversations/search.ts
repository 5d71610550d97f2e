// Full-text search over a user's conversation titles and messages (PostgreSQL, English stemming,
// `websearch_to_tsquery` syntax: words, "quoted phrases", -excluded, or). Served by the GIN
// indexes on the same expressions; deleted conversations never match.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound, withStatementTimeout } from '../db/sql.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { AppError } from '../shared/errors.ts';
import type { InFlight } from '../shared/in-flight.ts';
import { toIso } from '../shared/timestamps.ts';
import type { SearchQuery, SearchResult } from './conversations.schemas.ts';

/** Marks ts_headline puts around matches: private-use characters, removed from the text first, so nothing else can forge them. */
const open = '\uE000';
const close = '\uE001';
const headline = (column: string) =>
  `ts_headline('english', translate(${column}, E'\\uE000\\uE001', ''), q.query, 'StartSel=${open}, StopSel=${close}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')`;

interface Row {
  conversationId: string;
  title: string;
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  createdAt: string | Date | null;
  snippet: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Everything escaped, then only our marks turned into `<mark>`. */
export const markSnippet = (text: string) => escapeHtml(text).replaceAll(open, '<mark>').replaceAll(close, '</mark>');

/**
 * How many of the newest matching messages are ranked. Ranking parses each match's text again, so a
 * word in a tenth of a million messages would cost seconds; the newest matches are what a search is
 * for, and what lies beyond them is reached by a narrower query (BENCHMARKS.md, "big data").
 */
const rankedMessages = 1_000;

/**
 * The search: parameters are the query text, the user id, limit and offset. Matches are ranked (the
 * newest `rankedMessages` of them) and the page cut first; only the page's rows get a snippet
 * (ts_headline, the costly part, reads a whole text). The query is written out in each WHERE so the
 * planner can serve it from the GIN index.
 */
export const searchStatement = `with q as (select websearch_to_tsquery('english', $1) as query),
  page as (
    select * from (
      select c.id as "conversationId", null::uuid as "messageId", null::timestamptz as "createdAt", ts_rank(to_tsvector('english', c.title), q.query) * 2 as rank
        from conversations c, q
       where c.user_id = $2 and c.deleted_at is null and to_tsvector('english', c.title) @@ websearch_to_tsquery('english', $1)
      union all
      select m.conversation_id, m.id, m.created_at, ts_rank(to_tsvector('english', m.content), q.query)
        from (select m.conversation_id, m.id, m.created_at, m.content
                from messages m join conversations c on c.id = m.conversation_id
               where m.user_id = $2 and c.deleted_at is null and m.status <> 'streaming' and to_tsvector('english', m.content) @@ websearch_to_tsquery('english', $1)
               order by m.created_at desc limit ${rankedMessages}) m, q
    ) hits
    order by rank desc, "createdAt" desc nulls first, "conversationId", "messageId" nulls first
    limit $3 offset $4
  )
  select p."conversationId", c.title, p."messageId", m.role::text as role, p."createdAt",
         case when m.id is null then ${headline('c.title')} else ${headline('m.content')} end as snippet
    from page p join conversations c on c.id = p."conversationId" left join messages m on m.id = p."messageId", q
   order by p.rank desc, p."createdAt" desc nulls first, p."conversationId", p."messageId" nulls first`;

/** At most this many results are paged through (deeper pages are not worth a user's time). */
const maxOffset = 1_000;

export class ConversationSearch {
  constructor(
    private readonly em: EntityManager,
    /** PostgreSQL cancels a search after this long. */
    private readonly statementTimeoutMs: number,
    /** A user's searches at once (no cap when RATE_LIMITS=off). */
    private readonly running?: InFlight,
  ) {}

  async search(userId: string, query: SearchQuery): Promise<{ results: SearchResult[]; next_cursor: string | null }> {
    const offset = query.cursor
      ? (decodeCursor(query.cursor, (parts) => parts.length === 1 && cursorPart.int(parts[0], 1, maxOffset), 'is not a cursor from this search')[0] as number)
      : 0;
    const leave = this.running?.enter(userId);
    if (this.running && !leave)
      throw new AppError('RATE_LIMITED', 'Your other searches are still running; try again when they end', undefined, {
        retryAfterSeconds: 1,
        budget: 'searches',
      });
    let rows: Row[];
    try {
      rows = await withStatementTimeout(this.em, this.statementTimeoutMs, (em) =>
        executeBound<Row>(em, searchStatement, [query.q, userId, query.limit + 1, offset]),
      );
    } finally {
      leave?.();
    }
    const results = rows.slice(0, query.limit).map(
      (row): SearchResult => ({
        conversation: { id: row.conversationId, title: row.title },
        message: row.messageId ? { id: row.messageId, role: row.role!, created_at: toIso(row.createdAt!) } : null,
        snippet: markSnippet(row.snippet),
      }),
    );
    const next = offset + query.limit;
    return { results, next_cursor: rows.length > query.limit && next <= maxOffset ? encodeCursor([next]) : null };
  }
}
