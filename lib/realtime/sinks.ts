import "server-only";
import type { ServerResponse } from "node:http";
import type { Sink } from "./subscriber";

/**
 * A web ReadableStream as a pull source: bytes wait in our own queue until the response asks for
 * more, so we know how far behind the client is, and dropping it frees that memory at once and ends
 * the response cleanly (the client sees the end and resumes). Wire `pull` and `cancel` to it.
 */
export class WebStreamSink implements Sink {
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private wake: (() => void) | null = null;
  private ending = false;
  private ended = false;

  constructor(private readonly controller: ReadableStreamDefaultController<Uint8Array>) {}

  write(chunk: Uint8Array) {
    if (this.ending) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.byteLength;
    this.wake?.();
  }

  backlog() {
    return this.queuedBytes - Math.min(0, this.controller.desiredSize ?? 0);
  }

  end() {
    this.ending = true;
    if (this.wake) this.wake();
    else if (!this.queue.length) this.finish();
  }

  drop() {
    this.queue = [];
    this.queuedBytes = 0;
    this.end();
  }

  /** The response wants more bytes: resolves once there are some (or the end). */
  pull(): Promise<void> | void {
    if (this.queue.length || this.ending) return this.flush();
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.flush();
        resolve();
      };
    });
  }

  cancel() {
    this.ending = true;
    this.ended = true;
    this.queue = [];
  }

  private flush() {
    if (this.ended) return;
    if (this.queue.length === 1) this.controller.enqueue(this.queue[0]);
    else if (this.queue.length > 1) this.controller.enqueue(concat(this.queue, this.queuedBytes));
    this.queue = [];
    this.queuedBytes = 0;
    if (this.ending) this.finish();
  }

  private finish() {
    if (this.ended) return;
    this.ended = true;
    try {
      this.controller.close();
    } catch {}
  }
}

/** Several frames as one chunk: one socket write instead of many when a client was behind. */
function concat(chunks: Uint8Array[], total: number) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A Node response written directly (the fast path): Node's own buffer is the backlog. */
export class NodeResponseSink implements Sink {
  constructor(private readonly res: ServerResponse) {}

  write(chunk: Uint8Array) {
    if (!this.res.destroyed) this.res.write(chunk);
  }

  backlog() {
    return this.res.writableLength;
  }

  end() {
    if (!this.res.destroyed) this.res.end();
  }

  drop() {
    // Destroying frees Node's buffer at once; what the kernel already holds still reaches the client,
    // which then sees the connection end and resumes.
    this.res.destroy();
  }
}
