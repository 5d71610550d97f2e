import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pendingApproval } from '../conversations/conversations.dto.ts';
import type { MessageDto } from '../conversations/conversations.schemas.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import { approveBody, chatBody, chatHeldResponse, chatResponse } from './chat.schemas.ts';
import type { ChatService } from './chat.service.ts';

export interface ChatRoutesOptions {
  chat: ChatService;
  /** The user's message budget, shared with the sockets (absent when RATE_LIMITS=off). */
  messages?: KeyedBuckets;
  alias?: boolean;
}

const turnResponses = {
  200: chatResponse,
  202: chatHeldResponse,
  400: errorResponse,
  401: errorResponse,
  404: errorResponse,
  429: errorResponse,
  502: errorResponse,
  504: errorResponse,
};

/** The stateless HTTP form of one chat turn: the same assistant and events as a socket message. */
export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, { chat, messages, alias = false }) => {
  const budget = async (request: FastifyRequest) => {
    messages?.spend(request.userId);
  };
  app.post(
    '/chat',
    {
      preHandler: budget,
      schema: {
        tags: ['chat'],
        summary: 'Send a message and wait for the whole reply',
        security: [{ bearer: [] }],
        hide: alias,
        body: chatBody,
        response: turnResponses,
      },
    },
    async (request, reply) => {
      const sent = await chat.send(request.userId, { conversationId: request.body.conversation_id, content: request.body.message });
      return sendTurn(reply, sent.conversation.id, await sent.reply);
    },
  );

  app.post(
    '/chat/approve',
    {
      preHandler: budget,
      schema: {
        tags: ['chat'],
        summary: 'Answer a tool call held for approval, and wait for the rest of the turn',
        security: [{ bearer: [] }],
        hide: alias,
        body: approveBody,
        response: { ...turnResponses, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const { conversation_id, tool_call_id, approved } = request.body;
      const resumed = await chat.approve(request.userId, { conversationId: conversation_id, toolCallId: tool_call_id, approved });
      return sendTurn(reply, conversation_id, await resumed.reply);
    },
  );
};

/** A finished turn is 200; a turn held for approval is 202 with the call that waits. */
function sendTurn(reply: FastifyReply, conversationId: string, message: MessageDto) {
  const body = { conversation_id: conversationId, response: message.content, tool_calls: message.tool_calls ?? [] };
  const pending = pendingApproval(message);
  return pending ? reply.status(202).send({ ...body, pending_approval: pending }) : reply.status(200).send(body);
}
