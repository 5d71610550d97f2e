// One chat turn from end to end: persist the user message, queue the reply per conversation,
// stream it through the agent, checkpoint it while it streams, and finalize it.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestContext } from '@mikro-orm/core';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { ConversationDto, MessageDto } from '../conversations/conversations.schemas.ts';
import { type ConversationEventSink, type ConversationsService, titleFrom, toConversationDto, toMessageDto } from '../conversations/conversations.service.ts';
import { Conversation, Message, type MessageStatus, type StoredToolCall, type StoredToolResult } from '../db/entities/index.ts';
import type { Orm } from '../db/orm.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { ActiveReply, type StreamingState } from './active-reply.ts';
import { runAgent, toolResultContent } from './agent.ts';
import { systemPrompt } from './prompts.ts';
import type { AssistantProvider, ChatMessage } from './provider.ts';
import { UserSlots } from './user-slots.ts';

export type { StreamingState } from './active-reply.ts';

/** Where a reply's progress is announced (the gateway emits it to the conversation's room). */
export interface ReplyEventSink {
  userMessage(conversationId: string, message: MessageDto): void;
  replyStarted(conversationId: string, messageId: string): void;
  replyDelta(conversationId: string, messageId: string, seq: number, text: string): void;
  toolCall(conversationId: string, messageId: string, call: StoredToolCall): void;
  toolResult(conversationId: string, messageId: string, result: StoredToolResult): void;
  replyDone(conversationId: string, message: MessageDto): void;
  replyError(conversationId: string, messageId: string, error: { code: string; message: string }): void;
}

export interface SentMessage {
  conversation: ConversationDto;
  message: MessageDto;
  assistantMessageId: string;
  /** True when this was a retry of an already stored message (nothing new was created). */
  duplicate: boolean;
  /** Settles with the final assistant message (or rejects with the reply's error); absent for a retry. */
  reply?: Promise<MessageDto>;
}

export interface SendInput {
  conversationId?: string;
  content: string;
  clientId?: string;
  /** Runs once the message is stored and before its reply can emit anything (e.g. join the room). */
  beforeReply?: (conversationId: string) => void;
}

export interface ChatServiceOptions {
  orm: Orm;
  provider: AssistantProvider;
  tasks: TasksService;
  conversations: ConversationsService;
  conversationEvents: ConversationEventSink;
  replies: ReplyEventSink;
  log: FastifyBaseLogger;
  /** How often a streaming reply's text is written to the database (about once a second). */
  checkpointMs?: number;
  /** A streaming row not written for this long belongs to a dead process and becomes `interrupted`. */
  staleAfterMs?: number;
  /** Replies generating at once per user on this instance (unlimited when absent); more wait their turn. */
  repliesPerUser?: number;
  /** A reply still generating after this long ends with PROVIDER_TIMEOUT (default 120 s). */
  replyTimeoutMs?: number;
}

const historyWindow = 30;
const leaseRetryMs = 200;
const shutdownReason = 'server shutting down';
const timeoutReason = 'reply took too long';

export class ChatService {
  /** Per conversation, its replies from the moment their message is stored: the first one streams, the rest wait. */
  private readonly active = new Map<string, ActiveReply[]>();
  private readonly slots: UserSlots | undefined;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly intake = new Map<string, Promise<unknown>>();
  private readonly checkpointMs: number;
  private readonly staleAfterMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  /** This process, as the owner of reply leases. */
  private readonly instanceId = randomUUID();

  constructor(private readonly options: ChatServiceOptions) {
    this.checkpointMs = options.checkpointMs ?? 1_000;
    this.staleAfterMs = options.staleAfterMs ?? 10_000;
    this.slots = options.repliesPerUser ? new UserSlots(options.repliesPerUser) : undefined;
  }

  private get em(): EntityManager {
    return this.options.orm.em as EntityManager;
  }

  /** Starts the checkpoint / heartbeat / stale-reply sweep loop. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), this.checkpointMs);
    this.timer.unref();
    void this.tick();
  }

  /** Ends every reply in progress as `interrupted` and waits (bounded) for them to be persisted. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    for (const replies of this.active.values()) for (const reply of replies) reply.controller.abort(shutdownReason);
    const pending = [...this.queues.values()];
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  /** The reply streaming in a conversation, or the next one to (seq −1 until its first delta). */
  streaming(conversationId: string): StreamingState | null {
    return this.active.get(conversationId)?.[0]?.snapshot() ?? null;
  }

  /** Ends the replies of a conversation, streaming or queued (stopped by its user, or deleted). */
  abort(conversationId: string): void {
    for (const reply of this.active.get(conversationId) ?? []) reply.controller.abort('stopped');
  }

