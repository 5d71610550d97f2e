// An in-process provider whose reply the test paces: each text piece waits for `release()`.
import type { AssistantProvider, ProviderRequest, ProviderToolCall } from '../../src/assistant/provider.ts';

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
    }
    return [];
  }
}
