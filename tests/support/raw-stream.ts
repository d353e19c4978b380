import net from "node:net";
import { BASE_URL } from "./env";

export type RawFrame = { event: string; id?: string; data: any };

/**
 * A stream opened on a raw socket that reads nothing until `resume()`: a client that stopped
 * reading, as the server sees it. `frames()` are the complete SSE frames received so far (a frame
 * cut off by the server dropping the connection was not received, as in a browser).
 */
export class RawStream {
  private readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  readonly closed: Promise<void>;

  constructor(cookie: string, lastEventId?: string, baseUrl = BASE_URL()) {
    const url = new URL(baseUrl);
    this.socket = net.connect(Number(url.port), url.hostname);
    this.socket.pause();
    this.socket.on("error", () => {});
    this.closed = new Promise((resolve) => this.socket.once("close", () => resolve()));
    const resume = lastEventId ? `Last-Event-ID: ${lastEventId}\r\n` : "";
    this.socket.write(`GET /api/notifications/stream HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n${resume}\r\n`);
  }

  /** Starts reading (and keeps reading) what the server sent. */
  resume() {
    this.socket.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    this.socket.resume();
  }

  destroy() {
    this.socket.destroy();
  }

  frames(): RawFrame[] {
    const data = Buffer.concat(this.chunks);
    const headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0) return [];
    const body = dechunk(data.subarray(headEnd + 4)).toString("utf8");
    const frames: RawFrame[] = [];
    for (const block of body.split("\n\n").slice(0, -1)) {
      const lines = block.split("\n").filter((l) => !l.startsWith(":"));
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field("event");
      const data = field("data");
      if (event && data !== undefined) frames.push({ event, id: field("id"), data: JSON.parse(data) });
    }
    return frames;
  }
}

/** The complete chunks of a chunked HTTP body. */
function dechunk(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = buf.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0 || lineEnd + 2 + size > buf.length) break;
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
