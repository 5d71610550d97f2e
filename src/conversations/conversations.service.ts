// Conversations and their messages, always scoped to one user; deleted conversations are invisible.
import type { Conversation } from '../db/entities/index.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { pendingApproval, toConversationDto, toMessageDto } from './conversations.dto.ts';
import type { ConversationsRepository } from './conversations.repository.ts';
import type { ConversationDto, MessageDto, PendingApproval } from './conversations.schemas.ts';

/** What an edit or a regeneration changed: the messages that left, and the new reply's row. */
export interface Revision {
  conversation: Conversation;
  message: MessageDto;
  replyId: string;
  removed: string[];
}

/** Where conversation changes are announced (the realtime gateway turns them into socket events). */
export interface ConversationEventSink {
  conversationUpdated(userId: string, conversation: ConversationDto): void;
  conversationDeleted(userId: string, id: string): void;
}

/** A title from a first message: its first line, cut at a word boundary. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  if (line.length <= 60) return line || 'New conversation';
  const cut = line.slice(0, 60);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 30 ? cut.lastIndexOf(' ') : 60)}…`;
}

/** How many missed messages a `conversation:join` with `afterMessageId` returns at most. */
export const catchUpPage = 100;

/** A conversation list cursor: the last row's updated_at and id. */
const decodeConversationCursor = (cursor: string) =>
  decodeCursor(cursor, (parts) => parts.length === 2 && cursorPart.timestamp(parts[0]) && cursorPart.uuid(parts[1]), 'is not a cursor from this list');

