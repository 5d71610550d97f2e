// One chat turn from end to end: persist the user message, queue the reply per conversation,
// stream it through the agent, checkpoint it while it streams, and finalize it.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestContext } from '@mikro-orm/core';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { Conversation, Message, type MessageStatus, type StoredToolCall, type StoredToolResult } from '../db/entities/index.ts';
import type { Orm } from '../db/orm.ts';
import type { ConversationDto, MessageDto } from '../conversations/conversations.schemas.ts';
import { titleFrom, toConversationDto, toMessageDto, type ConversationEventSink, type ConversationsService } from '../conversations/conversations.service.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import { runAgent } from './agent.ts';
import type { AssistantProvider, ChatMessage } from './provider.ts';
import { systemPrompt } from './prompts.ts';

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

export interface StreamingState {
  messageId: string;
  seq: number;
  content: string;
  tool_calls: StoredToolCall[] | null;
  tool_results: StoredToolResult[] | null;
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
}

const historyWindow = 30;
const leaseRetryMs = 200;
const shutdownReason = 'server shutting down';

/** What a checkpoint writes for one reply: the text after the first `keep` characters, and tools when they changed. */
interface Checkpoint {
  id: string;
  keep: number;
  append: string;
  tool_calls: StoredToolCall[] | null;
  tool_results: StoredToolResult[] | null;
}

const countCharacters = (text: string) => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

class ActiveReply {
  readonly controller = new AbortController();
  seq = -1;
  content = '';
  toolCalls: StoredToolCall[] = [];
  toolResults: StoredToolResult[] = [];
  /** What the database holds: content up to this UTF-16 index (that many characters), this many tool entries. */
  private saved = { units: 0, characters: 0, tools: 0 };

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
  ) {}

  /**
   * The change since the last checkpoint (undefined when none), with the function that records it
   * as saved. Only new text travels, so a checkpoint costs the same at the first word and the last.
   */
  checkpoint(): { checkpoint: Checkpoint; saved: () => void } | undefined {
    const units = this.content.length;
    const tools = this.toolCalls.length + this.toolResults.length;
    if (units === this.saved.units && tools === this.saved.tools) return undefined;
    const append = this.content.slice(this.saved.units);
    const toolsChanged = tools !== this.saved.tools;
    return {
      checkpoint: {
        id: this.messageId,
        keep: this.saved.characters,
        append,
        tool_calls: toolsChanged && this.toolCalls.length ? this.toolCalls : null,
        tool_results: toolsChanged && this.toolResults.length ? this.toolResults : null,
      },
      saved: () => {
        this.saved = { units, characters: this.saved.characters + countCharacters(append), tools };
      },
    };
  }

  snapshot(): StreamingState {
    return {
      messageId: this.messageId,
      seq: this.seq,
      content: this.content,
      tool_calls: this.toolCalls.length ? [...this.toolCalls] : null,
      tool_results: this.toolResults.length ? [...this.toolResults] : null,
    };
  }
}

export class ChatService {
  private readonly active = new Map<string, ActiveReply>();
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
    for (const reply of this.active.values()) reply.controller.abort(shutdownReason);
    const pending = [...this.queues.values()];
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  streaming(conversationId: string): StreamingState | null {
    return this.active.get(conversationId)?.snapshot() ?? null;
  }

  /** Ends the reply in progress of a conversation (stopped by its user, or deleted). */
  abort(conversationId: string): void {
    this.active.get(conversationId)?.controller.abort('stopped');
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
    const userMessage = em.create(Message, { conversation, user: userId, role: 'user', content: input.content, status: 'complete', clientId: input.clientId ?? null, createdAt: now, updatedAt: now });
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
    const reply = this.enqueue(conversation.id, () => this.generate(userId, conversation.id, assistantMessage.id));
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

  private async generate(userId: string, conversationId: string, messageId: string): Promise<MessageDto> {
    return RequestContext.create(this.options.orm.em, () => this.runReply(userId, conversationId, messageId));
  }

  private async runReply(userId: string, conversationId: string, messageId: string): Promise<MessageDto> {
    const em = this.em;
    const placeholder = await em.findOne(Message, { id: messageId });
    if (!placeholder || placeholder.status !== 'streaming') throw new AppError('NOT_FOUND', 'The conversation was deleted');
    const conversation = await this.claimLease(em, conversationId);
    if (!conversation) {
      // The server is closing, or the conversation was deleted while this reply waited its turn.
      placeholder.status = 'interrupted';
      await em.flush();
      return toMessageDto(placeholder);
    }
    try {
      return await this.streamReply(em, userId, conversation, placeholder);
    } finally {
      await em
        .execute(`update conversations set reply_owner = null, reply_lease_until = null where id = ? and reply_owner = ?`, [conversationId, this.instanceId])
        .catch((error: unknown) => this.options.log.warn({ err: error, conversationId }, 'reply lease not released; it expires by itself'));
    }
  }

  /**
   * Waits until this instance holds the conversation's reply lease, so that no two instances
   * generate replies in one conversation at once; returns the conversation, or undefined when the
   * server closes or the conversation is deleted meanwhile.
   */
  private async claimLease(em: EntityManager, conversationId: string): Promise<Conversation | undefined> {
    for (;;) {
      if (this.closing) return undefined;
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

  private async streamReply(em: EntityManager, userId: string, conversation: Conversation, placeholder: Message): Promise<MessageDto> {
    const conversationId = conversation.id;
    const messageId = placeholder.id;
    const reply = new ActiveReply(conversationId, messageId);
    this.active.set(conversationId, reply);
    const { replies } = this.options;
    replies.replyStarted(conversationId, messageId);
    let status: MessageStatus = 'complete';
    let failure: AppError | undefined;
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
      if (reply.controller.signal.aborted) {
        status = reply.controller.signal.reason === shutdownReason ? 'interrupted' : 'stopped';
      } else {
        status = 'error';
        failure = error instanceof AppError ? error : new AppError('INTERNAL_ERROR', 'The assistant failed');
        if (!(error instanceof AppError)) this.options.log.error({ err: error, conversationId, messageId }, 'assistant reply failed');
      }
    }
    try {
      return await this.finish(em, conversation, placeholder, reply, status, userId, failure);
    } finally {
      if (this.active.get(conversationId) === reply) this.active.delete(conversationId);
    }
  }

  private async finish(em: EntityManager, conversation: Conversation, message: Message, reply: ActiveReply, status: MessageStatus, userId: string, failure?: AppError): Promise<MessageDto> {
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
        turns.push({ role: 'assistant', content: null, tool_calls: answered.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) })) });
        for (const call of answered) {
          const result = results.get(call.id)!;
          turns.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result.ok ? result.result : { error: result.error }) });
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
      const changes = [...this.active.values()].flatMap((reply) => reply.checkpoint() ?? []);
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
