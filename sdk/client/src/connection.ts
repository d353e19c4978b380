// Transport of the live stream. One browser holds ONE EventSource: the tab holding a Web Lock is the
// leader; it opens the stream and relays every event and state change over a BroadcastChannel to the
// other tabs. When the leader closes, the browser hands the lock to another tab, which resumes with
// the last event id it saw, so the server replays whatever fell in between. Without Web Locks or
// BroadcastChannel each tab holds its own stream. It knows nothing of React or the cache: events go
// to `onEvent`, state to `onState`. The events and their payloads are lib/realtime/protocol.ts.

import { openStream, type StreamSource } from "./fetch-event-source";
import { transport } from "./transport";
import { isNumbered, parseCursor, STREAM_EVENT_NAMES, type StreamEvent, type StreamEventMap } from "@/lib/realtime/protocol";

export type ConnectionState =
  | { status: "connecting" }
  | { status: "live" }
  | { status: "reconnecting"; retryAt: number; attempt: number }
  | { status: "offline" };

export type { StreamEvent };

export type ConnectionHandlers = {
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  /** The stream answered 401: the session is over. */
  onUnauthorized(): void;
  /**
   * The resume cursor the page was rendered with: the first connect resumes from it, so whatever
   * committed between the render and the connect is replayed rather than lost.
   */
  resumeFrom?: string | null;
  /** This tab started listening to the leader after changes it cannot replay: read everything again. */
  onMissed?(): void;
};

type Relay =
  | { t: "event"; event: StreamEvent }
  | { t: "state"; state: ConnectionState }
  | { t: "unauthorized" }
  | { t: "hello" }
  | { t: "position"; lastEventId: string }
  | { t: "reconnect" };

const LOCK_NAME = "herald-realtime-leader";
const CHANNEL_NAME = "herald-realtime";
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const RESTART_SPREAD_MS = 1_000;

/** The change number inside an event id, used to drop events seen twice. */
const seqOf = (id: string | undefined) => parseCursor(id)?.seq ?? null;

export class RealtimeConnection {
  private source: StreamSource | null = null;
  private timer: number | undefined;
  private attempt = 0;
  private lastEventId = "";
  private lastSeq = -1;
  /** The server closed our stream because the user holds too many: come back slowly, or tabs take turns evicting each other. */
  private evicted = false;
  /** The server is shutting down (a deploy, a restart): come back at once, elsewhere, without counting it as a failure. */
  private restarting = false;
  private stopped = false;
  private role: "solo" | "leader" | "follower" = "solo";
  private state: ConnectionState = { status: "connecting" };
  private channel: BroadcastChannel | null = null;
  private lockAbort: AbortController | null = null;
  private releaseLock: (() => void) | null = null;
  /** The rendered position, until the leader first tells this tab where the stream is. */
  private renderedSeq: number | null;

  constructor(private readonly handlers: ConnectionHandlers) {
    this.renderedSeq = seqOf(handlers.resumeFrom ?? undefined);
    if (this.renderedSeq !== null) {
      this.lastEventId = handlers.resumeFrom!;
      this.lastSeq = this.renderedSeq;
    }
  }

  /** Whether this tab holds the stream: the one tab that should fire native browser notifications. */
  isLeader() {
    return this.role !== "follower";
  }

  start() {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    if (typeof BroadcastChannel === "undefined" || !navigator.locks) {
      this.connect(); // no way to share: one stream per tab
      return;
    }
    this.role = "follower";
    this.channel = new BroadcastChannel(CHANNEL_NAME);
    this.channel.onmessage = (e: MessageEvent<Relay>) => this.onRelay(e.data);
    this.setState({ status: "connecting" });
    this.lockAbort = new AbortController();
    navigator.locks
      .request(LOCK_NAME, { signal: this.lockAbort.signal }, () => {
        if (this.stopped) return;
        this.role = "leader";
        this.attempt = 0;
        this.connect();
        // Held until this tab closes or stops: the browser then grants it to the next tab.
        return new Promise<void>((resolve) => (this.releaseLock = resolve));
      })
      .catch(() => {}); // aborted by stop() before we became leader
    this.channel.postMessage({ t: "hello" } satisfies Relay);
  }

