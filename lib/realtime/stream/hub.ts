import "server-only";
import { metrics } from "@/lib/metrics";
import type { Frame } from "../frames";
import type { CloseReason } from "../protocol";

/** One open stream, as the hub sees it. */
export interface Subscriber {
  readonly userId: string;
  /** Epoch ms after which the stream must end (maximum lifetime, session expiry). */
  readonly deadline: number;
  /** The session the stream was opened with; lib/realtime/stream/revocation.ts ends it when revoked. */
  readonly sessionId?: string;
  /** Opened with a subscriber token: its signing key (deleting the key ends the stream). */
  readonly signingKey?: string;
  /** Why the stream ends at its deadline, when the client must know (a token that expired). */
  readonly deadlineReason?: CloseReason;
  /** One round of frames for this user, in order. */
  deliver(frames: Frame[]): void;
  /** Every heartbeat interval: send the heartbeat comment (and notice a client that stopped reading). */
  heartbeat(): void;
  /** Ends the stream cleanly, telling the client why if there is a reason; it resumes from its last event id. */
  close(reason?: CloseReason): void;
}

/**
 * The one capability that publishes frames and moves watermarks. The hub hands it out once, to the
 * dispatcher, so a user's watermark has exactly one writer and only moves forward, in order.
 */
export interface Publisher {
  /** Publishes a user's frames in order; everything up to `watermark` has now been published. */
  publish(userId: string, frames: Frame[], watermark: number): void;
  /** A joining user's watermark, read from the database (ignored once it is known). */
  initWatermark(userId: string, watermark: number): void;
}

export type HubOptions = {
  /** Streams one user may hold on this process; a new one closes that user's oldest. */
  maxStreamsPerUser: number;
  /** A user's first stream on this process: their watermark has to be read (the dispatcher does). */
  onFirstStream(userId: string): void;
  /** A user's last stream on this process closed: what was kept for them can go. */
  onLastStream?(userId: string): void;
  /** How often every stream gets its heartbeat comment (HERALD_STREAM_HEARTBEAT_S). */
  heartbeatMs: number;
};
const SWEEP_MS = 1_000;

type Deferred = { promise: Promise<number>; resolve(watermark: number): void; reject(err: unknown): void };

/**
 * A user with open streams on this process. `watermark`: every change of the user numbered up to it
 * has been published here (null until the dispatcher has read the user's current number).
 */
class UserEntry {
  readonly subs = new Set<Subscriber>();
  watermark: number | null = null;
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
  private publisherTaken = false;
  private isDraining = false;

  constructor(private readonly options: HubOptions) {}

  /** Shutting down: no stream is kept or taken (lib/http/shutdown.mjs). */
  get draining() {
    return this.isDraining;
  }

  /**
   * Ends every stream with `restarting`: each browser resumes from its last event id, on another
   * instance behind the proxy or on this one once it is back, and loses nothing.
   */
  drain(): number {
    this.isDraining = true;
    const all = [...this.byUser.values()].flatMap((entry) => [...entry.subs]);
    for (const sub of all) sub.close("restarting");
    return all.length;
  }

  subscribe(sub: Subscriber): void {
    let entry = this.byUser.get(sub.userId);
    if (!entry) {
      this.byUser.set(sub.userId, (entry = new UserEntry()));
      this.options.onFirstStream(sub.userId);
    }
    entry.subs.add(sub);
    this.count++;
    this.opened++;
    metrics().streamsOpened.inc();
    // Added first, so the entry never empties; a Set iterates in insertion order, oldest first.
    for (const old of entry.subs) {
      if (entry.subs.size <= this.options.maxStreamsPerUser) break;
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
      this.options.onLastStream?.(sub.userId);
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
    return this.byUser.get(userId)?.watermark ?? null;
  }

  /** Resolves with the user's watermark once it is known (at once if it already is). */
  joined(userId: string): Promise<number> {
    const entry = this.byUser.get(userId);
    if (!entry) return Promise.reject(new Error("not subscribed"));
    if (entry.watermark !== null) return Promise.resolve(entry.watermark);
    if (!entry.joined) {
      let resolve!: (watermark: number) => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // a stream that went away before the join no longer awaits it
      entry.joined = { promise, resolve, reject };
    }
    return entry.joined.promise;
  }

  /** The publishing capability; there is one, and it is taken once (by the dispatcher). */
  publisher(): Publisher {
    if (this.publisherTaken) throw new Error("the hub's publisher is already taken");
    this.publisherTaken = true;
    return {
      publish: (userId, frames, watermark) => {
        const entry = this.byUser.get(userId);
        if (!entry) return;
        for (const sub of entry.subs) sub.deliver(frames);
        this.setWatermark(entry, watermark);
      },
      initWatermark: (userId, watermark) => {
        const entry = this.byUser.get(userId);
        if (entry && entry.watermark === null) this.setWatermark(entry, watermark);
      },
    };
  }

  private setWatermark(entry: UserEntry, watermark: number) {
    if (entry.watermark !== null && watermark <= entry.watermark) return;
    entry.watermark = watermark;
    if (entry.joined) {
      entry.joined.resolve(watermark);
      entry.joined = null;
    }
  }

  private sweep() {
    const now = Date.now();
    const heartbeat = now - this.lastHeartbeat >= this.options.heartbeatMs;
    if (heartbeat) this.lastHeartbeat = now;
    for (const entry of this.byUser.values()) {
      for (const sub of entry.subs) {
        if (sub.deadline <= now) sub.close(sub.deadlineReason);
        else if (heartbeat) sub.heartbeat();
      }
    }
  }
}
