// One chat turn from end to end: persist the user message, queue the reply per conversation, and
// hand it to the runner (replies are generated in reply-runner.ts and kept durable in replies/upkeep.ts).
import { RequestContext } from '@mikro-orm/core';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { toConversationDto } from '../conversations/conversations.dto.ts';
import type { MessageDto, StreamingSnapshot } from '../conversations/conversations.schemas.ts';
import type { ConversationEventSink, ConversationsService } from '../conversations/conversations.service.ts';
import type { Conversation } from '../db/entities/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Listeners } from '../shared/listeners.ts';
import type { ApproveInput, EditInput, SendInput, SentMessage } from './chat.types.ts';
import type { ActiveReply } from './replies/active-reply.ts';
import { KeyedQueue } from './replies/keyed-queue.ts';
import { ReplyLeases } from './replies/leases.ts';
import { ReplyRegistry } from './replies/registry.ts';
import { ReplyUpkeep } from './replies/upkeep.ts';
import { UserSlots } from './replies/user-slots.ts';
import { ReplyRunner, type ReplyRunnerDeps, shutdownReason } from './reply-runner.ts';
import { markStage } from './turn-stages.ts';

export type { ApproveInput, EditInput, ReplyEventSink, SendInput, SentMessage } from './chat.types.ts';

export interface ChatServiceOptions extends ReplyRunnerDeps {
  conversations: ConversationsService;
  conversationEvents: ConversationEventSink;
  /** Heard when a conversation is deleted: its replies end, here and on every instance. */
  conversationDeleted: Listeners<[conversationId: string]>;
  /** Asks the other instances to end a conversation's replies, should one of them be generating them. */
  stopOnPeers(conversationId: string): void;
  /** How often a streaming reply's text is written to the database (about once a second). */
  checkpointMs?: number;
  /** A streaming row not written for this long belongs to a dead process and becomes `interrupted`. */
  staleAfterMs?: number;
  /** Replies generating at once per user on this instance (unlimited when absent); more wait their turn. */
  repliesPerUser?: number;
}

export class ChatService {
  private readonly active = new ReplyRegistry();
  private readonly slots: UserSlots | undefined;
  /** Messages to one conversation are stored one at a time, and its replies generated one at a time, in that order. */
  private readonly intake = new KeyedQueue();
  private readonly queue = new KeyedQueue();
  private readonly leases: ReplyLeases;
  private readonly runner: ReplyRunner;
  private readonly upkeep: ReplyUpkeep;
  private closing = false;

  constructor(private readonly options: ChatServiceOptions) {
    const staleAfterMs = options.staleAfterMs ?? 10_000;
    this.slots = options.repliesPerUser ? new UserSlots(options.repliesPerUser) : undefined;
    this.leases = new ReplyLeases(staleAfterMs);
    this.runner = new ReplyRunner(options, this.leases, this.slots, () => this.closing);
    this.upkeep = new ReplyUpkeep({
      orm: options.orm,
      log: options.log,
      active: this.active,
      queue: this.queue,
      leases: this.leases,
      periodMs: options.checkpointMs ?? 1_000,
      staleAfterMs,
    });
    options.conversationDeleted.on((conversationId) => this.stopEverywhere(conversationId));
  }

  /** This instance's replies: generating (one per conversation at most) and queued behind them. */
  replyCounts(): { generating: number; queued: number } {
    return this.active.counts();
  }

  /** Starts the checkpoint / heartbeat / stale-reply sweep loop. */
  start(): void {
    this.upkeep.start();
  }

