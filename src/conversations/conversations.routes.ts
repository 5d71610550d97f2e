import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downloadResponse, type ExportLimits, holdDownloadSlot, sendDownload } from '../http/downloads.ts';
import { errorResponse } from '../shared/schemas.ts';
import {
  conversationDto,
  conversationIdParams,
  conversationListQuery,
  createConversationBody,
  messageDto,
  messagesQuery,
  renameConversationBody,
  searchQuery,
  searchResult,
} from './conversations.schemas.ts';
import type { ConversationsService } from './conversations.service.ts';
import { conversationExportFormats, exportConversation } from './export.ts';
import type { ConversationSearch } from './search.ts';

const conversationResponse = z.object({ conversation: conversationDto });
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 429: errorResponse };

export const conversationsRoutes: FastifyPluginAsyncZod<{ conversations: ConversationsService; search: ConversationSearch; exports: ExportLimits }> = async (
  app,
  { conversations, search, exports },
) => {
  const common = { tags: ['conversations'], security: [{ bearer: [] }] };

  app.get(
    '/search',
    {
      schema: {
        ...common,
        summary: 'Search conversation titles and messages, best match first',
        description: 'Full-text search (English stemming; "quoted phrases", -excluded words and `or` work as on the web).',
        querystring: searchQuery,
        response: { 200: z.object({ results: z.array(searchResult), next_cursor: z.string().nullable() }), ...errors },
      },
    },
    (request) => search.search(request.userId, request.query),
  );

  app.get(
    '/conversations',
    {
      schema: {
        ...common,
        summary: 'List conversations, most recently active first',
        querystring: conversationListQuery,
        response: { 200: z.object({ conversations: z.array(conversationDto), next_cursor: z.string().nullable() }), ...errors },
      },
    },
    (request) => conversations.list(request.userId, request.query),
  );

  app.post(
    '/conversations',
    {
      schema: { ...common, summary: 'Start a conversation', body: createConversationBody, response: { 201: conversationResponse, ...errors } },
    },
    async (request, reply) => reply.status(201).send({ conversation: await conversations.create(request.userId, request.body?.title) }),
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        ...common,
        summary: 'Rename a conversation',
        params: conversationIdParams,
        body: renameConversationBody,
        response: { 200: conversationResponse, ...errors },
      },
    },
    async (request) => ({ conversation: await conversations.rename(request.userId, request.params.id, request.body.title) }),
  );

  app.delete(
    '/conversations/:id',
    {
      schema: { ...common, summary: 'Delete a conversation and its messages', params: conversationIdParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await conversations.remove(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/conversations/:id/export',
    {
      schema: {
        ...common,
        summary: 'Download a conversation as Markdown or JSON',
        params: conversationIdParams,
        querystring: z.object({ format: z.enum(conversationExportFormats).default('markdown') }),
        produces: ['text/markdown', 'application/json'],
        response: { 200: downloadResponse, ...errors },
      },
    },
    async (request, reply) => {
      holdDownloadSlot(exports, request.userId, reply);
      const { conversation, messages } = await conversations.everything(request.userId, request.params.id, exports.statementTimeoutMs);
      return sendDownload(reply, exportConversation(conversation, messages, request.query.format));
    },
  );

  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        ...common,
        summary: 'A page of messages, oldest first',
        params: conversationIdParams,
        querystring: messagesQuery,
        response: { 200: z.object({ messages: z.array(messageDto), has_more: z.boolean() }), ...errors },
      },
    },
    (request) => conversations.messages(request.userId, request.params.id, request.query),
  );
};
