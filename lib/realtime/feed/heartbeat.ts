import "server-only";

/**
 * A change feed's proof that its connection still hears: send a fresh token through the pool, and
 * expect it back over the feed's own connection within `timeoutMs`. A half-open TCP connection
 * looks alive but hears nothing; silence past the timeout calls `deaf`. Used by both feeds
 * (FeedTransport in transport.ts, for notify.ts and replication.ts).
 */
export class HeartbeatProbe {
  private token: string | null = null;
  private sentAt = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly deaf: () => void,
  ) {}

  /** Forget the token in flight (a new connection starts with none). */
  reset() {
    this.token = null;
  }

  /** A token came back over the connection. */
  heard(token: string | null) {
    if (token !== null && token === this.token) this.token = null;
  }

  get overdue() {
    return this.token !== null && Date.now() - this.sentAt > this.timeoutMs;
  }

  /** Sends the next token with `send`, unless one is still in flight (then checks it is not overdue). */
  async probe(send: (token: string) => Promise<void>) {
    if (this.token) {
      if (this.overdue) this.deaf();
      return;
    }
    const token = `${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    this.token = token;
    this.sentAt = Date.now();
    try {
      await send(token);
    } catch {
      // The database itself is unreachable: the feed's own connection will notice.
      if (this.token === token) this.token = null;
      return;
    }
    setTimeout(() => {
      if (this.token === token && this.overdue) this.deaf();
    }, this.timeoutMs + 50).unref();
  }
}
