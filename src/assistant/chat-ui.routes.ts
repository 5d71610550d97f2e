// POST /api/chat/ui: one chat turn in the Vercel AI SDK's UI Message Stream protocol (SSE, header
// x-vercel-ai-ui-message-stream: v1), so `useChat` with `DefaultChatTransport({ api })` works against
// taskstream unchanged. The chat's `id` names the conversation (made on first use); only the last
// user message of the request is taken (the history is the database's); the turn is the same as
// `message:send` (persistence, budgets, room and task events); closing the request stops the reply.
import { createHash } from 'node:crypto';
import { RequestContext } from '@mikro-orm/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { messageContent } from '../conversations/conversations.schemas.ts';
import { AppError } from '../shared/errors.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { ChatService } from './chat.service.ts';
import type { ReplyProgress, ReplyTap } from './replies/reply-tap.ts';

export interface ChatUiRoutesOptions {
  chat: ChatService;
  replies: ReplyTap;
  messages?: KeyedBuckets;
}

const uiPart = z.looseObject({ type: z.string().max(100), text: z.string().max(20_000).optional() });
const uiMessage = z.looseObject({ id: z.string().max(200), role: z.enum(['system', 'user', 'assistant']), parts: z.array(uiPart).max(200) });
export const uiChatBody = z.looseObject({
  id: z.string().trim().min(1).max(200).describe('The chat id: a conversation id, or any id of the client’s (the same id is the same conversation)'),
  messages: z.array(uiMessage).min(1).max(2_000).describe('useChat sends the whole chat; only the last user message is taken'),
  trigger: z.string().max(100).optional(),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The conversation a chat id names: itself when it is a UUID, else a UUID made from the user and the id (stable, the user's own). */
export function conversationIdOf(userId: string, chatId: string): string {
  if (uuidPattern.test(chatId)) return chatId.toLowerCase();
  const hex = createHash('sha256').update(`${userId}:${chatId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const UI_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

/** The protocol's chunks for each step of a reply: text parts opened and closed around tool parts. */
function chunker() {
  let open: string | undefined;
  let parts = 0;
  let messageId = '';
  const closeText = () => {
    if (!open) return [];
    const id = open;
    open = undefined;
    return [{ type: 'text-end', id }];
  };
  return (progress: ReplyProgress): Record<string, unknown>[] => {
    switch (progress.type) {
      case 'start':
        messageId = progress.messageId;
        return [{ type: 'start', messageId }, { type: 'start-step' }];
      case 'delta': {
        const starting = open ? [] : [{ type: 'text-start', id: `${messageId}-${parts}` }];
        if (!open) open = `${messageId}-${parts++}`;
        return [...starting, { type: 'text-delta', id: open, delta: progress.text }];
      }
      case 'tool-call':
        return [...closeText(), { type: 'tool-input-available', toolCallId: progress.call.id, toolName: progress.call.name, input: progress.call.arguments }];
      case 'tool-result':
        return [
          progress.result.ok
            ? { type: 'tool-output-available', toolCallId: progress.result.tool_call_id, output: progress.result.result ?? null }
            : { type: 'tool-output-error', toolCallId: progress.result.tool_call_id, errorText: progress.result.error ?? 'The tool failed' },
        ];
      case 'approval':
        // The held call, for a client that shows an approval card (answered over POST /api/chat/approve or the socket).
        return [
          ...closeText(),
          { type: 'data-approval', data: { toolCallId: progress.pending.toolCallId, name: progress.pending.name, summary: progress.pending.summary } },
        ];
      case 'done':
        return [...closeText(), { type: 'finish-step' }, { type: 'finish', finishReason: progress.message.status === 'complete' ? 'stop' : 'other' }];
      case 'error':
        return [...closeText(), { type: 'error', errorText: progress.error.message }, { type: 'finish-step' }, { type: 'finish', finishReason: 'error' }];
    }
  };
}

export const chatUiRoutes: FastifyPluginAsyncZod<ChatUiRoutesOptions> = async (app, { chat, replies, messages }) => {
  app.post(
    '/chat/ui',
    {
      preHandler: async (request) => {
        messages?.spend(request.userId);
      },
      schema: {
        tags: ['chat'],
        summary: 'One turn in the Vercel AI SDK UI Message Stream protocol (SSE), for useChat with DefaultChatTransport',
        security: [{ bearer: [] }],
        body: uiChatBody,
        produces: ['text/event-stream'],
        response: {
          200: z.any().describe('Server-sent events: start, text and tool parts, finish, then [DONE]'),
          400: errorResponse,
          401: errorResponse,
          404: errorResponse,
          429: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const last = request.body.messages.findLast((message) => message.role === 'user');
      const text = last?.parts.flatMap((part) => (part.type === 'text' && part.text ? [part.text] : [])).join('\n') ?? '';
      const content = messageContent.safeParse(text);
      if (!content.success) {
        throw new AppError('VALIDATION_ERROR', 'Invalid body: messages', [
          { field: 'messages', message: `the last user message's text ${content.error.issues[0]!.message}` },
        ]);
      }
      const conversationId = conversationIdOf(request.userId, request.body.id);
      const pending: ReplyProgress[] = [];
      let write = (progress: ReplyProgress) => void pending.push(progress);
      const unlisten = replies.listen(conversationId, (progress) => write(progress));
      let finished = false;
      try {
        await chat.send(request.userId, { conversationId, create: true, content: content.data });
      } catch (error) {
        unlisten();
        throw error;
      }
      reply.hijack();
      const raw = reply.raw;
      // The connection closes with the stream: a hijacked answer's keep-alive connection would hold a shutdown.
      raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...UI_STREAM_HEADERS, connection: 'close' });
      const chunks = chunker();
      write = (progress) => {
        if (finished) return;
        for (const chunk of chunks(progress)) raw.write(`data: ${JSON.stringify(chunk)}\n\n`);
        if (progress.type === 'done' || progress.type === 'error') {
          finished = true;
          unlisten();
          raw.end('data: [DONE]\n\n');
        }
      };
      for (const progress of pending.splice(0)) write(progress);
      // The client went away (useChat's stop() aborts the request): the reply stops, kept as it is.
      raw.once('close', () => {
        if (finished) return;
        finished = true;
        unlisten();
        // After the request's own context: a context of its own for the ownership check.
        RequestContext.create(app.orm.em, () => {
          chat.stop(request.userId, conversationId).catch((error) => request.log.warn({ err: error }, 'stopping an aborted UI stream failed'));
        });
      });
    },
  );
};
