// The built-in assistant without a language model: reads English requests deterministically (the
// grammar in intents/), makes the same tool calls through the same agent loop, and streams its reply
// word by word.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AssistantProvider, ChatMessage, ProviderRequest, ProviderToolCall } from '../../provider.ts';
import { dialogueOf, turnsOf } from './dialogue.ts';
import { understandInContext } from './follow-ups.ts';
import type { Step } from './grammar.ts';
import { planStep } from './intents/index.ts';
import type { Clock } from './when.ts';

/** Decides the next step of a turn from its request read in the conversation so far and what the tools answered so far: the intent's own plan. */
export function nextStep(messages: ChatMessage[], clock: Clock): Step {
  const turns = turnsOf(messages);
  const current = turns.at(-1) ?? { request: '', outcomes: [] };
  const dialogue = dialogueOf(turns.slice(0, -1));
  return planStep(understandInContext(current.request, dialogue, clock), { outcomes: current.outcomes, dialogue, clock });
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
