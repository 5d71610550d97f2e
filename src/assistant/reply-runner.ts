// Running one reply: wait for the user's slot and the conversation's lease, stream the agent's
// output as events and into the active reply, then store how it ended.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDto } from '../conversations/conversations.schemas.ts';
import { toConversationDto, toMessageDto } from '../conversations/conversations.service.ts';
import { type Conversation, Message, type MessageStatus } from '../db/entities/index.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import { runAgent } from './agent.ts';
import type { ChatServiceOptions } from './chat.service.ts';
import { systemPrompt } from './prompts.ts';
import type { ActiveReply } from './replies/active-reply.ts';
import { loadHistory } from './replies/history.ts';
import type { ReplyLeases } from './replies/leases.ts';
import type { UserSlots } from './replies/user-slots.ts';

export const shutdownReason = 'server shutting down';
const timeoutReason = 'reply took too long';

export class ReplyRunner {
  constructor(
    private readonly options: ChatServiceOptions,
    private readonly leases: ReplyLeases,
    private readonly slots: UserSlots | undefined,
    private readonly isClosing: () => boolean,
  ) {}

  /** Waits for the user's slot and the conversation's lease, streams the reply, and stores how it ended. */
  async run(userId: string, reply: ActiveReply): Promise<MessageDto> {
    const em = this.options.orm.em as EntityManager;
    const placeholder = await em.findOne(Message, { id: reply.messageId });
    if (placeholder?.status !== 'streaming') throw new AppError('NOT_FOUND', 'The conversation was deleted');
    let release: (() => void) | undefined;
    try {
      release = await this.slots?.acquire(userId, reply.controller.signal);
    } catch {
      return this.endUnstarted(em, placeholder, reply);
    }
    try {
      const conversation = await this.leases.claim(em, reply.conversationId, () => this.isClosing() || reply.controller.signal.aborted);
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
}
