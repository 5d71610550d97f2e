// Running one reply: wait for the user's slot and the conversation's lease, stream the agent's
// output as events and into the active reply, then store how it ended.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDto } from '../conversations/conversations.schemas.ts';
import { pendingApproval, toConversationDto, toMessageDto } from '../conversations/conversations.service.ts';
import { type Conversation, Message, type MessageStatus, type StoredToolCall } from '../db/entities/index.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import { runAgent, toolResultContent } from './agent.ts';
import type { ChatServiceOptions } from './chat.service.ts';
import { systemPrompt } from './prompts.ts';
import type { ChatMessage, ProviderToolCall } from './provider.ts';
import type { ActiveReply } from './replies/active-reply.ts';
import { loadHistory } from './replies/history.ts';
import type { ReplyLeases } from './replies/leases.ts';
import type { UserSlots } from './replies/user-slots.ts';
import type { ToolContext } from './tools/index.ts';
import { markStage } from './turn-stages.ts';

export const shutdownReason = 'server shutting down';

/** The stored turn of a reply resuming after an approval, as the model read it, and its calls still unanswered (the held one first). */
function turnSoFar(reply: ActiveReply): { messages: ChatMessage[]; unanswered: ProviderToolCall[] } {
  const answered = new Map(reply.toolResults.map((result) => [result.tool_call_id, result]));
  const calls = reply.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) }));
  return {
    messages: [
      { role: 'assistant', content: reply.content || null, tool_calls: calls },
      ...reply.toolResults.map((result): ChatMessage => ({ role: 'tool', tool_call_id: result.tool_call_id, content: toolResultContent(result) })),
    ],
    unanswered: calls.filter((call) => !answered.has(call.id)),
  };
}

/** What a held call would do, in the words of the approval card. */
async function summarize(call: StoredToolCall, context: ToolContext): Promise<string> {
  const number = Number(call.arguments.task_number);
  const task = Number.isInteger(number) ? await context.tasks.get(context.userId, number).catch(() => undefined) : undefined;
  const target = task ? `task #${number} "${task.title}"` : `task #${number}`;
  if (call.name === 'delete_task') return `Delete ${target}?`;
  const clearing = [call.arguments.due_date === null ? 'its due date' : '', call.arguments.description !== undefined ? 'its description' : ''].filter(Boolean);
  return `Clear ${clearing.join(' and ')} on ${target}?`;
}
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
    if (reply.decision) reply.resumeFrom(placeholder);
    markStage(reply.messageId, 'dequeued');
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
      markStage(reply.messageId, 'leased');
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
      const [history, { timeZone, confirmDestructive }] = await Promise.all([
        loadHistory(em, conversationId, placeholder.createdAt),
        this.options.tasks.preferences(userId),
      ]);
      markStage(messageId, 'context');
      const now = new Date();
      const context = { userId, timeZone, confirmDestructive, tasks: this.options.tasks };
      const turn = reply.decision ? turnSoFar(reply) : undefined;
      const outcome = await runAgent({
        provider: this.options.provider,
        messages: [{ role: 'system', content: systemPrompt(now, timeZone) }, ...history, ...(turn?.messages ?? [])],
        context,
        now,
        resume: turn && reply.decision && { calls: turn.unanswered, decision: reply.decision, wroteText: reply.content.length > 0 },
        signal: reply.controller.signal,
        sink: {
          text: (text) => {
            reply.seq += 1;
            reply.content += text;
            replies.replyDelta(conversationId, messageId, reply.seq, text);
            if (reply.seq === 0) markStage(messageId, 'first_delta');
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
      if (!outcome.done) {
        status = 'awaiting_approval';
        const held = reply.toolCalls.find((call) => call.id === outcome.held.id)!;
        held.summary = await summarize(held, context);
      }
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
      lastSeq: status === 'awaiting_approval' ? reply.seq : null,
      toolCalls: reply.toolCalls.length ? reply.toolCalls : null,
      toolResults: reply.toolResults.length ? reply.toolResults : null,
    });
    conversation.updatedAt = new Date();
    await em.flush();
    const dto = toMessageDto(message);
    const held = pendingApproval(dto);
    if (failure) {
      const body = toErrorBody(failure);
      this.options.replies.replyError(conversation.id, message.id, { code: body.code, message: body.message });
    } else if (held) {
      this.options.replies.approvalRequest(conversation.id, held);
    } else {
      this.options.replies.replyDone(conversation.id, dto);
    }
    this.options.conversationEvents.conversationUpdated(userId, toConversationDto(conversation, dto));
    if (failure) throw failure;
    return dto;
  }
}
