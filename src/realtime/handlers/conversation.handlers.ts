// conversation:join / conversation:leave: room membership, history and the reply in progress.
import type { StreamingSnapshot } from '../../conversations/conversations.schemas.ts';
import type { ConversationsService } from '../../conversations/conversations.service.ts';
import type { KeyedBuckets } from '../../shared/token-bucket.ts';
import { conversationRoom, joinPayload, leavePayload } from '../events.ts';
import type { AppSocket } from '../socket-types.ts';
import { type HandlerContext, handle } from './handle.ts';

/** The reply in progress in a conversation, wherever it is generated; null when there is none (the gateway asks the other instances). */
export type StreamingLookup = (conversationId: string) => Promise<StreamingSnapshot | null>;

export function registerConversationHandlers(
  socket: AppSocket,
  context: HandlerContext,
  services: { conversations: ConversationsService; streaming: StreamingLookup },
  budgets: { joins: KeyedBuckets; commands: KeyedBuckets } | undefined,
) {
  const { userId } = socket.data;
  socket.on(
    'conversation:join',
    handle(
      context,
      joinPayload,
      async ({ conversationId, afterMessageId }) => {
        // Join once ownership is known and before history is read, so every delta from then on
        // reaches this socket; the snapshot taken last covers the rest.
        const opened = await services.conversations.open(userId, conversationId, {
          afterMessageId,
          beforeRead: () => socket.join(conversationRoom(conversationId)),
        });
        return { ...opened, streaming: await services.streaming(conversationId) };
      },
      budgets && (() => budgets.joins.spend(userId)),
    ),
  );
  socket.on(
    'conversation:leave',
    handle(
      context,
      leavePayload,
      async ({ conversationId }) => {
        await socket.leave(conversationRoom(conversationId));
        return {};
      },
      budgets && (() => budgets.commands.spend(userId)),
    ),
  );
}
