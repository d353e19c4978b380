// EventSource cannot send `Authorization`, and a subscriber token never goes in a URL: a host page
// reads the stream with fetch() and parses Server-Sent Events itself. It offers the little of
// EventSource's interface the connection uses; the connection, not this, decides when to retry.

import type { Transport } from "./transport";

const BLANK_LINE = /\r?\n\r?\n/;

type Listener = (event: { data: string; lastEventId: string }) => void;

export type StreamSource = {
  addEventListener(type: string, listener: Listener): void;
  onerror: ((this: unknown) => void) | null;
  close(): void;
};

export class FetchEventSource implements StreamSource {
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly abort = new AbortController();
  private lastEventId = "";

  constructor(transport: Transport, path: string) {
    void this.run(transport, path);
  }

  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.abort.abort();
  }

  private async run(transport: Transport, path: string) {
    try {
      const res = await transport.fetch(path, { headers: { Accept: "text/event-stream" }, signal: this.abort.signal, cache: "no-store" });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let m = BLANK_LINE.exec(buffer); m; m = BLANK_LINE.exec(buffer)) {
          this.dispatch(buffer.slice(0, m.index));
          buffer = buffer.slice(m.index + m[0].length);
        }
      }
    } catch {
      // Closed by us, refused, or cut: the same for the connection, which backs off and resumes.
    }
    if (!this.abort.signal.aborted) this.onerror?.();
  }

  private dispatch(block: string) {
    let type = "message";
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
      else if (field === "id") this.lastEventId = value;
    }
    if (data.length === 0) return;
    for (const listener of this.listeners.get(type) ?? []) listener({ data: data.join("\n"), lastEventId: this.lastEventId });
  }
}

/** The stream through the page's transport: EventSource with the cookie, fetch with a token. */
export function openStream(transport: Transport, path: string): StreamSource {
  if (transport.usesToken) return new FetchEventSource(transport, path);
  return new EventSource(transport.url(path)) as unknown as StreamSource;
}