  /** Ends every reply in progress as `interrupted` and waits (bounded) for them to be persisted. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    this.upkeep.stop();
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
    const receivedAt = performance.now();
    // Stored and queued one at a time per conversation: the order stored is the order answered.
    return input.conversationId ? this.intake.run(input.conversationId, () => this.store(userId, input, receivedAt)) : this.store(userId, input, receivedAt);
  }

  private async store(userId: string, input: SendInput, receivedAt: number): Promise<SentMessage> {
    if (this.closing) throw new AppError('UNAVAILABLE', 'The server is restarting; try again in a moment');
    // A retry with a clientId used before fails the insert (unique) and is answered as the first send was.
    let stored: Awaited<ReturnType<ConversationsService['addExchange']>>;
    try {
      stored = await this.options.conversations.addExchange(userId, input);
    } catch (error) {
      const existing = error instanceof UniqueConstraintViolationException && input.clientId ? await this.findSent(userId, input.clientId) : undefined;
      if (existing) return existing;
      throw error;
    }
    markStage(stored.replyId, 'received', receivedAt);
    markStage(stored.replyId, 'stored');
    input.beforeReply?.(stored.conversation.id);
    this.options.replies.userMessage(stored.conversation.id, stored.message);
    return this.queueReply(userId, stored.conversation, stored.message, stored.replyId);
  }

  /** Announces the conversation and queues the reply whose row was just stored. */
  private queueReply(userId: string, conversation: Conversation, message: MessageDto, replyId: string): SentMessage {
    const conversationDto = toConversationDto(conversation, message);
    this.options.conversationEvents.conversationUpdated(userId, conversationDto);
    // Registered before anyone hears of the message: from the ack on, stop reaches it and join reports it.
    const active = this.active.add(conversation.id, replyId);
    const reply = this.queue.run(conversation.id, () => this.generate(userId, active));
    return { conversation: conversationDto, message, assistantMessageId: replyId, duplicate: false, reply };
  }

  /**
   * Edits a user message and answers it anew: the conversation's replies stop (everywhere), the
   * messages after it leave (announced), and a new reply is generated; in order with sends.
   */
  edit(userId: string, edit: EditInput): Promise<SentMessage> {
    return this.intake.run(edit.conversationId, async () => {
      const existing = await this.findSent(userId, edit.clientId);
      if (existing) return existing;
      await this.stopAndWait(userId, edit.conversationId);
      const revised = await this.options.conversations.revise(userId, edit);
      edit.beforeReply?.(edit.conversationId);
      this.options.replies.messagesRemoved(edit.conversationId, revised.removed);
      this.options.replies.messageEdited(edit.conversationId, revised.message);
      return this.queueReply(userId, revised.conversation, revised.message, revised.replyId);
    });
  }

  /** Generates the last reply of a conversation anew (the old one leaves, announced). */
  regenerate(
    userId: string,
    input: Pick<EditInput, 'conversationId' | 'clientId' | 'beforeReply'>,
  ): Promise<{ assistantMessageId: string; reply?: Promise<MessageDto> }> {
    return this.intake.run(input.conversationId, async () => {
      const existing = await this.options.conversations.findRegenerated(userId, input.clientId);
      if (existing) return { assistantMessageId: existing.replyId };
      await this.stopAndWait(userId, input.conversationId);
      const regenerated = await this.options.conversations.regenerate(userId, input.conversationId, input.clientId);
      input.beforeReply?.(input.conversationId);
      this.options.replies.messagesRemoved(input.conversationId, regenerated.removed);
      const { assistantMessageId, reply } = this.queueReply(userId, regenerated.conversation, regenerated.reply, regenerated.replyId);
      return { assistantMessageId, reply };
    });
  }

  /**
   * The user's answer to a held tool call, from any tab or instance, taken once (CONFLICT after):
   * the reply goes on where it stopped, the call run (approved) or reported declined.
   */
  approve(userId: string, input: ApproveInput): Promise<{ assistantMessageId: string; reply: Promise<MessageDto> }> {
    return this.intake.run(input.conversationId, async () => {
      const { conversation, messageId } = await this.options.conversations.claimApproval(userId, input.conversationId, input.toolCallId);
      input.beforeReply?.(conversation.id);
      const active = this.active.add(conversation.id, messageId, { toolCallId: input.toolCallId, approved: input.approved });
      return { assistantMessageId: messageId, reply: this.queue.run(conversation.id, () => this.generate(userId, active)) };
    });
  }

  /** Stops the conversation's replies everywhere and waits until they have ended (here, and on a peer for up to 5 s). */
  private async stopAndWait(userId: string, conversationId: string): Promise<void> {
    await this.stop(userId, conversationId);
    await this.queue.run(conversationId, async () => undefined);
    await this.leases.awaitFree(this.options.orm.em.fork(), conversationId, 5_000);
  }

  private async findSent(userId: string, clientId: string): Promise<SentMessage | undefined> {
    const found = await this.options.conversations.findExchange(userId, clientId);
    if (!found) return undefined;
    return { conversation: toConversationDto(found.conversation, found.message), message: found.message, assistantMessageId: found.replyId, duplicate: true };
  }

  private async generate(userId: string, reply: ActiveReply): Promise<MessageDto> {
    try {
      return await RequestContext.create(this.options.orm.em, () => this.runner.run(userId, reply));
    } finally {
      this.active.remove(reply);
    }
  }
}
