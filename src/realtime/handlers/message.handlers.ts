// message:send, message:edit, assistant:regenerate, tool:approve and assistant:stop.
import type { ChatService } from '../../assistant/chat.service.ts';
import type { KeyedBuckets } from '../../shared/token-bucket.ts';
import { approvePayload, conversationRoom, editPayload, regeneratePayload, sendPayload, stopPayload } from '../events.ts';
import type { AppSocket } from '../socket-types.ts';
import { type HandlerContext, handle } from './handle.ts';

export function registerMessageHandlers(
  socket: AppSocket,
  context: HandlerContext,
  chat: ChatService,
  budgets: { messages: KeyedBuckets; commands: KeyedBuckets } | undefined,
) {
  const { userId } = socket.data;
  const message = budgets && (() => budgets.messages.spend(userId));
  const command = budgets && (() => budgets.commands.spend(userId));
  socket.on(
    'message:send',
    handle(
      context,
      sendPayload,
      async ({ conversationId, content, clientId }) => {
        const sent = await chat.send(userId, {
          conversationId,
          content,
          clientId,
          beforeReply: (id) => void socket.join(conversationRoom(id)),
        });
        // The reply's outcome, errors included, reaches the room as events.
        sent.reply?.catch(() => undefined);
        if (sent.duplicate) await socket.join(conversationRoom(sent.conversation.id));
        return { conversationId: sent.conversation.id, message: sent.message, assistantMessageId: sent.assistantMessageId };
      },
      message,
    ),
  );
  socket.on(
    'message:edit',
    handle(
      context,
      editPayload,
      async (edit) => {
        const sent = await chat.edit(userId, { ...edit, beforeReply: (id) => void socket.join(conversationRoom(id)) });
        sent.reply?.catch(() => undefined);
        if (sent.duplicate) await socket.join(conversationRoom(edit.conversationId));
        return { message: sent.message, assistantMessageId: sent.assistantMessageId };
      },
      message,
    ),
  );
  socket.on(
    'assistant:regenerate',
    handle(
      context,
      regeneratePayload,
      async (input) => {
        const regenerated = await chat.regenerate(userId, { ...input, beforeReply: (id) => void socket.join(conversationRoom(id)) });
        if (regenerated.reply) regenerated.reply.catch(() => undefined);
        else await socket.join(conversationRoom(input.conversationId));
        return { assistantMessageId: regenerated.assistantMessageId };
      },
      message,
    ),
  );
  socket.on(
    'tool:approve',
    handle(
      context,
      approvePayload,
      async (input) => {
        const approved = await chat.approve(userId, { ...input, beforeReply: (id) => void socket.join(conversationRoom(id)) });
        approved.reply.catch(() => undefined);
        return {};
      },
      command,
    ),
  );
  socket.on(
    'assistant:stop',
    handle(
      context,
      stopPayload,
      async ({ conversationId }) => {
        await chat.stop(userId, conversationId);
        return {};
      },
      command,
    ),
  );
}
