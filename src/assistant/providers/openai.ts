// Chat Completions with streaming and tools through the official SDK, for any OpenAI-compatible server.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { AppError } from '../../shared/errors.ts';
import type { AssistantProvider, ChatMessage, ProviderRequest, ProviderToolCall } from '../provider.ts';

export interface OpenAiProviderOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  /** The most tokens one model round may write (`max_tokens`). */
  maxTokens?: number;
  /** Longest silence allowed while waiting for the next chunk before PROVIDER_TIMEOUT. */
  idleTimeoutMs?: number;
  /** Retries of 408/409/429/5xx and connection errors, with the SDK's exponential backoff. */
  maxRetries?: number;
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role !== 'assistant' || !message.tool_calls?.length) return message as ChatCompletionMessageParam;
  return {
    role: 'assistant',
    content: message.content,
    tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
}

export class OpenAiProvider implements AssistantProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.idleTimeoutMs ?? 60_000,
    });
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  async stream({ messages, tools, signal }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    // Aborted by the caller (stop) or by silence longer than the idle timeout.
    const controller = new AbortController();
    const abortFromCaller = () => controller.abort(signal.reason);
    signal.addEventListener('abort', abortFromCaller, { once: true });
    let timedOut = false;
    // Restarted on every chunk (refresh, not a new timer per delta).
    const idleTimer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('idle timeout'));
    }, this.idleTimeoutMs);
    const calls = new Map<number, ProviderToolCall>();
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages: messages.map(toOpenAiMessage),
          stream: true,
          max_tokens: this.options.maxTokens ?? 2_000,
          ...(tools.length ? { tools: tools.map((tool): ChatCompletionTool => ({ type: 'function', function: tool })) } : {}),
        },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        idleTimer.refresh();
        const delta = chunk.choices[0]?.delta;
        if (!delta) continue;
        if (delta.content) onText(delta.content);
        // Tool calls arrive in pieces keyed by index: the id and name once, the arguments in fragments.
        for (const piece of delta.tool_calls ?? []) {
          const call = calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
          if (piece.id) call.id = piece.id;
          if (piece.function?.name) call.name += piece.function.name;
          if (piece.function?.arguments) call.arguments += piece.function.arguments;
          calls.set(piece.index, call);
        }
      }
      // The SDK ends the iteration quietly on abort: an aborted stream is not a finished one.
      if (controller.signal.aborted) throw controller.signal.reason;
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      // The provider's own words (which can name the operator's key or account) go to the log only.
      if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
        throw new AppError('PROVIDER_TIMEOUT', 'The language model stopped answering; try again in a moment', undefined, { cause: error });
      }
      throw new AppError('PROVIDER_ERROR', 'The language model could not answer; try again in a moment', undefined, { cause: error });
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', abortFromCaller);
    }
    return [...calls.entries()].sort(([a], [b]) => a - b).map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
  }
}
