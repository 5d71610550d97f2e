// Running one reply: wait for the user's slot and the conversation's lease, stream the agent's
// output as events and into the active reply, then store how it ended.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommentsService } from '../comments/comments.service.ts';
import { pendingApproval, toConversationDto, toMessageDto } from '../conversations/conversations.dto.ts';
import type { MessageDto } from '../conversations/conversations.schemas.ts';
import type { ConversationEventSink } from '../conversations/conversations.service.ts';
import { type Conversation, Message, type MessageStatus } from '../db/entities/index.ts';
import type { Orm } from '../db/orm.ts';
import { executeBound } from '../db/sql.ts';
import type { RemindersService } from '../reminders/reminders.service.ts';
import { AppError, toErrorBody } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { type AgentSink, runAgent } from './agent.ts';
import type { ReplyEventSink } from './chat.types.ts';
import { systemPrompt } from './prompts.ts';
import type { AssistantProvider } from './provider.ts';
import type { ActiveReply } from './replies/active-reply.ts';
import { loadHistory } from './replies/history.ts';
import { leaseReleased, type ReplyLeases } from './replies/leases.ts';
import { replayTurn } from './replies/replay.ts';
import type { UserSlots } from './replies/user-slots.ts';
import { summarizeCall } from './tools/runner.ts';
import { markStage } from './turn-stages.ts';

export const shutdownReason = 'server shutting down';

/** What running a reply needs: the model, the tools' service, where to announce, and its time cap. */
export interface ReplyRunnerDeps {
  orm: Orm;
  provider: AssistantProvider;
  tasks: TasksService;
  comments: CommentsService;
  reminders: RemindersService;
  replies: ReplyEventSink;
  conversationEvents: Pick<ConversationEventSink, 'conversationUpdated'>;
  log: Logger;
  /** A reply still generating after this long ends with PROVIDER_TIMEOUT (default 120 s). */
  replyTimeoutMs?: number;
}

const timeoutReason = 'reply took too long';

/** How a reply's generation ended, before it is stored. */
interface Ending {
  status: MessageStatus;
  failure?: AppError;
}

export class ReplyRunner {
  constructor(
    private readonly options: ReplyRunnerDeps,
    private readonly leases: ReplyLeases,
    private readonly slots: UserSlots | undefined,
    private readonly isClosing: () => boolean,
  ) {}

  /** Waits for the user's slot and the conversation's lease, streams the reply, and stores how it ended. */
  async run(userId: string, reply: ActiveReply): Promise<MessageDto> {
    const em = this.options.orm.em as EntityManager;
    // A reply going on after its user answered a held call takes up what it had streamed and stored.
    if (reply.decision) reply.resumeFrom(await this.storedReply(em, reply));
    markStage(reply.messageId, 'dequeued');
    let release: (() => void) | undefined;
    try {
      release = await this.slots?.acquire(userId, reply.controller.signal);
    } catch {
      return this.endUnstarted(em, reply);
    }
    try {
      const claim = await this.leases.claim(em, reply.conversationId, reply.messageId, () => this.isClosing() || reply.controller.signal.aborted);
      if (!claim.claimed) {
        if (claim.why === 'reply_gone') throw new AppError('NOT_FOUND', 'The conversation was deleted');
        // Stopped while queued, the server is closing, or the conversation was deleted meanwhile.
        return await this.endUnstarted(em, reply);
      }
      markStage(reply.messageId, 'leased');
      let ending: Ending;
      try {
        ending = await this.streamReply(em, userId, claim.conversation, claim.replyCreatedAt, reply);
      } catch (error) {
        await this.leases
          .release(em, reply.conversationId)
          .catch((releaseError: unknown) =>
            this.options.log.warn({ err: releaseError, conversationId: reply.conversationId }, 'reply lease not released; it expires by itself'),
          );
        throw error;
      }
      // The statement that stores the reply releases the lease too; should it fail, the lease expires by itself.
      return await this.finish(em, userId, claim.conversation, claim.replyCreatedAt, reply, ending);
    } finally {
      release?.();
    }
  }

  /** The reply's row, as long as it still waits to be generated (NOT_FOUND once it does not). */
  private async storedReply(em: EntityManager, reply: ActiveReply): Promise<Message> {
    const stored = await em.findOne(Message, { id: reply.messageId });
    if (stored?.status !== 'streaming') throw new AppError('NOT_FOUND', 'The conversation was deleted');
    return stored;
  }

