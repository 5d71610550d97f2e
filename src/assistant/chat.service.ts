// One chat turn from end to end: persist the user message, queue the reply per conversation,
// stream it through the agent, checkpoint it while it streams, and finalize it.
import { RequestContext } from '@mikro-orm/core';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { MessageDto, StreamingSnapshot } from '../conversations/conversations.schemas.ts';
import { type ConversationEventSink, type ConversationsService, toConversationDto, toMessageDto } from '../conversations/conversations.service.ts';
import { type Conversation, Message, type MessageStatus } from '../db/entities/index.ts';
import type { Orm } from '../db/orm.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import type { Listeners } from '../shared/listeners.ts';
import type { Logger } from '../shared/logger.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { runAgent } from './agent.ts';
import type { ReplyEventSink, SendInput, SentMessage } from './chat.types.ts';
import { systemPrompt } from './prompts.ts';
import type { AssistantProvider } from './provider.ts';
import type { ActiveReply } from './replies/active-reply.ts';
import { sweepStreamingRows, writeCheckpoints } from './replies/checkpoints.ts';
import { loadHistory } from './replies/history.ts';
import { KeyedQueue } from './replies/keyed-queue.ts';
import { ReplyLeases } from './replies/leases.ts';
import { ReplyRegistry } from './replies/registry.ts';
import { UserSlots } from './replies/user-slots.ts';

export type { ReplyEventSink, SendInput, SentMessage } from './chat.types.ts';

export interface ChatServiceOptions {
  orm: Orm;
  provider: AssistantProvider;
  tasks: TasksService;
  conversations: ConversationsService;
  conversationEvents: ConversationEventSink;
  replies: ReplyEventSink;
  /** Heard when a conversation is deleted: its replies end, here and on every instance. */
  conversationDeleted: Listeners<[conversationId: string]>;
  /** Asks the other instances to end a conversation's replies, should one of them be generating them. */
  stopOnPeers(conversationId: string): void;
  log: Logger;
  /** How often a streaming reply's text is written to the database (about once a second). */
  checkpointMs?: number;
  /** A streaming row not written for this long belongs to a dead process and becomes `interrupted`. */
  staleAfterMs?: number;
  /** Replies generating at once per user on this instance (unlimited when absent); more wait their turn. */
  repliesPerUser?: number;
  /** A reply still generating after this long ends with PROVIDER_TIMEOUT (default 120 s). */
  replyTimeoutMs?: number;
}

const shutdownReason = 'server shutting down';
const timeoutReason = 'reply took too long';

