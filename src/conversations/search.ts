// Full-text search over a user's conversation titles and messages (PostgreSQL, English stemming,
// `websearch_to_tsquery` syntax: words, "quoted phrases", -excluded, or). Served by the GIN
// indexes on the same expressions; deleted conversations never match.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/sql.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
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
  rank: number;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Everything escaped, then only our marks turned into `<mark>`. */
export const markSnippet = (text: string) => escapeHtml(text).replaceAll(open, '<mark>').replaceAll(close, '</mark>');

/**
 * The search: parameters are the query text, the user id, limit and offset. The query is written out
 * in each WHERE so the planner can serve it from the GIN index.
 */
export const searchStatement = `with q as (select websearch_to_tsquery('english', $1) as query)
  select * from (
    select c.id as "conversationId", c.title, null::uuid as "messageId", null as role, null::timestamptz as "createdAt",
           ${headline('c.title')} as snippet, ts_rank(to_tsvector('english', c.title), q.query) * 2 as rank
      from conversations c, q
     where c.user_id = $2 and c.deleted_at is null and to_tsvector('english', c.title) @@ websearch_to_tsquery('english', $1)
    union all
    select c.id, c.title, m.id, m.role::text, m.created_at, ${headline('m.content')}, ts_rank(to_tsvector('english', m.content), q.query)
      from messages m join conversations c on c.id = m.conversation_id, q
     where m.user_id = $2 and c.deleted_at is null and m.status <> 'streaming' and to_tsvector('english', m.content) @@ websearch_to_tsquery('english', $1)
  ) hits
  order by rank desc, "createdAt" desc nulls first, "conversationId", "messageId" nulls first
  limit $3 offset $4`;

/** At most this many results are paged through (deeper pages are not worth a user's time). */
const maxOffset = 1_000;

export class ConversationSearch {
  constructor(private readonly em: EntityManager) {}

  async search(userId: string, query: SearchQuery): Promise<{ results: SearchResult[]; next_cursor: string | null }> {
    const offset = query.cursor
      ? (decodeCursor(query.cursor, (parts) => parts.length === 1 && cursorPart.int(parts[0], 1, maxOffset), 'is not a cursor from this search')[0] as number)
      : 0;
    const rows = await executeBound<Row>(this.em, searchStatement, [query.q, userId, query.limit + 1, offset]);
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
