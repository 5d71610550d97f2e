// conversation:join / conversation:leave: room membership, history and the reply in progress.
import type { ConversationsService } from '../../conversations/conversations.service.ts';
import { conversationRoom, joinPayload, leavePayload } from '../events.ts';
import type { AppSocket, StreamingLookup } from '../gateway.ts';
import { handle, type HandlerContext } from './handle.ts';

export function registerConversationHandlers(socket: AppSocket, context: HandlerContext, services: { conversations: ConversationsService; streaming: StreamingLookup }) {
  const { userId } = socket.data;
  socket.on(
    'conversation:join',
    handle(context, joinPayload, async ({ conversationId, afterMessageId }) => {
      const conversation = await services.conversations.get(userId, conversationId);
      // Join first: every delta emitted from now on reaches this socket; the snapshot below covers the rest.
      await socket.join(conversationRoom(conversationId));
      const missed = afterMessageId ? await services.conversations.messagesAfter(userId, conversationId, afterMessageId) : undefined;
      // An anchor the server does not know (not of this conversation) gets the latest page instead.
      const page = missed ? { messages: missed, has_more: false } : await services.conversations.messages(userId, conversationId, { limit: 50 });
      return { conversation, ...page, streaming: await services.streaming(conversationId) };
    }),
  );
  socket.on(
    'conversation:leave',
    handle(context, leavePayload, async ({ conversationId }) => {
      await socket.leave(conversationRoom(conversationId));
      return {};
    }),
  );
}
