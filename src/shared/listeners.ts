// A typed list of listeners: how a service hears of something another one did, wired at construction.

export class Listeners<Args extends unknown[]> {
  private readonly listeners: ((...args: Args) => void)[] = [];

  on(listener: (...args: Args) => void): void {
    this.listeners.push(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.listeners) listener(...args);
  }
}
