// The Model Context Protocol at /mcp (Streamable HTTP, stateless: a new server and transport per
// request, so any instance answers any request), serving the assistant's task tools through
// the same definitions and the same path (executeTool) as the assistant.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toolSpecs } from '../assistant/tools/index.ts';
import { executeTool } from '../assistant/tools/runner.ts';
import type { AccessTokens } from '../auth/access-tokens.ts';
import type { CommentsService } from '../comments/comments.service.ts';
import { requireUser } from '../http/auth-guard.ts';
import { toAppError } from '../http/error-handler.ts';
import type { RemindersService } from '../reminders/reminders.service.ts';
import { AppError, type ErrorCode, toErrorBody } from '../shared/errors.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { TasksService } from '../tasks/tasks.service.ts';

export interface McpRoutesOptions {
  tokens: AccessTokens;
  tasks: TasksService;
  comments: CommentsService;
  reminders: RemindersService;
  /** The user's message budget, shared with the sockets and POST /api/chat (absent when RATE_LIMITS=off). */
  messages?: KeyedBuckets;
  /** Host names this server answers to (DNS-rebinding protection). */
  hostnames: string[];
  /** Browser origins allowed besides this server's own (CORS_ORIGINS). */
  origins: string[];
  /** This server's public origin (PUBLIC_URL): what the resource metadata names, never the request's Host. */
  publicUrl: string;
}

const serverInfo = { name: 'taskstream', version: '0.1.0' };

/** JSON-RPC's own codes for what fails before a request reaches the MCP server; -32000 (a server error) for the rest. */
const jsonRpcCodes: Partial<Record<ErrorCode, number>> = { BAD_REQUEST: -32700, VALIDATION_ERROR: -32600, UNSUPPORTED_MEDIA_TYPE: -32600 };

/** A JSON-RPC error answer; `data.code` is the same code as REST's. */
const jsonRpcError = (reply: FastifyReply, status: number, message: string, code: ErrorCode = 'FORBIDDEN') =>
  reply
    .status(status)
    .type('application/json')
    .send({ jsonrpc: '2.0', error: { code: jsonRpcCodes[code] ?? -32000, message, data: { code } }, id: null });

/** An MCP server acting for one user: listing and calling the task tools. */
function serverFor(userId: string, options: McpRoutesOptions, log: FastifyBaseLogger): Server {
  const server = new Server(serverInfo, { capabilities: { tools: {} }, instructions: 'Manage the task list of the signed-in taskstream user.' });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: toolSpecs.map((spec) => ({ name: spec.name, description: spec.description, inputSchema: spec.parameters as { type: 'object' } })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }): Promise<CallToolResult> => {
    try {
      options.messages?.spend(userId);
      // Whatever the arguments say (a user_id, say), the tool acts for the token's user only.
      const context = {
        userId,
        timeZone: await options.tasks.timeZone(userId),
        tasks: options.tasks,
        comments: options.comments,
        reminders: options.reminders,
        channel: 'mcp' as const,
      };
      const outcome = await executeTool(params.name, params.arguments ?? {}, context);
      if (!outcome.ok) return failure(outcome.code, outcome.error);
      return { content: [{ type: 'text', text: JSON.stringify(outcome.result) }], structuredContent: outcome.result as Record<string, unknown> };
    } catch (error) {
      // Our code and a plain sentence, never an exception's own text (it is logged).
      if (!(error instanceof AppError) || error.status >= 500) log.error({ err: error }, 'mcp tool call failed');
      const body = toErrorBody(error);
      return failure(body.code, body.message);
    }
  });
  return server;
}

function failure(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }], structuredContent: { error: { code, message } } };
}

export const mcpRoutes: FastifyPluginAsync<McpRoutesOptions> = async (app, options) => {
  // RFC 9728: what this resource is and how to present a token (a bearer header; tokens come from /api/tokens).
  const metadata = async () => ({
    resource: `${options.publicUrl}/mcp`,
    resource_name: 'taskstream',
    bearer_methods_supported: ['header'],
    resource_documentation: `${options.publicUrl}/docs`,
  });
  const ownOrigin = new URL(options.publicUrl).origin;
  app.get('/.well-known/oauth-protected-resource', { schema: { hide: true } }, metadata);
  app.get('/.well-known/oauth-protected-resource/mcp', { schema: { hide: true } }, metadata);

  /** DNS rebinding: a page on another site must not reach this server through a name that resolves to it. */
  const checkHostAndOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
    let hostname: string;
    try {
      hostname = new URL(`http://${request.headers.host ?? ''}`).hostname;
    } catch {
      return jsonRpcError(reply, 403, 'Invalid Host header');
    }
    if (!options.hostnames.includes(hostname)) return jsonRpcError(reply, 403, `Host ${hostname} is not served here`);
    // A browser page may call from this server's own origin (the one it names, or the one it was
    // reached at, its Host being ours) or from CORS_ORIGINS; a page on any other origin, another
    // port of this machine included, may not.
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== ownOrigin && origin !== `${request.protocol}://${request.headers.host}` && !options.origins.includes(origin)) {
      return jsonRpcError(reply, 403, `Origin ${origin} is not allowed`);
    }
  };

  // The REST guard, plus where an MCP client learns how to authenticate when it is refused.
  const guard = requireUser(options.tokens);
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await guard(request);
    } catch (error) {
      reply.header('www-authenticate', `Bearer error="invalid_token", resource_metadata="${options.publicUrl}/.well-known/oauth-protected-resource"`);
      throw error;
    }
  };

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    onRequest: [checkHostAndOrigin, authenticate],
    // Whatever fails before the MCP server (malformed JSON, a body too deep, a token refused, a
    // budget spent) is a JSON-RPC error with REST's status and code.
    errorHandler: (error, request, reply) => {
      const known = error instanceof AppError ? error : toAppError(error);
      if (!known || known.status >= 500) request.log.error({ err: error }, 'mcp request failed');
      if (known?.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
      const body = toErrorBody(known ?? error);
      return jsonRpcError(reply, known?.status ?? 500, body.message, body.code);
    },
    handler: async (request, reply) => {
      // Stateless: no session to resume (GET) or end (DELETE).
      if (request.method !== 'POST')
        return reply
          .status(405)
          .header('allow', 'POST')
          .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
      const server = serverFor(request.userId, options, request.log);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      // The transport writes the answer itself: the headers set so far (CORS, nosniff, …) go with it.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });
};