  /** A reply that never started: `stopped` when its user stopped it, `interrupted` otherwise. */
  private async endUnstarted(em: EntityManager, reply: ActiveReply): Promise<MessageDto> {
    const message = await this.storedReply(em, reply);
    message.status = reply.controller.signal.reason === 'stopped' ? 'stopped' : 'interrupted';
    await em.flush();
    const dto = toMessageDto(message);
    this.options.replies.replyDone(reply.conversationId, dto);
    return dto;
  }

  /** Streams the reply through the agent; how it ended (never throws for the reply's own failures). */
  private async streamReply(em: EntityManager, userId: string, conversation: Conversation, createdAt: string, reply: ActiveReply): Promise<Ending> {
    const conversationId = conversation.id;
    const { messageId } = reply;
    const { replies } = this.options;
    replies.replyStarted(conversationId, messageId);
    const emitDelta = replies.replyDeltas(reply);
    let status: MessageStatus = 'complete';
    let failure: AppError | undefined;
    const deadline = setTimeout(() => reply.controller.abort(timeoutReason), this.options.replyTimeoutMs ?? 120_000);
    try {
      const [history, { timeZone, confirmDestructive }] = await Promise.all([
        loadHistory(em, conversationId, createdAt),
        this.options.tasks.preferences(userId),
      ]);
      markStage(messageId, 'context');
      const now = new Date();
      const context = {
        userId,
        timeZone,
        confirmDestructive,
        tasks: this.options.tasks,
        comments: this.options.comments,
        reminders: this.options.reminders,
        channel: 'assistant' as const,
        conversationId,
      };
      const turn = reply.decision ? replayTurn(reply, { open: true }) : undefined;
      const sink: AgentSink = {
        // The first delta marks its stage and hands over to the emitter itself: a delta after it costs one call.
        text: (text) => {
          sink.text = emitDelta;
          emitDelta(text);
          if (reply.seq === 0) markStage(messageId, 'first_delta');
        },
        toolCall: (call) => {
          // The text before a call reaches the room before the call's card.
          reply.flushDeltas();
          reply.toolCalls.push(call);
          replies.toolCall(conversationId, messageId, call);
        },
        toolResult: (result) => {
          reply.toolResults.push(result);
          replies.toolResult(conversationId, messageId, result);
        },
      };
      const outcome = await runAgent({
        provider: this.options.provider,
        messages: [{ role: 'system', content: systemPrompt(now, timeZone) }, ...history, ...(turn?.messages ?? [])],
        context,
        now,
        resume: turn && reply.decision && { calls: turn.unanswered, decision: reply.decision },
        signal: reply.controller.signal,
        text: reply.text,
        sink,
      });
      if (!outcome.done) {
        status = 'awaiting_approval';
        const held = reply.toolCalls.find((call) => call.id === outcome.held.id)!;
        held.summary = await summarizeCall(held, context);
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
    return { status, failure };
  }

  /** Stores how the reply ended and releases the conversation's lease, in one statement; then announces it. */
  private async finish(
    em: EntityManager,
    userId: string,
    conversation: Conversation,
    createdAt: string,
    reply: ActiveReply,
    ending: Ending,
  ): Promise<MessageDto> {
    // Every delta out before the end is stored and announced (and a held reply's seq is its last one sent).
    reply.flushDeltas();
    const { status, failure } = ending;
    const message = toMessageDto({
      id: reply.messageId,
      conversation: conversation.id,
      role: 'assistant',
      content: reply.content,
      status,
      toolCalls: reply.toolCalls.length ? reply.toolCalls : null,
      toolResults: reply.toolResults.length ? reply.toolResults : null,
      createdAt,
    });
    conversation.updatedAt = new Date();
    await executeBound(
      em,
      `with stored as (
         update messages set content = $1, draft = null, status = $2, last_seq = $3, tool_calls = $4::jsonb, tool_results = $5::jsonb, updated_at = now() where id = $6
       )
       update conversations set updated_at = $7, ${leaseReleased('$8')} where id = $9`,
      [
        message.content,
        status,
        status === 'awaiting_approval' ? reply.seq : null,
        message.tool_calls && JSON.stringify(message.tool_calls),
        message.tool_results && JSON.stringify(message.tool_results),
        message.id,
        conversation.updatedAt,
        this.leases.owner,
        conversation.id,
      ],
    );
    const held = pendingApproval(message);
    if (failure) {
      const body = toErrorBody(failure);
      this.options.replies.replyError(conversation.id, message.id, { code: body.code, message: body.message });
    } else if (held) {
      this.options.replies.approvalRequest(conversation.id, held);
    } else {
      this.options.replies.replyDone(conversation.id, message);
    }
    this.options.conversationEvents.conversationUpdated(userId, toConversationDto(conversation, message));
    if (failure) throw failure;
    return message;
  }
}
