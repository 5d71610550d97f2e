// Conversations and their messages, always scoped to one user; deleted conversations are invisible.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation, Message } from '../db/entities/index.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { ConversationDto, MessageDto } from './conversations.schemas.ts';

/** Where conversation changes are announced (the realtime gateway turns them into socket events). */
export interface ConversationEventSink {
  conversationUpdated(userId: string, conversation: ConversationDto): void;
  conversationDeleted(userId: string, id: string): void;
}

const refId = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);

export function toMessageDto(message: Message): MessageDto {
  return {
    id: message.id,
    conversation_id: refId(message.conversation),
    role: message.role,
    content: message.content,
    status: message.status,
    tool_calls: message.toolCalls ?? null,
    tool_results: message.toolResults ?? null,
    created_at: message.createdAt.toISOString(),
  };
}

export function toConversationDto(conversation: Conversation, lastMessage: Message | null | undefined): ConversationDto {
  return {
    id: conversation.id,
    title: conversation.title,
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
    last_message: lastMessage ? toMessageDto(lastMessage) : null,
  };
}

/** A title from a first message: its first line, cut at a word boundary. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  if (line.length <= 60) return line || 'New conversation';
  const cut = line.slice(0, 60);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 30 ? cut.lastIndexOf(' ') : 60)}…`;
}

const invalidCursor = () => new AppError('VALIDATION_ERROR', 'Invalid cursor', [{ field: 'cursor', message: 'is not a cursor from this list' }]);

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string') && !Number.isNaN(Date.parse(value[0]))) {
      return value as [string, string];
    }
  } catch {
    // reported below
  }
  throw invalidCursor();
}

export class ConversationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: ConversationEventSink,
  ) {}

  async list(userId: string, query: { limit: number; cursor?: string }): Promise<{ conversations: ConversationDto[]; next_cursor: string | null }> {
    const params: unknown[] = [userId];
    let after = '';
    if (query.cursor) {
      after = 'and (c.updated_at, c.id) < (?::timestamptz, ?::uuid)';
      params.push(...decodeCursor(query.cursor));
    }
    const rows = await this.em.execute(
      `select c.* from conversations c where c.user_id = ? and c.deleted_at is null ${after} order by c.updated_at desc, c.id desc limit ?`,
      [...params, query.limit + 1],
    );
    const conversations = rows.slice(0, query.limit).map((row) => this.em.map(Conversation, row));
    const last = await this.lastMessages(conversations.map((conversation) => conversation.id));
    const tail = conversations.at(-1);
    return {
      conversations: conversations.map((conversation) => toConversationDto(conversation, last.get(conversation.id))),
      next_cursor: rows.length > query.limit && tail ? Buffer.from(JSON.stringify([tail.updatedAt.toISOString(), tail.id])).toString('base64url') : null,
    };
  }

  async create(userId: string, title: string | undefined): Promise<ConversationDto> {
    const conversation = this.em.create(Conversation, { user: userId, title: title ?? 'New conversation' });
    await this.em.flush();
    const dto = toConversationDto(conversation, null);
    this.events.conversationUpdated(userId, dto);
    return dto;
  }

  /** The conversation if this user owns it and it is not deleted; NOT_FOUND otherwise. */
  async load(userId: string, id: string): Promise<Conversation> {
    const conversation = await this.em.findOne(Conversation, { id, user: userId, deletedAt: null });
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  async get(userId: string, id: string): Promise<ConversationDto> {
    const conversation = await this.load(userId, id);
    return toConversationDto(conversation, (await this.lastMessages([id])).get(id));
  }

  async rename(userId: string, id: string, title: string): Promise<ConversationDto> {
    const conversation = await this.load(userId, id);
    conversation.title = title;
    conversation.updatedAt = new Date();
    await this.em.flush();
    return this.announce(userId, conversation);
  }

  async remove(userId: string, id: string): Promise<void> {
    const deleted = await this.em.nativeUpdate(Conversation, { id, user: userId, deletedAt: null }, { deletedAt: new Date() });
    if (deleted === 0) throw notFound('Conversation');
    this.events.conversationDeleted(userId, id);
  }

  /** A page of messages, oldest first, ending just before `before` (or at the newest). */
  async messages(userId: string, conversationId: string, query: { before?: string; limit: number }): Promise<{ messages: MessageDto[]; has_more: boolean }> {
    await this.load(userId, conversationId);
    const params: unknown[] = [conversationId];
    let before = '';
    if (query.before) {
      before = 'and (m.created_at, m.id) < (select b.created_at, b.id from messages b where b.id = ? and b.conversation_id = ?)';
      params.push(query.before, conversationId);
    }
    const rows = await this.em.execute(
      `select m.* from messages m where m.conversation_id = ? ${before} order by m.created_at desc, m.id desc limit ?`,
      [...params, query.limit + 1],
    );
    const page = rows.slice(0, query.limit).reverse().map((row) => toMessageDto(this.em.map(Message, row)));
    return { messages: page, has_more: rows.length > query.limit };
  }

  /**
   * Every message after the given one, oldest first (up to 1,000): what a reconnecting client
   * missed. Undefined when that message is not one of this conversation's.
   */
  async messagesAfter(userId: string, conversationId: string, afterMessageId: string): Promise<MessageDto[] | undefined> {
    await this.load(userId, conversationId);
    const rows = await this.em.execute(
      `select m.* from messages m where m.conversation_id = ?
         and (m.created_at, m.id) > (select a.created_at, a.id from messages a where a.id = ? and a.conversation_id = ?)
       order by m.created_at, m.id limit 1000`,
      [conversationId, afterMessageId, conversationId],
    );
    if (rows.length === 0 && !(await this.em.count(Message, { id: afterMessageId, conversation: conversationId }))) return undefined;
    return rows.map((row) => toMessageDto(this.em.map(Message, row)));
  }

  private async lastMessages(conversationIds: string[]): Promise<Map<string, Message>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.em.execute(
      `select distinct on (m.conversation_id) m.* from messages m where m.conversation_id in (?)
       order by m.conversation_id, m.created_at desc, m.id desc`,
      [conversationIds],
    );
    return new Map(rows.map((row) => [row.conversation_id as string, this.em.map(Message, row)]));
  }

  private async announce(userId: string, conversation: Conversation): Promise<ConversationDto> {
    const dto = toConversationDto(conversation, (await this.lastMessages([conversation.id])).get(conversation.id));
    this.events.conversationUpdated(userId, dto);
    return dto;
  }
}
