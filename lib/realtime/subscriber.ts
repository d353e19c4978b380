import "server-only";
import type { Frame, Hub, Subscriber } from "./hub";

/** Bytes a live client may fall behind by before we drop it (it resumes from its last event id). */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

/**
 * One SSE stream of one user, as a pull source: frames wait in our own queue until the response
 * asks for more, so we always know how far behind the client is, and dropping it frees that memory
 * at once and ends the response cleanly (no error, the client just sees the end and resumes).
 *
 * Until its start-up (replay) is done it holds back what the dispatcher publishes; then it writes
 * that, skipping what the replay already covered (by seq), and goes live. One object per connection
 * and no timer of its own: the hub's sweeper enforces the deadline.
 */
export class StreamSubscriber implements Subscriber {
  private seq = 0;
  private held: Frame[] | null = [];
  private heldBytes = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private limit = MAX_BACKLOG_BYTES;
  private wake: (() => void) | null = null;
  private closed = false;
  private ended = false;

  constructor(
    readonly userId: string,
    readonly deadline: number,
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
    private readonly hub: Hub,
  ) {}

  deliver(frames: Frame[]) {
    if (this.closed) return;
    if (this.held) {
      for (const f of frames) {
        this.held.push(f);
        this.heldBytes += f.bytes.byteLength;
      }
      if (this.heldBytes > MAX_BACKLOG_BYTES) this.drop(); // a flood during a slow start-up
      return;
    }
    // Still this far behind when the next round comes: the client stopped reading. Memory per
    // stream stays within the allowance plus one round.
    if (this.backlog() > this.limit) return this.drop();
    for (const f of frames) {
      if (f.seq !== 0) {
        if (f.seq <= this.seq) continue; // already sent (replay overlap, catch-up after a reconnect)
        this.seq = f.seq;
      }
      this.push(f.bytes);
    }
  }

  /** Start-up frames (replay, reset, ready) go out ahead of anything held back. */
  writeStartup(frames: Frame[]) {
    if (this.closed) return;
    let bytes = 0;
    for (const f of frames) {
      this.push(f.bytes);
      bytes += f.bytes.byteLength;
    }
    // A big replay may be in flight on top of the usual allowance.
    this.limit = MAX_BACKLOG_BYTES + bytes;
  }

  goLive(seq: number) {
    const held = this.held ?? [];
    this.held = null;
    this.seq = seq;
    this.deliver(held);
  }

  /** Called by the response when it wants more bytes: resolves once there are some (or the end). */
  pull(): Promise<void> | void {
    if (this.queue.length || this.closed) return this.flush();
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.flush();
        resolve();
      };
    });
  }

  /** Ends the stream cleanly after what is queued; the client resumes from its last event id. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.hub.unsubscribe(this);
    if (this.wake) this.wake();
    else if (!this.queue.length) this.end();
  }

  /** The client went away. */
  cancel() {
    this.closed = true;
    this.ended = true;
    this.queue = [];
    this.hub.unsubscribe(this);
  }

  /** What the client has not read yet: our queue plus what the response already took but not sent. */
  private backlog() {
    return this.queuedBytes - Math.min(0, this.controller.desiredSize ?? 0);
  }

  private push(bytes: Uint8Array) {
    this.queue.push(bytes);
    this.queuedBytes += bytes.byteLength;
    this.wake?.();
  }

  private flush() {
    if (this.ended) return;
    if (this.queue.length === 1) this.controller.enqueue(this.queue[0]);
    else if (this.queue.length > 1) this.controller.enqueue(concat(this.queue, this.queuedBytes));
    this.queue = [];
    this.queuedBytes = 0;
    if (this.closed) this.end();
  }

  private end() {
    if (this.ended) return;
    this.ended = true;
    try {
      this.controller.close();
    } catch {}
  }

  /** Forgets what the client has not read (freeing it now) and ends the response. */
  private drop() {
    this.held = null;
    this.queue = [];
    this.queuedBytes = 0;
    this.close();
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