export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly events: ConversationEventSink,
  ) {}

  async list(userId: string, query: { limit: number; cursor?: string }): Promise<{ conversations: ConversationDto[]; next_cursor: string | null }> {
    const rows = await this.conversations.page(userId, query.limit + 1, query.cursor ? decodeConversationCursor(query.cursor) : undefined);
    const conversations = rows.slice(0, query.limit);
    const last = await this.lastMessages(conversations.map((conversation) => conversation.id));
    const tail = conversations.at(-1);
    return {
      conversations: conversations.map((conversation) => toConversationDto(conversation, last.get(conversation.id))),
      next_cursor: rows.length > query.limit && tail ? encodeCursor([tail.updatedAt.toISOString(), tail.id]) : null,
    };
  }

  async create(userId: string, title: string | undefined): Promise<ConversationDto> {
    const conversation = this.conversations.create(userId, title ?? 'New conversation');
    await this.conversations.flush();
    const dto = toConversationDto(conversation, null);
    this.events.conversationUpdated(userId, dto);
    return dto;
  }

  /** The conversation if this user owns it and it is not deleted; NOT_FOUND otherwise. */
  async load(userId: string, id: string): Promise<Conversation> {
    const conversation = await this.conversations.find(userId, id);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  /**
   * Stores a user message and its reply's row (status streaming) in the user's conversation, or in
   * a new one titled after the message; both exist once this resolves.
   */
  async addExchange(
    userId: string,
    input: { conversationId?: string; content: string; clientId?: string; create?: boolean },
  ): Promise<{ conversation: Conversation; message: MessageDto; replyId: string }> {
    const target = input.conversationId
      ? { conversationId: input.conversationId, ...(input.create ? { title: titleFrom(input.content) } : {}) }
      : { title: titleFrom(input.content) };
    const stored = await this.conversations.addExchange(userId, target, input.content, input.clientId ?? null);
    if (!stored) throw notFound('Conversation');
    return { conversation: stored.conversation, message: toMessageDto(stored.message), replyId: stored.replyId };
  }

  /** Edits a user message of the user's: the messages after it leave, a new reply row follows it (see ConversationsRepository.revise). */
  async revise(userId: string, edit: { conversationId: string; messageId: string; content: string; clientId: string }): Promise<Revision> {
    const conversation = await this.load(userId, edit.conversationId);
    const revised = await this.conversations.revise(conversation, userId, edit);
    if (!revised)
      throw new AppError('VALIDATION_ERROR', 'Only your own messages can be edited', [
        { field: 'messageId', message: 'must be one of your messages in this conversation' },
      ]);
    return { conversation, message: toMessageDto(revised.message), replyId: revised.reply.id, removed: revised.removed };
  }

  /** Replaces the last reply of the user's conversation with a new reply row to the same message. */
  async regenerate(userId: string, conversationId: string, clientId: string): Promise<Omit<Revision, 'message'> & { reply: MessageDto }> {
    const conversation = await this.load(userId, conversationId);
    const regenerated = await this.conversations.regenerate(conversation, userId, clientId);
    if (!regenerated) throw notFound('Reply');
    return { conversation, reply: toMessageDto(regenerated.reply), replyId: regenerated.reply.id, removed: regenerated.removed };
  }

  /** The reply a regeneration with this clientId made, if there was one. */
  async findRegenerated(userId: string, clientId: string): Promise<{ conversationId: string; replyId: string } | undefined> {
    const reply = await this.conversations.findReplyByClientId(userId, clientId);
    return reply ? { conversationId: (reply.conversation as { id: string }).id, replyId: reply.id } : undefined;
  }

  /** Takes the user's answer to a held call, once: the id of the message that waited on it. CONFLICT when nothing waits on that call. */
  async claimApproval(userId: string, conversationId: string, toolCallId: string): Promise<{ conversation: Conversation; messageId: string }> {
    const conversation = await this.load(userId, conversationId);
    const messageId = await this.conversations.claimApproval(userId, conversationId, toolCallId);
    if (!messageId) throw new AppError('CONFLICT', 'This tool call is not waiting for an answer: it was answered already, or never held');
    return { conversation, messageId };
  }

  /** What was stored for a message sent with this clientId, or undefined; NOT_FOUND when its conversation was deleted since. */
  async findExchange(userId: string, clientId: string): Promise<{ conversation: Conversation; message: MessageDto; replyId: string } | undefined> {
    const found = await this.conversations.findByClientId(userId, clientId);
    if (!found) return undefined;
    const conversation = await this.load(userId, (found.message.conversation as { id: string }).id);
    if (!found.replyId) throw notFound('Reply');
    return { conversation, message: toMessageDto(found.message), replyId: found.replyId };
  }

  async rename(userId: string, id: string, title: string): Promise<ConversationDto> {
    const conversation = await this.load(userId, id);
    conversation.title = title;
    conversation.updatedAt = new Date();
    await this.conversations.flush();
    return this.announce(userId, conversation);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.conversations.softDelete(userId, id))) throw notFound('Conversation');
    this.events.conversationDeleted(userId, id);
  }

  /**
   * A page of messages, oldest first: ending just before `before` (or at the newest), or, with
   * `after`, starting just after it (a client catching up page by page; `has_more` says there is more after).
   */
  async messages(
    userId: string,
    conversationId: string,
    query: { before?: string; after?: string; limit: number },
  ): Promise<{ messages: MessageDto[]; has_more: boolean }> {
    await this.load(userId, conversationId);
    if (query.after) return (await this.after(conversationId, query.after, query.limit)) ?? { messages: [], has_more: false };
    return this.page(conversationId, query);
  }

  /**
   * What a client joining a conversation gets: the conversation and its latest page, or, with
   * `afterMessageId`, the first 100 messages after that one (what a reconnecting client missed;
   * `has_more` tells it to page on with `messages({ after })`). An anchor
   * that is not a message of this conversation is NOT_FOUND. `beforeRead` runs once the
   * user is known to own the conversation and before any message is read.
   */
  async open(
    userId: string,
    id: string,
    options: { afterMessageId?: string; beforeRead?: () => Promise<void> | void } = {},
  ): Promise<{ conversation: ConversationDto; messages: MessageDto[]; has_more: boolean; pending_approval: PendingApproval | null }> {
    const conversation = await this.load(userId, id);
    await options.beforeRead?.();
    const afterMessageId = options.afterMessageId;
    const [missed, held] = await Promise.all([
      afterMessageId ? this.after(id, afterMessageId, catchUpPage) : undefined,
      this.conversations.awaitingApproval(id),
    ]);
    // An anchor that is not (or no longer: edited away, regenerated) in the conversation: the client must reload the latest page.
    if (afterMessageId && !missed) throw notFound('Message');
    const pending_approval = held ? pendingApproval(toMessageDto(held)) : null;
    if (missed && (missed.messages.length === 0 || missed.has_more)) {
      return { conversation: toConversationDto(conversation, (await this.lastMessages([id])).get(id)), ...missed, pending_approval };
    }
    const page = missed ?? (await this.page(id, { limit: 50 }));
    return { conversation: toConversationDto(conversation, page.messages.at(-1)), ...page, pending_approval };
  }

  /** The whole conversation for an export: its messages oldest first, read a batch at a time as they are consumed. */
  async everything(userId: string, id: string, statementTimeoutMs: number): Promise<{ conversation: ConversationDto; messages: AsyncIterable<MessageDto[]> }> {
    const conversation = await this.load(userId, id);
    const last = (await this.lastMessages([id])).get(id);
    const batches = this.conversations.allInBatches(id, 200, statementTimeoutMs);
    const messages = (async function* () {
      for await (const rows of batches) yield rows.map(toMessageDto);
    })();
    return { conversation: toConversationDto(conversation, last), messages };
  }

  private async page(conversationId: string, query: { before?: string; limit: number }): Promise<{ messages: MessageDto[]; has_more: boolean }> {
    const rows = await this.conversations.latest(conversationId, query.limit + 1, query.before);
    return { messages: rows.slice(0, query.limit).reverse().map(toMessageDto), has_more: rows.length > query.limit };
  }

  /** Up to `limit` messages after the anchor, oldest first; undefined when the anchor is not of this conversation. */
  private async after(conversationId: string, anchorId: string, limit: number): Promise<{ messages: MessageDto[]; has_more: boolean } | undefined> {
    const rows = await this.conversations.after(conversationId, anchorId, limit + 1);
    return rows && { messages: rows.slice(0, limit).map(toMessageDto), has_more: rows.length > limit };
  }

  private async lastMessages(conversationIds: string[]): Promise<Map<string, MessageDto>> {
    const rows = await this.conversations.lastMessages(conversationIds);
    return new Map(rows.map((row) => [row.conversation as string, toMessageDto(row)]));
  }

  private async announce(userId: string, conversation: Conversation): Promise<ConversationDto> {
    const dto = toConversationDto(conversation, (await this.lastMessages([conversation.id])).get(conversation.id));
    this.events.conversationUpdated(userId, dto);
    return dto;
  }
}
