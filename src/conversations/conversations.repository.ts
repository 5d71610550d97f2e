// The SQL of conversations and their messages. A deleted conversation (soft delete) is invisible:
// the entity's `live` filter leaves it out of every find, and the raw queries here say so themselves.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation, Message } from '../db/entities/index.ts';
import { boundValues, executeBound, withStatementTimeout } from '../db/sql.ts';
import type { Timestamp } from '../shared/timestamps.ts';

/** A message as an entity, or as a row selected with `messageColumns` (reads skip entity hydration). */
export type MessageFields = Pick<Message, 'id' | 'role' | 'content' | 'status' | 'toolCalls' | 'toolResults'> & {
  conversation: string | { id: string };
  createdAt: Timestamp;
};

/** The columns of `messages m`, named as the entity's properties. */
const messageColumns = `m.id, m.conversation_id as conversation, m.role, coalesce(m.draft, m.content) as content, m.status,
  m.tool_calls as "toolCalls", m.tool_results as "toolResults", m.created_at as "createdAt"`;

export class ConversationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** A user's conversations, most recently updated first, after the (updated_at, id) of `after`. */
  async page(userId: string, limit: number, after?: readonly unknown[]): Promise<Conversation[]> {
    const rows = await executeBound<Record<string, unknown>>(
      this.em,
      `select c.* from conversations c where c.user_id = $1 and c.deleted_at is null
       ${after ? 'and (c.updated_at, c.id) < ($3::timestamptz, $4::uuid)' : ''} order by c.updated_at desc, c.id desc limit $2`,
      [userId, limit, ...(after ?? [])],
    );
    return rows.map((row) => this.em.map(Conversation, row));
  }

  create(userId: string, title: string): Conversation {
    return this.em.create(Conversation, { user: userId, title });
  }

  find(userId: string, id: string): Promise<Conversation | null> {
    return this.em.findOne(Conversation, { id, user: userId });
  }

  flush(): Promise<void> {
    return this.em.flush();
  }

  /**
   * A user message and its reply's row (status streaming, sorting right after it) stored in one
   * statement, in the user's live conversation (which they bump) or in a new one with `title`.
   * Undefined when the user has no such live conversation; a clientId used before fails the whole
   * statement with a unique violation.
   */
  async addExchange(
    userId: string,
    target: { conversationId: string; title?: string } | { title: string },
    content: string,
    clientId: string | null,
  ): Promise<{ conversation: Conversation; message: MessageFields; replyId: string } | undefined> {
    const now = new Date();
    const messageId = randomUUID();
    const replyId = randomUUID();
    const { bind, values } = boundValues();
    const [at, user, messageRef] = [bind(now), bind(userId), bind(messageId)];
    const conversationSql =
      'conversationId' in target && target.title !== undefined
        ? // Made on first use with the id the client chose (an AI SDK chat's), the user's own once it exists.
          `insert into conversations (id, user_id, title, created_at, updated_at) values (${bind(target.conversationId)}, ${user}, ${bind(target.title)}, ${at}, ${at})
           on conflict (id) do update set updated_at = greatest(excluded.updated_at, conversations.updated_at + interval '2 milliseconds')
           where conversations.user_id = ${user} and conversations.deleted_at is null returning *`
        : 'conversationId' in target
          ? `update conversations set updated_at = greatest(${at}::timestamptz, updated_at + interval '2 milliseconds')
             where id = ${bind(target.conversationId)} and user_id = ${user} and deleted_at is null returning *`
          : `insert into conversations (id, user_id, title, created_at, updated_at) values (${bind(randomUUID())}, ${user}, ${bind(target.title)}, ${at}, ${at}) returning *`;
    // The values in the select lists are cast: a bound value there is text unless told otherwise.
    // The exchange is stamped with the conversation's new updated_at: the row's lock orders sends to one
    // conversation, and each moves it on by 2 ms at least, so two sends in the same millisecond still
    // sort message, reply, message, reply.
    const [row] = await executeBound<Record<string, unknown>>(
      this.em,
      `with c as (${conversationSql}),
         m as (insert into messages (id, conversation_id, user_id, role, content, status, client_id, created_at)
               select ${messageRef}::uuid, c.id, ${user}::uuid, 'user', ${bind(content)}::text, 'complete', ${bind(clientId)}::uuid, c.updated_at from c),
         r as (insert into messages (id, conversation_id, user_id, role, content, status, reply_to, created_at)
               select ${bind(replyId)}::uuid, c.id, ${user}::uuid, 'assistant', '', 'streaming', ${messageRef}::uuid, c.updated_at + interval '1 millisecond' from c)
       select * from c`,
      values,
    );
    if (!row) return undefined;
    const conversation = this.em.map(Conversation, row);
    const message = {
      id: messageId,
      conversation: conversation.id,
      role: 'user',
      content,
      status: 'complete',
      toolCalls: null,
      toolResults: null,
      createdAt: conversation.updatedAt,
    } as const;
    return { conversation, message, replyId };
  }

  /**
   * An edit: the user message gets new content (and the edit's clientId), every message after it
   * is deleted, and a new reply row follows it; all in one transaction. Undefined when the message
   * is not a user message of this user in this conversation.
   */
  async revise(
    conversation: Conversation,
    userId: string,
    edit: { messageId: string; content: string; clientId: string },
  ): Promise<{ message: Message; reply: Message; removed: string[] } | undefined> {
    return this.em.transactional(async (em) => {
      const message = await em.findOne(Message, { id: edit.messageId, user: userId, conversation, role: 'user' });
      if (!message) return undefined;
      const removed = await this.removeFrom(em, conversation.id, message, false);
      Object.assign(message, { content: edit.content, clientId: edit.clientId });
      const reply = this.newReply(em, conversation, userId, message.id, new Date(message.createdAt.getTime() + 1), null);
      conversation.updatedAt = new Date();
      await em.flush();
      return { message, reply, removed };
    });
  }

  /** A regeneration: the last reply (and anything after it) is deleted and a new reply row answers the same user message. */
  async regenerate(conversation: Conversation, userId: string, clientId: string): Promise<{ reply: Message; removed: string[] } | undefined> {
    return this.em.transactional(async (em) => {
      const last = await em.findOne(Message, { conversation, role: 'assistant', replyTo: { $ne: null } }, { orderBy: { createdAt: 'desc', id: 'desc' } });
      if (!last?.replyTo) return undefined;
      const removed = await this.removeFrom(em, conversation.id, last, true);
      const reply = this.newReply(em, conversation, userId, last.replyTo, last.createdAt, clientId);
      conversation.updatedAt = new Date();
      await em.flush();
      return { reply, removed };
    });
  }

  /** Deletes the messages after `anchor` (and `anchor` itself when inclusive); their ids, oldest first. */
  private async removeFrom(em: EntityManager, conversationId: string, anchor: Message, inclusive: boolean): Promise<string[]> {
    const rows = await executeBound<{ id: string; created_at: Date }>(
      em,
      `delete from messages where conversation_id = $1 and (created_at, id) ${inclusive ? '>=' : '>'} ($2::timestamptz, $3::uuid) returning id, created_at`,
      [conversationId, anchor.createdAt, anchor.id],
    );
    return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime()).map((row) => row.id);
  }

  private newReply(em: EntityManager, conversation: Conversation, userId: string, replyTo: string, createdAt: Date, clientId: string | null): Message {
    return em.create(Message, {
      conversation,
      user: userId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      replyTo,
      clientId,
      createdAt,
    });
  }

  /** A regenerated reply made with this clientId by this user. */
  findReplyByClientId(userId: string, clientId: string): Promise<Message | null> {
    return this.em.findOne(Message, { user: userId, clientId, role: 'assistant' });
  }

  /** A message sent with this clientId by this user, with its reply's id. */
  async findByClientId(userId: string, clientId: string): Promise<{ message: Message; replyId: string | undefined } | undefined> {
    const message = await this.em.findOne(Message, { user: userId, clientId });
    if (!message) return undefined;
    const reply = await this.em.findOne(Message, { replyTo: message.id }, { fields: ['id'] });
    return { message, replyId: reply?.id };
  }

  /** Marks it deleted; false when the user has no such live conversation. */
  async softDelete(userId: string, id: string): Promise<boolean> {
    return (await this.em.nativeUpdate(Conversation, { id, user: userId, deletedAt: null }, { deletedAt: new Date() })) > 0;
  }

  /** Up to `limit` messages, newest first, before the message `before` (or from the newest). */
  latest(conversationId: string, limit: number, before?: string): Promise<MessageFields[]> {
    return executeBound<MessageFields>(
      this.em,
      `select ${messageColumns} from messages m where m.conversation_id = $1
       ${before ? 'and (m.created_at, m.id) < (select b.created_at, b.id from messages b where b.id = $3 and b.conversation_id = $1)' : ''}
       order by m.created_at desc, m.id desc limit $2`,
      [conversationId, limit, ...(before ? [before] : [])],
    );
  }

  /** Up to `limit` messages, oldest first, after the anchor; undefined when the anchor is not of this conversation. */
  async after(conversationId: string, anchorId: string, limit: number): Promise<MessageFields[] | undefined> {
    const rows = await executeBound<MessageFields>(
      this.em,
      `select ${messageColumns} from messages m where m.conversation_id = $1
         and (m.created_at, m.id) > (select a.created_at, a.id from messages a where a.id = $2 and a.conversation_id = $1)
       order by m.created_at, m.id limit $3`,
      [conversationId, anchorId, limit],
    );
    if (rows.length === 0 && (await this.em.count(Message, { id: anchorId, conversation: conversationId })) === 0) return undefined;
    return rows;
  }

  /** The message of a conversation that waits for its user's approval, if one does. */
  async awaitingApproval(conversationId: string): Promise<MessageFields | undefined> {
    const [row] = await executeBound<MessageFields>(
      this.em,
      `select ${messageColumns} from messages m where m.conversation_id = $1 and m.status = 'awaiting_approval' order by m.created_at desc limit 1`,
      [conversationId],
    );
    return row;
  }

  /**
   * Takes a held call's answer: the message waiting on `toolCallId` goes back to streaming, once;
   * undefined when no message of this user waits on that call (already answered, or never held).
   */
  async claimApproval(userId: string, conversationId: string, toolCallId: string): Promise<string | undefined> {
    const [row] = await executeBound<{ id: string }>(
      this.em,
      `update messages set status = 'streaming', updated_at = now()
        where conversation_id = $1 and user_id = $2 and status = 'awaiting_approval'
          and tool_calls @> jsonb_build_array(jsonb_build_object('id', $3::text))
          and not coalesce(tool_results, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('tool_call_id', $3::text))
        returning id`,
      [conversationId, userId, toolCallId],
    );
    return row?.id;
  }

  /**
   * Every message of a conversation, oldest first, `size` at a time, each batch one statement that
   * PostgreSQL cancels after `timeoutMs`; on an EntityManager of its own (an export is read as it is sent).
   */
  async *allInBatches(conversationId: string, size: number, timeoutMs: number): AsyncGenerator<MessageFields[]> {
    const em = this.em.fork();
    for (let after: MessageFields | undefined; ; ) {
      const rows = await withStatementTimeout(em, timeoutMs, (tx) =>
        executeBound<MessageFields>(
          tx,
          `select ${messageColumns} from messages m where m.conversation_id = $1 ${after ? 'and (m.created_at, m.id) > ($3::timestamptz, $4::uuid)' : ''}
           order by m.created_at, m.id limit $2`,
          [conversationId, size, ...(after ? [after.createdAt, after.id] : [])],
        ),
      );
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      after = rows.at(-1);
    }
  }

  /** The newest message of each conversation: one index probe per conversation, however long it is. */
  async lastMessages(conversationIds: string[]): Promise<MessageFields[]> {
    if (conversationIds.length === 0) return [];
    return executeBound<MessageFields>(
      this.em,
      `select ${messageColumns} from unnest($1::uuid[]) as c(id)
       cross join lateral (select * from messages x where x.conversation_id = c.id order by x.created_at desc, x.id desc limit 1) m`,
      [conversationIds],
    );
  }
}