  /** Stops the reply in progress in a conversation of this user (a no-op when none is running). */
  async stop(userId: string, conversationId: string): Promise<void> {
    await this.options.conversations.load(userId, conversationId);
    this.abort(conversationId);
  }

  /**
   * Stores a user message and queues its reply. A repeated clientId returns the stored message;
   * without a clientId every call is a new message, so its reply is always there to await.
   */
  send(userId: string, input: SendInput & { clientId?: undefined }): Promise<SentMessage & { reply: Promise<MessageDto> }>;
  send(userId: string, input: SendInput): Promise<SentMessage>;
  async send(userId: string, input: SendInput): Promise<SentMessage> {
    // Messages to one conversation are stored and queued one at a time, so the order they are
    // stored in is the order they are answered in.
    return input.conversationId ? this.serially(this.intake, input.conversationId, () => this.store(userId, input)) : this.store(userId, input);
  }

  private async store(userId: string, input: SendInput): Promise<SentMessage> {
    if (this.closing) throw new AppError('UNAVAILABLE', 'The server is restarting; try again in a moment');
    if (input.clientId) {
      const existing = await this.findSent(userId, input.clientId);
      if (existing) return existing;
    }
    const em = this.em;
    const conversation = input.conversationId
      ? await this.options.conversations.load(userId, input.conversationId)
      : em.create(Conversation, { user: userId, title: titleFrom(input.content) });
    const now = new Date();
    conversation.updatedAt = now;
    const userMessage = em.create(Message, {
      conversation,
      user: userId,
      role: 'user',
      content: input.content,
      status: 'complete',
      clientId: input.clientId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    // The reply's row exists from the start (status streaming) and sorts right after the user message.
    const assistantMessage = em.create(Message, {
      conversation,
      user: userId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      replyTo: userMessage.id,
      createdAt: new Date(now.getTime() + 1),
      updatedAt: now,
    });
    try {
      await em.flush();
    } catch (error) {
      // A concurrent retry with the same clientId won the race: answer as that one did.
      if (error instanceof UniqueConstraintViolationException && input.clientId) {
        em.clear();
        const existing = await this.findSent(userId, input.clientId);
        if (existing) return existing;
      }
      throw error;
    }
    const message = toMessageDto(userMessage);
    const conversationDto = toConversationDto(conversation, message);
    input.beforeReply?.(conversation.id);
    this.options.replies.userMessage(conversation.id, message);
    this.options.conversationEvents.conversationUpdated(userId, conversationDto);
    // Registered before anyone hears of the message: from the ack on, stop reaches it and join reports it.
    const active = new ActiveReply(conversation.id, assistantMessage.id);
    this.active.set(conversation.id, [...(this.active.get(conversation.id) ?? []), active]);
    const reply = this.enqueue(conversation.id, () => this.generate(userId, active));
    return { conversation: conversationDto, message, assistantMessageId: assistantMessage.id, duplicate: false, reply };
  }

  private async findSent(userId: string, clientId: string): Promise<SentMessage | undefined> {
    const em = this.em;
    const userMessage = await em.findOne(Message, { user: userId, clientId });
    if (!userMessage) return undefined;
    const conversation = await em.findOne(Conversation, { id: (userMessage.conversation as { id: string }).id, user: userId, deletedAt: null });
    const assistant = await em.findOne(Message, { replyTo: userMessage.id });
    if (!conversation || !assistant) throw new AppError('NOT_FOUND', 'The conversation of this message was deleted');
    const message = toMessageDto(userMessage);
    return { conversation: toConversationDto(conversation, message), message, assistantMessageId: assistant.id, duplicate: true };
  }

  /** Replies in one conversation run one at a time, in the order their messages were stored. */
  private enqueue(conversationId: string, job: () => Promise<MessageDto>): Promise<MessageDto> {
    return this.serially(this.queues, conversationId, job);
  }

  /** Runs `job` after every job queued before it under the same key. */
  private serially<T>(queues: Map<string, Promise<unknown>>, key: string, job: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(job, job);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  }

  private async generate(userId: string, reply: ActiveReply): Promise<MessageDto> {
    try {
      return await RequestContext.create(this.options.orm.em, () => this.runReply(userId, reply));
    } finally {
      const rest = (this.active.get(reply.conversationId) ?? []).filter((other) => other !== reply);
      if (rest.length) this.active.set(reply.conversationId, rest);
      else this.active.delete(reply.conversationId);
    }
  }

  private async runReply(userId: string, reply: ActiveReply): Promise<MessageDto> {
    const em = this.em;
    const placeholder = await em.findOne(Message, { id: reply.messageId });
    if (placeholder?.status !== 'streaming') throw new AppError('NOT_FOUND', 'The conversation was deleted');
    let release: (() => void) | undefined;
    try {
      release = await this.slots?.acquire(userId, reply.controller.signal);
    } catch {
      return this.endUnstarted(em, placeholder, reply);
    }
    try {
      const conversation = await this.claimLease(em, reply);
      // Stopped while queued, the server is closing, or the conversation was deleted meanwhile.
      if (!conversation) return await this.endUnstarted(em, placeholder, reply);
      try {
        return await this.streamReply(em, userId, conversation, placeholder, reply);
      } finally {
        await em
          .execute(`update conversations set reply_owner = null, reply_lease_until = null where id = ? and reply_owner = ?`, [
            reply.conversationId,
            this.instanceId,
          ])
          .catch((error: unknown) =>
            this.options.log.warn({ err: error, conversationId: reply.conversationId }, 'reply lease not released; it expires by itself'),
          );
      }
    } finally {
      release?.();
    }
  }

  /** A reply that never started: `stopped` when its user stopped it, `interrupted` otherwise. */
  private async endUnstarted(em: EntityManager, placeholder: Message, reply: ActiveReply): Promise<MessageDto> {
    placeholder.status = reply.controller.signal.reason === 'stopped' ? 'stopped' : 'interrupted';
    await em.flush();
    const dto = toMessageDto(placeholder);
    this.options.replies.replyDone(reply.conversationId, dto);
    return dto;
  }

  /**
   * Waits until this instance holds the conversation's reply lease, so that no two instances
   * generate replies in one conversation at once; returns the conversation, or undefined when the
   * server closes or the conversation is deleted meanwhile.
   */
  private async claimLease(em: EntityManager, reply: ActiveReply): Promise<Conversation | undefined> {
    const { conversationId } = reply;
    for (;;) {
      if (this.closing || reply.controller.signal.aborted) return undefined;
      const [claimed] = await em.execute(
        `update conversations set reply_owner = ?, reply_lease_until = now() + make_interval(secs => ?)
         where id = ? and deleted_at is null and (reply_owner is null or reply_owner = ? or reply_lease_until < now()) returning *`,
        [this.instanceId, this.staleAfterMs / 1000, conversationId, this.instanceId],
      );
      if (claimed) return em.map(Conversation, claimed);
      if ((await em.count(Conversation, { id: conversationId, deletedAt: null })) === 0) return undefined;
      await sleep(leaseRetryMs);
    }
  }

  private async streamReply(em: EntityManager, userId: string, conversation: Conversation, placeholder: Message, reply: ActiveReply): Promise<MessageDto> {
    const conversationId = conversation.id;
    const messageId = placeholder.id;
    const { replies } = this.options;
    replies.replyStarted(conversationId, messageId);
    let status: MessageStatus = 'complete';
    let failure: AppError | undefined;
    const deadline = setTimeout(() => reply.controller.abort(timeoutReason), this.options.replyTimeoutMs ?? 120_000);
    try {
      const history = await this.history(em, conversationId, placeholder.createdAt);
      await runAgent({
        provider: this.options.provider,
        messages: [{ role: 'system', content: systemPrompt(new Date()) }, ...history],
        context: { userId, tasks: this.options.tasks },
        signal: reply.controller.signal,
        sink: {
          text: (text) => {
            reply.seq += 1;
            reply.content += text;
            replies.replyDelta(conversationId, messageId, reply.seq, text);
          },
          toolCall: (call) => {
            reply.toolCalls.push(call);
            replies.toolCall(conversationId, messageId, call);
          },
          toolResult: (result) => {
            reply.toolResults.push(result);
            replies.toolResult(conversationId, messageId, result);
          },
        },
      });
    } catch (error) {
      const reason: unknown = reply.controller.signal.aborted ? reply.controller.signal.reason : undefined;
      if (reason === 'stopped' || reason === shutdownReason) {
        status = reason === shutdownReason ? 'interrupted' : 'stopped';
      } else {
        status = 'error';
        failure =
          reason === timeoutReason
            ? new AppError('PROVIDER_TIMEOUT', 'The reply took too long and was cut short')
            : error instanceof AppError
              ? error
              : new AppError('INTERNAL_ERROR', 'The assistant failed');
        // What the provider said stays in the log; the user gets the code and a plain sentence.
        if (!(error instanceof AppError) || error.cause) this.options.log.error({ err: error, conversationId, messageId }, 'assistant reply failed');
      }
    } finally {
      clearTimeout(deadline);
    }
    return this.finish(em, conversation, placeholder, reply, status, userId, failure);
  }

  private async finish(
    em: EntityManager,
    conversation: Conversation,
    message: Message,
    reply: ActiveReply,
    status: MessageStatus,
    userId: string,
    failure?: AppError,
  ): Promise<MessageDto> {
    Object.assign(message, {
      content: reply.content,
      status,
      toolCalls: reply.toolCalls.length ? reply.toolCalls : null,
      toolResults: reply.toolResults.length ? reply.toolResults : null,
    });
    conversation.updatedAt = new Date();
    await em.flush();
    const dto = toMessageDto(message);
    if (failure) {
      const body = toErrorBody(failure);
      this.options.replies.replyError(conversation.id, message.id, { code: body.code, message: body.message });
    } else {
      this.options.replies.replyDone(conversation.id, dto);
    }
    this.options.conversationEvents.conversationUpdated(userId, toConversationDto(conversation, dto));
    if (failure) throw failure;
    return dto;
  }

  /** The conversation as the model sees it: the latest messages before this reply. */
  private async history(em: EntityManager, conversationId: string, before: Date): Promise<ChatMessage[]> {
    // Read-only and on every turn: plain rows, no entity hydration.
    const rows = await em.execute<Pick<Message, 'role' | 'content' | 'toolCalls' | 'toolResults'>[]>(
      `select role, content, tool_calls as "toolCalls", tool_results as "toolResults" from messages
       where conversation_id = ? and created_at < ? and not (role = 'assistant' and status = 'streaming')
       order by created_at desc, id desc limit ?`,
      [conversationId, before, historyWindow],
    );
    return rows.reverse().flatMap((message): ChatMessage[] => {
      if (message.role === 'user') return [{ role: 'user', content: message.content }];
      const calls = message.toolCalls ?? [];
      const results = new Map((message.toolResults ?? []).map((result) => [result.tool_call_id, result]));
      const answered = calls.filter((call) => results.has(call.id));
      const turns: ChatMessage[] = [];
      if (answered.length) {
        turns.push({
          role: 'assistant',
          content: null,
          tool_calls: answered.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) })),
        });
        for (const call of answered) {
          const result = results.get(call.id)!;
          turns.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(result) });
        }
      }
      if (message.content) turns.push({ role: 'assistant', content: message.content });
      return turns;
    });
  }

  /**
   * Once a checkpoint period: writes the text of replies that changed, keeps every streaming row of
   * this process fresh, and marks rows nobody refreshed (their process died) as `interrupted`.
   */
  private async tick(): Promise<void> {
    const em = this.options.orm.em.fork();
    try {
      const changes = [...this.active.values()].flatMap((replies) => replies.flatMap((reply) => reply.checkpoint() ?? []));
      if (changes.length) {
        // One statement for every reply that changed, however many stream at once. `left(…, keep)`
        // makes it idempotent: a checkpoint sent again after a lost answer appends nothing twice.
        await em.execute(
          `update messages m set content = left(m.content, c.keep) || c.append,
             tool_calls = coalesce(c.tool_calls, m.tool_calls), tool_results = coalesce(c.tool_results, m.tool_results), updated_at = now()
           from json_to_recordset(?::json) as c(id uuid, keep int, append text, tool_calls jsonb, tool_results jsonb)
           where m.id = c.id and m.status = 'streaming'`,
          [JSON.stringify(changes.map((change) => change.checkpoint))],
        );
        for (const change of changes) change.saved();
      }
      // Database time throughout, so instances with skewed clocks agree on what is stale.
      const conversations = [...this.queues.keys()];
      if (conversations.length) {
        await em.execute(`update messages set updated_at = now() where status = 'streaming' and conversation_id in (?)`, [conversations]);
      }
      if (this.active.size) {
        await em.execute(`update conversations set reply_lease_until = now() + make_interval(secs => ?) where reply_owner = ? and id in (?)`, [
          this.staleAfterMs / 1000,
          this.instanceId,
          [...this.active.keys()],
        ]);
      }
      await em.execute(
        `update messages set status = 'interrupted'
         where status = 'streaming' and updated_at < now() - make_interval(secs => ?)${conversations.length ? ' and conversation_id not in (?)' : ''}`,
        conversations.length ? [this.staleAfterMs / 1000, conversations] : [this.staleAfterMs / 1000],
      );
    } catch (error) {
      this.options.log.warn({ err: error }, 'reply checkpoint failed');
    }
  }
}
