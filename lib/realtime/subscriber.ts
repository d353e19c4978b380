import "server-only";
import type { Frame, Hub, Subscriber } from "./hub";

/** Bytes a live client may fall behind by before we drop it (it resumes from its last event id). */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

/** Where a stream's bytes go: a web ReadableStream (route handler) or a Node response (fast path). */
export interface Sink {
  write(chunk: Uint8Array): void;
  /** Bytes written but not yet taken by the network: how far behind the client is. */
  backlog(): number;
  /** Ends the response after what was written. */
  end(): void;
  /** Forgets what the client has not read yet (freeing it now) and ends the response. */
  drop(): void;
}

/**
 * One SSE stream of one user. Until its start-up (replay) is done it holds back what the dispatcher
 * publishes; then it writes that, skipping what the replay already covered (by seq), and goes live.
 * One object per connection and no timer of its own: the hub's sweeper enforces the deadline.
 */
export class StreamSubscriber implements Subscriber {
  private seq = 0;
  private held: Frame[] | null = [];
  private heldBytes = 0;
  private limit = MAX_BACKLOG_BYTES;
  private closed = false;
  /** Set once, before the stream is registered (see Subscriber.sessionId). */
  sessionId: string | undefined;

  constructor(
    readonly userId: string,
    readonly deadline: number,
    private readonly sink: Sink,
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
    // stream stays within the allowance plus one round. It resumes from its last event id.
    if (this.sink.backlog() > this.limit) return this.drop();
    for (const f of frames) {
      if (f.seq !== 0) {
        if (f.seq <= this.seq) continue; // already sent (replay overlap, catch-up after a reconnect)
        this.seq = f.seq;
      }
      this.sink.write(f.bytes);
    }
  }

  /** Start-up frames (retry, replay, reset, ready) go out ahead of anything held back. */
  writeStartup(frames: Frame[]) {
    if (this.closed) return;
    let bytes = 0;
    for (const f of frames) {
      this.sink.write(f.bytes);
      bytes += f.bytes.byteLength;
    }
    // A big replay may be in flight on top of the usual allowance.
    this.limit = Math.max(this.limit, MAX_BACKLOG_BYTES + bytes);
  }

  goLive(seq: number) {
    const held = this.held ?? [];
    this.held = null;
    this.seq = seq;
    this.deliver(held);
  }

  /** Ends the stream cleanly after what is written; the client resumes from its last event id. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.hub.unsubscribe(this);
    this.sink.end();
  }

  /** The client went away. */
  gone() {
    this.closed = true;
    this.held = null;
    this.hub.unsubscribe(this);
  }

  private drop() {
    this.closed = true;
    this.held = null;
    this.hub.unsubscribe(this);
    this.sink.drop();
  }
}
