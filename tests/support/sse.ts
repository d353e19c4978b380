import type { Client } from "./users";

export type SseEvent = { event: string; id?: string; data: any };

/** Reads an SSE response into parsed events, with a way to wait for the one you expect. */
export class SseReader {
  readonly events: SseEvent[] = [];
  private waiters: { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private controller = new AbortController();
  closed: Promise<void>;
  status = 0;
  /** True when the server ended the response normally (not an error, not our own close()). */
  endedCleanly = false;

  private constructor(private readonly res: Response, controller: AbortController) {
    this.controller = controller;
    this.status = res.status;
    this.closed = this.pump();
  }

  /** Resolves once the stream is live (`ready`); `readyWithinMs` is a guard for a long replay. */
  static async open(client: Client, query = "", headers: Record<string, string> = {}, readyWithinMs = 10_000) {
    const controller = new AbortController();
    const res = await client.fetch(`/api/notifications/stream${query}`, { signal: controller.signal, headers });
    const reader = new SseReader(res, controller);
    if (res.ok) await reader.waitFor((e) => e.event === "ready", readyWithinMs);
    return reader;
  }

  private async pump() {
    if (!this.res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of this.res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.handle(frame);
        }
      }
      this.endedCleanly = !this.controller.signal.aborted;
    } catch {
      // aborted by close()
    }
  }

  private handle(frame: string) {
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split("\n")) {
      if (line.startsWith(":") || line === "") continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    const parsed: SseEvent = { event, id, data: JSON.parse(data.join("\n")) };
    this.events.push(parsed);
    this.waiters = this.waiters.filter((w) => (w.test(parsed) ? (w.resolve(parsed), false) : true));
  }

  /** The id of the last event that carried one: what a reconnect sends as Last-Event-ID. */
  get lastId(): string | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].id) return this.events[i].id;
    return undefined;
  }

  named(event: string) {
    return this.events.filter((e) => e.event === event);
  }

  waitFor(test: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const found = this.events.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`)), timeoutMs);
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  close() {
    this.controller.abort();
  }
}
