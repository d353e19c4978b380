// Transport of the live stream: owns the EventSource, reconnects with backoff and keeps the
// last event id. It knows nothing of React or the cache: events go to `onEvent`, state to `onState`.

export type ConnectionState =
  | { status: "connecting" }
  | { status: "live" }
  | { status: "reconnecting"; retryAt: number; attempt: number }
  | { status: "offline" };

export type StreamEvent = { type: string; at: number; data: unknown; id?: string };

export type ConnectionHandlers = {
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  /** The stream answered 401: the session is over. */
  onUnauthorized(): void;
};

const EVENT_TYPES = ["ready", "notification.created", "notification.updated", "notification.deleted", "notifications.count", "sync.reset"];
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export class RealtimeConnection {
  private source: EventSource | null = null;
  private timer: number | undefined;
  private attempt = 0;
  private lastEventId = "";
  private stopped = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  /** Whether this tab holds the stream (always, until tabs share one connection). */
  isLeader() {
    return true;
  }

  start() {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
  }

  /** Manual reconnect: now, without waiting for the backoff. */
  reconnect() {
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    this.connect();
  }

  private connect() {
    if (this.stopped) return;
    this.handlers.onState(this.attempt === 0 ? { status: "connecting" } : { status: "reconnecting", retryAt: Date.now(), attempt: this.attempt });
    const url = this.lastEventId
      ? `/api/notifications/stream?lastEventId=${encodeURIComponent(this.lastEventId)}`
      : "/api/notifications/stream";
    const source = new EventSource(url);
    this.source = source;
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        const msg = e as MessageEvent<string>;
        if (msg.lastEventId) this.lastEventId = msg.lastEventId;
        if (type === "ready") {
          this.attempt = 0;
          this.handlers.onState({ status: "live" });
        }
        this.handlers.onEvent({ type, at: Date.now(), data: JSON.parse(msg.data), id: msg.lastEventId || undefined });
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

  private async retry() {
    if (this.stopped) return;
    // A 401 means the session ended: stop retrying and let the app send the user to sign in.
    const res = await fetch("/api/notifications/unread-count", { cache: "no-store" }).catch(() => null);
    if (res?.status === 401) {
      this.handlers.onUnauthorized();
      return;
    }
    this.attempt++;
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.attempt - 1));
    const delay = base / 2 + Math.random() * (base / 2);
    this.handlers.onState(
      navigator.onLine ? { status: "reconnecting", retryAt: Date.now() + delay, attempt: this.attempt } : { status: "offline" },
    );
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  private onOnline = () => {
    if (!this.source) this.reconnect();
  };

  private onOffline = () => this.handlers.onState({ status: "offline" });
}
