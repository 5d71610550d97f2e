// A real HTTP server speaking the Chat Completions streaming protocol (SSE), scripted per request.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { OpenAiProvider } from '../../src/assistant/providers/openai.ts';
import { createTestApp } from './app.ts';

export type ScriptedResponse =
  | { status: number; headers?: Record<string, string>; message?: string }
  | { chunks: object[]; stallAfter?: number; cutAfter?: number }
  /** Accepts the request and never answers, not even with headers. */
  | { silent: true };

export interface FakeOpenAi {
  url: string;
  requests: any[];
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

let chunkId = 0;
const chunk = (delta: object, finishReason: string | null = null) => ({
  id: `chatcmpl-${++chunkId}`,
  object: 'chat.completion.chunk',
  created: Math.floor(Date.now() / 1000),
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

/** A reply streamed as the given text pieces. */
export function textReply(...pieces: string[]): ScriptedResponse {
  return { chunks: [chunk({ role: 'assistant', content: '' }), ...pieces.map((content) => chunk({ content })), chunk({}, 'stop')] };
}

/** Tool calls whose arguments arrive split into fragments, as the API streams them. */
export function toolCallsReply(...calls: { id: string; name: string; argumentPieces: string[] }[]): ScriptedResponse {
  const chunks: object[] = [chunk({ role: 'assistant', content: null })];
  calls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of call.argumentPieces) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, 'tool_calls'));
  return { chunks };
}

async function readBody(request: IncomingMessage): Promise<any> {
  let body = '';
  for await (const part of request) body += part;
  return JSON.parse(body || '{}');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: ScriptedResponse[] = [];
  const requests: any[] = [];
  const open = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404).end();
      return;
    }
    requests.push(await readBody(request));
    const next = queue.shift() ?? textReply('(no scripted response)');
    if ('silent' in next) {
      open.add(response);
      response.on('close', () => open.delete(response));
      return;
    }
    if ('status' in next) {
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(JSON.stringify({ error: { message: next.message ?? `scripted ${next.status}`, type: 'server_error' } }));
      return;
    }
    open.add(response);
    response.on('close', () => open.delete(response));
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const [index, part] of next.chunks.entries()) {
      if (index === next.stallAfter) return; // keeps the connection open and silent
      if (index === next.cutAfter) {
        response.socket?.destroy();
        return;
      }
      response.write(`data: ${JSON.stringify(part)}\n\n`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...responses) => queue.push(...responses),
    close: () =>
      new Promise((resolve) => {
        for (const response of open) response.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The app with the real openai provider against a fake Chat Completions server, for one describe block. */
export function openAiSuite() {
  const suite = {} as { fake: FakeOpenAi; app: FastifyInstance };
  beforeAll(async () => {
    suite.fake = await startFakeOpenAi();
    suite.app = await createTestApp({}, { provider: new OpenAiProvider({ apiKey: 'sk-test', baseUrl: suite.fake.url, model: 'gpt-4o-mini', maxRetries: 0 }) });
  });
  afterAll(async () => {
    await suite.app?.close();
    await suite.fake?.close();
  });
  return suite;
}
