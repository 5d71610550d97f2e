// An in-process provider whose reply the test paces: each text piece waits for `release()`, and
// pieces released together still come a delta window apart, as a model streams them (each its own
// delta: the room's writer joins only text that comes faster than that).

import { setTimeout as sleep } from 'node:timers/promises';
import type { AssistantProvider, ProviderRequest, ProviderToolCall } from '../../src/assistant/provider.ts';
import { deltaWindowMs } from '../../src/realtime/fan-out.ts';

export class PacedProvider implements AssistantProvider {
  readonly name = 'paced';
  requests = 0;
  private waiting: (() => void)[] = [];
  private released = 0;

  constructor(private readonly pieces: string[]) {}

  /** Lets `count` more pieces through (across all replies). */
  release(count = 1): void {
    this.released += count;
    for (const wake of this.waiting.splice(0)) wake();
  }

  async stream({ signal }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    this.requests += 1;
    for (const piece of this.pieces) {
      while (this.released === 0) {
        await new Promise<void>((resolve, reject) => {
          this.waiting.push(resolve);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      this.released -= 1;
      onText(piece);
      await sleep(deltaWindowMs, undefined, { signal });
    }
    return [];
  }
}

/** Streams `count` words as fast as a quick model: ten at a time, 2 ms apart. */
export class BurstProvider implements AssistantProvider {
  readonly name = 'burst';
  constructor(private readonly count: number) {}
  async stream(_request: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    for (let index = 0; index < this.count; index++) {
      onText(`w${index} `);
      if (index % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return [];
  }
}

/** Streams `count` words at a model's pace: one every `intervalMs` (each its own delta when that is half a delta window or more). */
export class SteadyProvider implements AssistantProvider {
  readonly name = 'steady';
  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
  ) {}
  async stream({ signal }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    for (let index = 0; index < this.count; index++) {
      onText(`w${index} `);
      await sleep(this.intervalMs, undefined, { signal });
    }
    return [];
  }
}
