// The Model Context Protocol at /mcp (Streamable HTTP, stateless: a new server and transport per
// request, so any instance answers any request), serving the assistant's five task tools through
// the same definitions and the same path (executeTool) as the assistant.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { executeTool } from '../assistant/agent.ts';
import { toolSpecs } from '../assistant/tools/index.ts';
import type { AccessTokens } from '../auth/access-tokens.ts';
import { requireUser } from '../http/auth-guard.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { TasksService } from '../tasks/tasks.service.ts';

export interface McpRoutesOptions {
  tokens: AccessTokens;
  tasks: TasksService;
  /** The user's message budget, shared with the sockets and POST /api/chat (absent when RATE_LIMITS=off). */
  messages?: KeyedBuckets;
  /** Host names this server answers to (DNS-rebinding protection). */
  hostnames: string[];
  /** Browser origins allowed besides this server's own (CORS_ORIGINS). */
  origins: string[];
}

const serverInfo = { name: 'taskstream', version: '0.1.0' };

const jsonRpcError = (reply: FastifyReply, status: number, message: string) =>
  reply
    .status(status)
    .type('application/json')
    .send({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? request.hostname}`;

/** An MCP server acting for one user: listing and calling the task tools. */
function serverFor(userId: string, options: McpRoutesOptions): Server {
  const server = new Server(serverInfo, { capabilities: { tools: {} }, instructions: 'Manage the task list of the signed-in taskstream user.' });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: toolSpecs.map((spec) => ({ name: spec.name, description: spec.description, inputSchema: spec.parameters as { type: 'object' } })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }): Promise<CallToolResult> => {
    if (options.messages && !options.messages.take(userId)) return failure('RATE_LIMITED', 'Too many requests; slow down a little');
    // Whatever the arguments say (a user_id, say), the tool acts for the token's user only.
    const outcome = await executeTool(params.name, params.arguments ?? {}, { userId, timeZone: await options.tasks.timeZone(userId), tasks: options.tasks });
    if (!outcome.ok) return failure(outcome.code, outcome.error);
    return { content: [{ type: 'text', text: JSON.stringify(outcome.result) }], structuredContent: outcome.result as Record<string, unknown> };
  });
  return server;
}

function failure(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }], structuredContent: { error: { code, message } } };
}

export const mcpRoutes: FastifyPluginAsync<McpRoutesOptions> = async (app, options) => {
  // RFC 9728: what this resource is and how to present a token (a bearer header; tokens come from /api/tokens).
  const metadata = async (request: FastifyRequest) => ({
    resource: `${baseUrl(request)}/mcp`,
    resource_name: 'taskstream',
    bearer_methods_supported: ['header'],
    resource_documentation: `${baseUrl(request)}/docs`,
  });
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
    const origin = request.headers.origin;
    if (origin !== undefined && !options.origins.includes(origin)) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).hostname;
      } catch {
        // refused below
      }
      if (!originHost || !options.hostnames.includes(originHost)) return jsonRpcError(reply, 403, `Origin ${origin} is not allowed`);
    }
  };

  // The REST guard, plus where an MCP client learns how to authenticate when it is refused.
  const guard = requireUser(options.tokens);
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await guard(request);
    } catch (error) {
      reply.header('www-authenticate', `Bearer error="invalid_token", resource_metadata="${baseUrl(request)}/.well-known/oauth-protected-resource"`);
      throw error;
    }
  };

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    onRequest: [checkHostAndOrigin, authenticate],
    handler: async (request, reply) => {
      // Stateless: no session to resume (GET) or end (DELETE).
      if (request.method !== 'POST')
        return reply
          .status(405)
          .header('allow', 'POST')
          .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
      const server = serverFor(request.userId, options);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
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
