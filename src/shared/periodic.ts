// A job a service runs now and then (the reminders' scheduler, the purge of removed files): one run
// at a time, the next one `everyMs` after the last ended, and stop() waits for the one running.
export class Periodic {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly work: () => Promise<number>) {}

  /** Runs the job now, or joins the run under way. */
  run(): Promise<number> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs the job after `firstAfterMs`, then every `everyMs` after each run. */
  start(everyMs: number, firstAfterMs = everyMs): void {
    const schedule = (delay: number) => {
      if (!this.stopped) this.timer = setTimeout(() => void this.run().then(() => schedule(everyMs)), delay).unref();
    };
    schedule(firstAfterMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
