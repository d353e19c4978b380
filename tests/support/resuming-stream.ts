import { SseReader, type SseEvent } from "./sse";
import type { Client } from "./users";

/**
 * What a browser's EventSource does, made observable: one stream after another, each resuming with
 * `Last-Event-ID` = the last id received, so tests can check nothing is lost or repeated across
 * reconnects (forced ones, a server closing the stream, a server restart).
 */
export class ResumingStream {
  readonly segments: SseReader[] = [];
  /** Statuses of refused (re)connects, e.g. 401 once the session is gone. */
  readonly refusals: number[] = [];
  private stopped = false;
  private current: SseReader | null = null;
  private running: Promise<void>;

  private constructor(
    private readonly client: Client,
    private lastEventId: string | undefined,
  ) {
    this.running = this.loop();
  }

  /** Opens the first stream and resolves once it is live (`ready`). */
  static async open(client: Client, lastEventId?: string) {
    const stream = new ResumingStream(client, lastEventId);
    await stream.waitFor(() => stream.segments.length > 0 && stream.segments[0].named("ready").length > 0);
    return stream;
  }

  private async loop() {
    let delay = 50;
    while (!this.stopped) {
      const headers: Record<string, string> = this.lastEventId ? { "Last-Event-ID": this.lastEventId } : {};
      let reader: SseReader;
      try {
        reader = await SseReader.open(this.client, "", headers);
      } catch {
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
        continue;
      }
      if (reader.status !== 200) {
        this.refusals.push(reader.status);
        reader.close();
        if (reader.status === 401) return; // signed out: a browser is sent to sign in
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
        continue;
      }
      if (this.stopped) {
        reader.close(); // close() was called while this one was connecting
        return;
      }
      delay = 50;
      this.current = reader;
      this.segments.push(reader);
      await reader.closed;
      this.lastEventId = this.lastId ?? this.lastEventId;
    }
  }

  get events(): SseEvent[] {
    return this.segments.flatMap((s) => s.events);
  }

  get lastId(): string | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const id = this.segments[i].lastId;
      if (id) return id;
    }
    return undefined;
  }

  named(event: string) {
    return this.events.filter((e) => e.event === event);
  }

  /** Drops the current connection from the client side; the loop resumes at once. */
  reconnect() {
    this.current?.close();
  }

  /** Waits for a condition on what has arrived so far (a guard, not a speed check). */
  async waitFor(test: () => boolean, timeoutMs = 20_000, what = "condition") {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) {
        throw new Error(`${what} not met within ${timeoutMs} ms; events: ${JSON.stringify(this.events.map((e) => e.event).slice(-30))}`);
      }
      await sleep(20);
    }
  }

  async close() {
    this.stopped = true;
    this.current?.close();
    await this.running;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The change number inside an event id (`<seq>.<mac>`). */
export const seqOf = (e: SseEvent) => Number(e.id!.split(".")[0]);
