import "server-only";

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2_000;

export type LoopWork = {
  /** Whether anything is waiting. */
  pending(): boolean;
  /** Takes everything waiting and handles it; on failure it puts back what it took, then throws. */
  run(): Promise<void>;
  /** After a failed run, before the backoff: log it, widen the next run (e.g. "re-check everyone"). */
  failed(err: unknown): void;
};

/**
 * One background worker that coalesces: every `kick()` within a tick shares one run, runs never
 * overlap, and it keeps running while work is pending. A failed run (the database restarting) is
 * retried with a doubling backoff up to 2 s. The dispatcher and the session watcher use it.
 */
export class CoalescingLoop {
  private running = false;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly work: LoopWork) {}

  kick() {
    if (this.running) return;
    this.running = true;
    // setImmediate: everything that arrives in this tick goes into the same run.
    setImmediate(() => void this.loop());
  }

  private async loop() {
    while (this.work.pending()) {
      try {
        await this.work.run();
        this.retryMs = FIRST_RETRY_MS;
      } catch (err) {
        this.work.failed(err);
        await new Promise((r) => setTimeout(r, this.retryMs).unref());
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      }
    }
    this.running = false;
  }
}
