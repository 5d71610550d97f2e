import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chatBody, chatResponse } from '../conversations/conversations.schemas.ts';
import { rateLimited } from '../shared/errors.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { ChatService } from './chat.service.ts';

export interface ChatRoutesOptions {
  chat: ChatService;
  /** The user's message budget, shared with the sockets (absent when RATE_LIMITS=off). */
  messages?: KeyedBuckets;
  alias?: boolean;
}

/** The stateless HTTP form of one chat turn: the same assistant and events as a socket message. */
export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, { chat, messages, alias = false }) => {
  app.post(
    '/chat',
    {
      preHandler: async (request) => {
        if (messages && !messages.take(request.userId)) throw rateLimited(1_000);
      },
      schema: {
        tags: ['chat'],
        summary: 'Send a message and wait for the whole reply',
        security: [{ bearer: [] }],
        hide: alias,
        body: chatBody,
        response: { 200: chatResponse, 400: errorResponse, 401: errorResponse, 404: errorResponse, 429: errorResponse, 502: errorResponse, 504: errorResponse },
      },
    },
    async (request) => {
      const sent = await chat.send(request.userId, { conversationId: request.body.conversation_id, content: request.body.message });
      const reply = await sent.reply;
      return { conversation_id: sent.conversation.id, response: reply.content, tool_calls: reply.tool_calls ?? [] };
    },
  );
};