  stop() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    this.lockAbort?.abort();
    this.releaseLock?.();
    this.channel?.close();
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
  }

  /** Manual reconnect: now, without waiting for the backoff (a follower asks the leader). */
  reconnect() {
    if (this.role === "follower") {
      this.channel?.postMessage({ t: "reconnect" } satisfies Relay);
      return;
    }
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    this.connect();
  }

  private connect() {
    if (this.stopped) return;
    this.setState(this.attempt === 0 ? { status: "connecting" } : { status: "reconnecting", retryAt: Date.now(), attempt: this.attempt });
    const path = this.lastEventId
      ? `/api/notifications/stream?lastEventId=${encodeURIComponent(this.lastEventId)}`
      : "/api/notifications/stream";
    const source = openStream(transport(), path);
    this.source = source;
    for (const type of STREAM_EVENT_NAMES) {
      source.addEventListener(type, (msg) => {
        // The server encodes each name with its payload type (lib/realtime/frames.ts).
        const event = { type, at: Date.now(), data: JSON.parse(msg.data) as StreamEventMap[typeof type], id: msg.lastEventId || undefined } as StreamEvent;
        if (event.type === "ready") {
          this.attempt = 0;
          this.evicted = false;
          this.setState({ status: "live" });
        }
        if (event.type === "stream.closed") {
          this.evicted = event.data.reason === "too-many-streams";
          // A restart, or a subscriber token that ran out: the next stream (with a fresh token) at once.
          this.restarting = event.data.reason === "restarting" || event.data.reason === "token-expired" || event.data.reason === "token-revoked";
        }
        if (this.accept(event)) this.channel?.postMessage({ t: "event", event } satisfies Relay);
      });
    }
    source.onerror = () => {
      if (source !== this.source) return;
      // Whatever the browser would do on its own, we decide: close and retry with our backoff.
      source.close();
      this.source = null;
      void this.retry();
    };
  }

  /**
   * Hands an event on unless it was already seen: a new leader's replay may repeat what the old one
   * relayed. `ready` and `sync.reset` carry the stream's position; a reset may move it backwards.
   */
  private accept(event: StreamEvent): boolean {
    // EventSource reports the stream's last id on every message, including those sent without an
    // `id:` line (notifications.count): only change events and positions are numbered.
    const seq = isNumbered(event.type) ? seqOf(event.id) : null;
    if (seq !== null) {
      if (event.type === "sync.reset") this.lastSeq = seq;
      else if (event.type === "ready") this.lastSeq = Math.max(this.lastSeq, seq);
      else if (seq <= this.lastSeq) return false;
      else this.lastSeq = seq;
      if (this.lastSeq === seq) this.lastEventId = event.id!;
    }
    this.handlers.onEvent(event);
    return true;
  }

  private onRelay(msg: Relay) {
    if (this.stopped) return;
    if (msg.t === "hello" && this.role === "leader") {
      this.channel?.postMessage({ t: "state", state: this.state } satisfies Relay);
      if (this.lastEventId) this.channel?.postMessage({ t: "position", lastEventId: this.lastEventId } satisfies Relay);
    }
    if (msg.t === "reconnect" && this.role === "leader") this.reconnect();
    if (this.role !== "follower") return;
    if (msg.t === "event") this.accept(msg.event);
    else if (msg.t === "state") this.setState(msg.state);
    else if (msg.t === "unauthorized") this.handlers.onUnauthorized();
    else if (msg.t === "position") this.catchUp(msg.lastEventId);
  }

  /**
   * The leader relays events only to tabs already listening: one that rendered earlier than the
   * leader's position may have missed some of what lies between, and the relay cannot replay them.
   * It reads everything again (no toasts for those) and takes the leader's position, so that, should
   * it lead later, it does not replay them as new.
   */
  private catchUp(lastEventId: string) {
    const rendered = this.renderedSeq;
    const seq = seqOf(lastEventId);
    if (rendered === null || seq === null) return;
    this.renderedSeq = null; // once: later positions answer other tabs' hellos
    if (seq <= rendered) return;
    if (seq > this.lastSeq) {
      this.lastSeq = seq;
      this.lastEventId = lastEventId;
    }
    this.handlers.onMissed?.();
  }

  private setState(state: ConnectionState) {
    this.state = state;
    this.handlers.onState(state);
    if (this.role === "leader") this.channel?.postMessage({ t: "state", state } satisfies Relay);
  }

  private async retry() {
    if (this.stopped) return;
    // A 401 means the session ended: stop retrying and let the app send the user to sign in.
    const res = await transport()
      .fetch("/api/notifications/unread-count", { cache: "no-store" })
      .catch(() => null);
    if (this.stopped) return;
    if (res?.status === 401) {
      this.channel?.postMessage({ t: "unauthorized" } satisfies Relay);
      this.handlers.onUnauthorized();
      return;
    }
    // After a restart notice, within a second (spread, so thousands of browsers do not arrive at once).
    const restarting = this.restarting;
    this.restarting = false;
    if (!restarting) this.attempt++;
    const base = this.evicted ? MAX_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.attempt - 1));
    const delay = restarting ? Math.random() * RESTART_SPREAD_MS : base / 2 + Math.random() * (base / 2);
    this.setState(navigator.onLine ? { status: "reconnecting", retryAt: Date.now() + delay, attempt: this.attempt } : { status: "offline" });
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  // Back online: the old connection may be half-open after the network change, and the state says
  // "offline". Reconnect now; the last event id makes it lossless.
  private onOnline = () => {
    if (this.role !== "follower") this.reconnect();
  };

  private onOffline = () => {
    if (this.role !== "follower") this.setState({ status: "offline" });
  };
}
