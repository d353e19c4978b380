import "server-only";
import type { CloseReason } from "./events";

/**
 * One encoded SSE frame, shared by every stream it goes to. `seq` is the user's change number the
 * frame carries (0 for frames that are not changes: counts, heartbeats), so a stream can drop what
 * it already sent (a replay overlapping live delivery, a catch-up after a listener reconnect).
 */
export type Frame = { seq: number; bytes: Uint8Array };

/** One open stream, as the hub sees it. */
export interface Subscriber {
  readonly userId: string;
  /** Epoch ms after which the stream must end (maximum lifetime, session expiry). */
  readonly deadline: number;
  /** The session the stream was opened with; lib/realtime/revocation.ts ends it when revoked. */
  readonly sessionId?: string;
  /** One round of frames for this user, in order. */
  deliver(frames: Frame[]): void;
  /** Every HEARTBEAT_MS: send the heartbeat comment (and notice a client that stopped reading). */
  heartbeat(): void;
  /** Ends the stream cleanly, telling the client why if there is a reason; it resumes from its last event id. */
  close(reason?: CloseReason): void;
}

const encoder = new TextEncoder();

/** Encodes one SSE frame. Done once per event, then written to every subscriber of the user. */
export function sseFrame(event: string, data: unknown, id?: string): Uint8Array {
  const idLine = id ? `id: ${id}\n` : "";
  return encoder.encode(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export const HEARTBEAT_MS = 15_000;
const SWEEP_MS = 1_000;

type Deferred = { promise: Promise<number>; resolve(seq: number): void; reject(err: unknown): void };

/**
 * A user with open streams on this process. `seq` is the watermark: every change numbered up to it
 * has been published here (null until the dispatcher has read the user's current number).
 */
class UserEntry {
  readonly subs = new Set<Subscriber>();
  seq: number | null = null;
  joined: Deferred | null = null;
}

/**
 * Per-process registry of the open streams, keyed by user. One timer serves every stream: it sends
 * the heartbeat comment and ends streams past their deadline (no timer per connection). A user holds
 * at most `maxStreamsPerUser` streams here: a new one closes that user's oldest (normally a browser
 * holds one stream, however many tabs, so this only stops one user from holding unbounded memory).
 */
export class Hub {
  private readonly byUser = new Map<string, UserEntry>();
  private count = 0;
  private opened = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private lastHeartbeat = 0;
  /** Called when a user gets their first stream on this process: the dispatcher reads their number. */
  onJoin: (userId: string) => void = () => {};

  constructor(private readonly maxStreamsPerUser = 20) {}

  subscribe(sub: Subscriber): void {
    let entry = this.byUser.get(sub.userId);
    if (!entry) {
      this.byUser.set(sub.userId, (entry = new UserEntry()));
      this.onJoin(sub.userId);
    }
    entry.subs.add(sub);
    this.count++;
    this.opened++;
    // Added first, so the entry never empties; a Set iterates in insertion order, oldest first.
    for (const old of entry.subs) {
      if (entry.subs.size <= this.maxStreamsPerUser) break;
      old.close("too-many-streams");
    }
    if (!this.sweeper) {
      this.lastHeartbeat = Date.now();
      this.sweeper = setInterval(() => this.sweep(), SWEEP_MS).unref();
    }
  }

  unsubscribe(sub: Subscriber): void {
    const entry = this.byUser.get(sub.userId);
    if (!entry?.subs.delete(sub)) return;
    this.count--;
    if (entry.subs.size === 0) {
      this.byUser.delete(sub.userId);
      entry.joined?.reject(new Error("no streams left"));
    }
    if (this.count === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  hasSubscribers(userId: string) {
    return this.byUser.has(userId);
  }

  /** A user's open streams on this process. */
  subscribersOf(userId: string): Subscriber[] {
    return [...(this.byUser.get(userId)?.subs ?? [])];
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }

  /** Streams open on this process right now. */
  get size() {
    return this.count;
  }

  /** Streams opened since the process started. */
  get totalOpened() {
    return this.opened;
  }

  watermark(userId: string): number | null {
    return this.byUser.get(userId)?.seq ?? null;
  }

  /** Resolves with the user's watermark once it is known (at once if it already is). */
  joined(userId: string): Promise<number> {
    const entry = this.byUser.get(userId);
    if (!entry) return Promise.reject(new Error("not subscribed"));
    if (entry.seq !== null) return Promise.resolve(entry.seq);
    if (!entry.joined) {
      let resolve!: (seq: number) => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // a stream that went away before the join no longer awaits it
      entry.joined = { promise, resolve, reject };
    }
    return entry.joined.promise;
  }

  /** Publishes a user's frames in order and moves the watermark; only the dispatcher calls this. */
  publish(userId: string, frames: Frame[], seq: number) {
    const entry = this.byUser.get(userId);
    if (!entry) return;
    for (const sub of entry.subs) sub.deliver(frames);
    this.setWatermark(entry, seq);
  }

  /** Sets a joining user's watermark (the dispatcher read it from the database). */
  initWatermark(userId: string, seq: number) {
    const entry = this.byUser.get(userId);
    if (entry && entry.seq === null) this.setWatermark(entry, seq);
  }

  private setWatermark(entry: UserEntry, seq: number) {
    if (entry.seq !== null && seq <= entry.seq) return;
    entry.seq = seq;
    if (entry.joined) {
      entry.joined.resolve(seq);
      entry.joined = null;
    }
  }

  private sweep() {
    const now = Date.now();
    const heartbeat = now - this.lastHeartbeat >= HEARTBEAT_MS;
    if (heartbeat) this.lastHeartbeat = now;
    for (const entry of this.byUser.values()) {
      for (const sub of entry.subs) {
        if (sub.deadline <= now) sub.close();
        else if (heartbeat) sub.heartbeat();
      }
    }
  }
}
