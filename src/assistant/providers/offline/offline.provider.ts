// The built-in assistant without a language model: reads English requests deterministically (the
// grammar in intents/), makes the same tool calls through the same agent loop, and streams its reply
// word by word.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AssistantProvider, ChatMessage, ProviderRequest, ProviderToolCall } from '../../provider.ts';
import type { Outcome, Step } from './grammar.ts';
import { planStep, understand } from './intents/index.ts';
import type { Clock } from './when.ts';

/** The request of the current turn, its tool calls and their results (after the last user message), and what came before. */
function turnOf(messages: ChatMessage[]): { request: string; outcomes: Outcome[]; earlier: ChatMessage[] } {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const outcomes: Outcome[] = [];
  const pending = new Map<string, { name: string; args: Record<string, unknown> }>();
  for (const message of messages.slice(lastUser + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) pending.set(call.id, { name: call.name, args: JSON.parse(call.arguments || '{}') });
    } else if (message.role === 'tool') {
      const call = pending.get(message.tool_call_id);
      if (call) outcomes.push({ ...call, output: JSON.parse(message.content) as Record<string, unknown> });
    }
  }
  return { request: lastUser >= 0 ? (messages[lastUser] as { content: string }).content : '', outcomes, earlier: messages.slice(0, Math.max(lastUser, 0)) };
}

/** Decides the next step of a turn from the request and what the tools answered so far: the intent's own plan. */
export function nextStep(messages: ChatMessage[], clock: Clock): Step {
  const { request, outcomes, earlier } = turnOf(messages);
  return planStep(understand(request, clock), { outcomes, earlier, clock });
}

export class OfflineProvider implements AssistantProvider {
  readonly name = 'offline';
  private callCount = 0;

  constructor(private readonly options: { wordDelayMs: number }) {}

  async stream({ messages, signal, now, timeZone }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    const step = nextStep(messages, { now, timeZone });
    if ('calls' in step) {
      return step.calls.map((call) => ({ id: `call_offline_${++this.callCount}`, name: call.name, arguments: JSON.stringify(call.args) }));
    }
    for (const word of step.say.match(/\S+\s*|\s+/g) ?? []) {
      signal.throwIfAborted();
      if (this.options.wordDelayMs > 0) await sleep(this.options.wordDelayMs, undefined, { signal });
      onText(word);
    }
    return [];
  }
}