export class ChatService {
  private readonly active = new ReplyRegistry();
  private readonly slots: UserSlots | undefined;
  /** Messages to one conversation are stored one at a time, and its replies generated one at a time, in that order. */
  private readonly intake = new KeyedQueue();
  private readonly queue = new KeyedQueue();
  private readonly leases: ReplyLeases;
  private readonly staleAfterMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly options: ChatServiceOptions) {
    this.staleAfterMs = options.staleAfterMs ?? 10_000;
    this.slots = options.repliesPerUser ? new UserSlots(options.repliesPerUser) : undefined;
    this.leases = new ReplyLeases(this.staleAfterMs);
    options.conversationDeleted.on((conversationId) => this.stopEverywhere(conversationId));
  }

  private get em(): EntityManager {
    return this.options.orm.em as EntityManager;
  }

  /** Starts the checkpoint / heartbeat / stale-reply sweep loop. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.checkpointMs ?? 1_000);
    this.timer.unref();
    void this.tick();
  }

  /** Ends every reply in progress as `interrupted` and waits (bounded) for them to be persisted. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    this.active.abort(shutdownReason);
    await Promise.race([this.queue.drained(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  /** The reply streaming in a conversation, or the next one to (seq −1 until its first delta). */
  streaming(conversationId: string): StreamingSnapshot | null {
    return this.active.first(conversationId)?.snapshot() ?? null;
  }

  /** Ends the replies of a conversation, streaming or queued (stopped by its user, or deleted). */
  abort(conversationId: string): void {
    this.active.abort('stopped', conversationId);
  }

  /** Stops the replies of a conversation of this user, on whichever instance generates them (a no-op when none runs). */
  async stop(userId: string, conversationId: string): Promise<void> {
    await this.options.conversations.load(userId, conversationId);
    this.stopEverywhere(conversationId);
  }

  private stopEverywhere(conversationId: string): void {
    this.abort(conversationId);
    // The reply may be generating on another instance (the tab's message went there).
    this.options.stopOnPeers(conversationId);
  }

  /**
   * Stores a user message and queues its reply. A repeated clientId returns the stored message;
   * without a clientId every call is a new message, so its reply is always there to await.
   */
  send(userId: string, input: SendInput & { clientId?: undefined }): Promise<SentMessage & { reply: Promise<MessageDto> }>;
  send(userId: string, input: SendInput): Promise<SentMessage>;
  async send(userId: string, input: SendInput): Promise<SentMessage> {
    // Stored and queued one at a time per conversation: the order stored is the order answered.
    return input.conversationId ? this.intake.run(input.conversationId, () => this.store(userId, input)) : this.store(userId, input);
  }

  private async store(userId: string, input: SendInput): Promise<SentMessage> {
    if (this.closing) throw new AppError('UNAVAILABLE', 'The server is restarting; try again in a moment');
    if (input.clientId) {
      const existing = await this.findSent(userId, input.clientId);
      if (existing) return existing;
    }
    let stored: Awaited<ReturnType<ConversationsService['addExchange']>>;
    try {
      stored = await this.options.conversations.addExchange(userId, input);
    } catch (error) {
      // A concurrent retry with the same clientId won the race: answer as that one did.
      const existing = error instanceof UniqueConstraintViolationException && input.clientId ? await this.findSent(userId, input.clientId) : undefined;
      if (existing) return existing;
      throw error;
    }
    const { conversation, message } = stored;
    const conversationDto = toConversationDto(conversation, message);
    input.beforeReply?.(conversation.id);
    this.options.replies.userMessage(conversation.id, message);
    this.options.conversationEvents.conversationUpdated(userId, conversationDto);
    // Registered before anyone hears of the message: from the ack on, stop reaches it and join reports it.
    const active = this.active.add(conversation.id, stored.replyId);
    const reply = this.queue.run(conversation.id, () => this.generate(userId, active));
    return { conversation: conversationDto, message, assistantMessageId: stored.replyId, duplicate: false, reply };
  }

  private async findSent(userId: string, clientId: string): Promise<SentMessage | undefined> {
    const found = await this.options.conversations.findExchange(userId, clientId);
    if (!found) return undefined;
    return { conversation: toConversationDto(found.conversation, found.message), message: found.message, assistantMessageId: found.replyId, duplicate: true };
  }

  private async generate(userId: string, reply: ActiveReply): Promise<MessageDto> {
    try {
      return await RequestContext.create(this.options.orm.em, () => this.runReply(userId, reply));
    } finally {
      this.active.remove(reply);
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
      const conversation = await this.leases.claim(em, reply.conversationId, () => this.closing || reply.controller.signal.aborted);
      // Stopped while queued, the server is closing, or the conversation was deleted meanwhile.
      if (!conversation) return await this.endUnstarted(em, placeholder, reply);
      try {
        return await this.streamReply(em, userId, conversation, placeholder, reply);
      } finally {
        await this.leases
          .release(em, reply.conversationId)
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

  private async streamReply(em: EntityManager, userId: string, conversation: Conversation, placeholder: Message, reply: ActiveReply): Promise<MessageDto> {
    const conversationId = conversation.id;
    const messageId = placeholder.id;
    const { replies } = this.options;
    replies.replyStarted(conversationId, messageId);
    let status: MessageStatus = 'complete';
    let failure: AppError | undefined;
    const deadline = setTimeout(() => reply.controller.abort(timeoutReason), this.options.replyTimeoutMs ?? 120_000);
    try {
      const [history, timeZone] = await Promise.all([loadHistory(em, conversationId, placeholder.createdAt), this.options.tasks.timeZone(userId)]);
      const now = new Date();
      await runAgent({
        provider: this.options.provider,
        messages: [{ role: 'system', content: systemPrompt(now, timeZone) }, ...history],
        context: { userId, timeZone, tasks: this.options.tasks },
        now,
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

  /**
   * Once a checkpoint period: writes the text of replies that changed, keeps every streaming row of
   * this process fresh, and marks rows nobody refreshed (their process died) as `interrupted`.
   */
  private async tick(): Promise<void> {
    const em = this.options.orm.em.fork();
    try {
      const changes = this.active.all().flatMap((reply) => reply.checkpoint() ?? []);
      await writeCheckpoints(
        em,
        changes.map((change) => change.checkpoint),
      );
      for (const change of changes) change.saved();
      await sweepStreamingRows(em, this.queue.keys(), this.staleAfterMs);
      await this.leases.renew(em, this.active.conversations());
    } catch (error) {
      this.options.log.warn({ err: error }, 'reply checkpoint failed');
    }
  }
}
