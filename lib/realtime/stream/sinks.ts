import "server-only";
import type { ServerResponse } from "node:http";

/** Where a stream's bytes go: a web ReadableStream (route handler) or a Node response (fast path). */
export interface Sink {
  /** Frames written together (one round's), in order. */
  write(chunks: Uint8Array[]): void;
  /** Bytes written but not yet taken by the network: how far behind the client is. */
  backlog(): number;
  /** Resolves once the client has taken (nearly) everything written, or the response is gone. */
  drained(): Promise<void>;
  /** Ends the response after what was written. */
  end(): void;
  /** Forgets what the client has not read yet (freeing it now) and ends the response. */
  drop(): void;
}

/** How long a stream that was ended with bytes still unread may take to read them before it is cut. */
const END_GRACE_MS = 30_000;

/**
 * A web ReadableStream as a pull source: bytes wait in our own queue until the response asks for
 * more, so we know how far behind the client is, and dropping it frees that memory at once and ends
 * the response cleanly (the client sees the end and resumes). Wire `pull` and `cancel` to it.
 */
export class WebStreamSink implements Sink {
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private wake: (() => void) | null = null;
  private drainWaiters: (() => void)[] = [];
  private ending = false;
  private ended = false;

  constructor(private readonly controller: ReadableStreamDefaultController<Uint8Array>) {}

  write(chunks: Uint8Array[]) {
    if (this.ending) return;
    for (const chunk of chunks) {
      this.queue.push(chunk);
      this.queuedBytes += chunk.byteLength;
    }
    this.wake?.();
  }

  backlog() {
    return this.queuedBytes - Math.min(0, this.controller.desiredSize ?? 0);
  }

  /** Resolves once the response asked for more with nothing left queued (or the stream is over). */
  drained(): Promise<void> {
    if (this.ended || this.wake) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  end() {
    this.ending = true;
    if (this.wake) this.wake();
    else if (!this.queue.length) this.finish();
    else {
      // The client is behind: it gets the rest if it reads within the grace, else the response is cut.
      setTimeout(() => {
        if (this.ended) return;
        this.cancel();
        try {
          this.controller.error(new Error("the client stopped reading"));
        } catch {}
      }, END_GRACE_MS).unref();
    }
  }

  drop() {
    this.queue = [];
    this.queuedBytes = 0;
    this.end();
  }

  /** The response wants more bytes: resolves once there are some (or the end). */
  pull(): Promise<void> | void {
    if (this.queue.length || this.ending) return this.flush();
    this.wakeDrainWaiters();
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
    this.wakeDrainWaiters();
  }

  private wakeDrainWaiters() {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
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
    this.wakeDrainWaiters();
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
  /** The last write filled Node's buffer past its high-water mark: wait for 'drain'. */
  private full = false;

  constructor(private readonly res: ServerResponse) {}

  write(chunks: Uint8Array[]) {
    const res = this.res;
    if (res.destroyed) return;
    // One chunk: one system call per stream and round, not per frame.
    this.full = !res.write(chunks.length === 1 ? chunks[0] : concat(chunks, chunks.reduce((n, c) => n + c.byteLength, 0)));
  }

  backlog() {
    return this.res.writableLength;
  }

  drained(): Promise<void> {
    const res = this.res;
    if (!this.full || res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        this.full = false;
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }

  end() {
    const res = this.res;
    if (res.destroyed) return;
    res.end();
    // A client that never takes the rest would otherwise keep the response, and its buffer, forever.
    if (res.writableLength > 0) {
      const timer = setTimeout(() => res.destroy(), END_GRACE_MS).unref();
      res.once("close", () => clearTimeout(timer));
    }
  }

  drop() {
    // Destroying frees Node's buffer at once; what the kernel already holds still reaches the client,
    // which then sees the connection end and resumes.
    this.res.destroy();
  }
}
