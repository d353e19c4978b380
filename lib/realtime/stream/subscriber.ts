import "server-only";
import { metrics } from "@/lib/metrics";
import { closedFrame, controlFrame, type Frame } from "../frames";
import type { Hub, Subscriber } from "./hub";
import type { CloseReason } from "../protocol";
import type { Sink } from "./sinks";

/**
 * Bytes a client may fall behind by before we drop it (it resumes from its last event id). Never
 * raised: a replay is written one piece at a time, each once the previous one has drained.
 */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

const HEARTBEAT: Frame[] = [controlFrame(": heartbeat\n\n")];

/**
 * One SSE stream of one user. Until its start-up (replay) is done it holds back what the dispatcher
 * publishes; then it writes that, skipping what the replay already covered (by seq), and goes live.
 * One object per connection and no timer of its own: the hub's sweeper enforces the deadline and
 * calls `heartbeat()`.
 */
export class StreamSubscriber implements Subscriber {
  private seq = 0;
  private held: Frame[] | null = [];
  private heldBytes = 0;
  private written = 0;
  /** At the last heartbeat: bytes written so far, and how many of them the client had not taken yet. */
  private writtenAtHeartbeat = 0;
  private waitingAtHeartbeat = 0;
  private closed = false;
  /** Set once, before the stream is registered (see Subscriber.sessionId and signingKey). */
  sessionId: string | undefined;
  signingKey: string | undefined;
  deadlineReason: CloseReason | undefined;

  constructor(
    readonly userId: string,
    readonly deadline: number,
    private readonly sink: Sink,
    private readonly hub: Hub,
  ) {}

  get isClosed() {
    return this.closed;
  }

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
    if (this.sink.backlog() > MAX_BACKLOG_BYTES) return this.drop();
    let events = 0;
    const out: Uint8Array[] = [];
    for (const f of frames) {
      if (f.seq !== 0) {
        if (f.seq <= this.seq) continue; // already sent (replay overlap, catch-up after a reconnect)
        this.seq = f.seq;
        events++;
      }
      out.push(f.bytes);
    }
    this.write(out);
    if (events > 0) metrics().liveEvents.inc(events);
  }

  /**
   * Every heartbeat interval. A client still behind that took less than half of what was already
   * waiting for it a whole interval earlier has stopped reading (or its connection is dead, or it
   * trickles): dropped, live or in its replay, whether or not anything new arrives for it. It
   * resumes from its last event id.
   */
  heartbeat() {
    if (this.closed) return;
    const backlog = this.sink.backlog();
    // Taken by the network since the last heartbeat (give or take the HTTP chunk framing).
    const taken = this.waitingAtHeartbeat + (this.written - this.writtenAtHeartbeat) - backlog;
    if (this.waitingAtHeartbeat > 0 && backlog > 0 && taken < this.waitingAtHeartbeat / 2) return this.drop();
    this.waitingAtHeartbeat = backlog;
    this.writtenAtHeartbeat = this.written;
    if (this.held) this.writeStartup(HEARTBEAT);
    else this.deliver(HEARTBEAT);
  }

  /** Start-up frames (retry, replay, reset, ready) go out ahead of anything held back. */
  writeStartup(frames: Frame[]) {
    if (this.closed) return;
    this.write(frames.map((f) => f.bytes));
  }

  /** Resolves once the client has taken what was written (a replay writes its next piece then). */
  drained(): Promise<void> {
    return this.closed ? Promise.resolve() : this.sink.drained();
  }

  goLive(seq: number) {
    if (this.closed) return;
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    this.seq = seq;
    this.deliver(held);
  }

  /**
   * Ends the stream cleanly after what is written; the client resumes from its last event id. With a
   * reason, the client is told why first (a stream closed for too many streams should not come
   * straight back).
   */
  close(reason?: CloseReason) {
    if (this.closed) return;
    if (reason) this.write([closedFrame(reason).bytes]);
    this.closed = true;
    this.held = null;
    this.hub.unsubscribe(this);
    this.sink.end();
  }

  /** The client went away. */
  gone() {
    this.closed = true;
    this.held = null;
    this.hub.unsubscribe(this);
  }

  /** A round's frames go to the sink together: one socket write for all of them. */
  private write(chunks: Uint8Array[]) {
    if (chunks.length === 0) return;
    for (const c of chunks) this.written += c.byteLength;
    this.sink.write(chunks);
  }

  private drop() {
    this.closed = true;
    this.held = null;
    this.hub.unsubscribe(this);
    this.sink.drop();
  }
}
