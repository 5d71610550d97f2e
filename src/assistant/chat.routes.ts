import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chatBody, chatResponse } from '../conversations/conversations.schemas.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { ChatService } from './chat.service.ts';

export interface ChatRoutesOptions {
  chat: ChatService;
  alias?: boolean;
}

/** The stateless HTTP form of one chat turn: the same assistant and events as a socket message. */
export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, { chat, alias = false }) => {
  app.post('/chat', {
    schema: {
      tags: ['chat'],
      summary: 'Send a message and wait for the whole reply',
      security: [{ bearer: [] }],
      hide: alias,
      body: chatBody,
      response: { 200: chatResponse, 400: errorResponse, 401: errorResponse, 404: errorResponse, 502: errorResponse, 504: errorResponse },
    },
  }, async (request) => {
    const sent = await chat.send(request.userId, { conversationId: request.body.conversation_id, content: request.body.message });
    const reply = await sent.reply;
    return { conversation_id: sent.conversation.id, response: reply.content, tool_calls: reply.tool_calls ?? [] };
  });
};
