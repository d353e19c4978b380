import "server-only";
import os from "node:os";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import { NotifyTransport } from "./notify";
import { ReplicationTransport, replicationAvailable } from "./replication";
import type { FeedTransaction } from "./transaction";
import type { FeedHandler, FeedOptions, FeedState, FeedTransport } from "./transport";

export type FeedMode = "auto" | "replication" | "notify";

/** Who hears what the feed hears. */
export type FeedConsumers = {
  /** Live delivery: every committed transaction, and a catch-up from the tables after every (re)connect. */
  delivery: { transaction(tx: FeedTransaction): void; catchUp(): void };
  /** Open streams' sessions: revoked ones end; after a (re)connect all are re-checked. */
  sessions: { revoked(userId: string, sessionId?: string): void; recheckAll(): void };
};

/**
 * How this process hears committed changes: logical replication when the database allows it
 * (wal_level = logical, a role that may replicate, the publications present), LISTEN/NOTIFY
 * otherwise. `auto` decides at start, and also falls back to NOTIFY when the first replication
 * connection fails (no free slot or WAL sender, say), or when a lost one is refused again and again
 * (until the process restarts); `replication` and `notify` force one. Either way it hands over whole
 * committed transactions, reports one state, and /api/health says which path runs and why, in words
 * of its own: the unauthenticated health answer never repeats what the database said (the log has that).
 */
export class ChangeFeed {
  private current: FeedTransport | null = null;
  private stopped = false;
  private readonly options: FeedOptions;
  private startingReason: string | null = null;
  private readonly handler: FeedHandler;

  constructor(
    private readonly url: string,
    options: Omit<FeedOptions, "instance">,
    consumers: FeedConsumers,
    private readonly wanted: FeedMode,
  ) {
    this.options = { ...options, instance: `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}` };
    const { delivery, sessions } = consumers;
    this.handler = {
      transaction(tx) {
        delivery.transaction(tx);
        // Too big to keep: whichever sessions it revoked, every open stream's is re-checked.
        if (tx.changes === null) return sessions.recheckAll();
        for (const c of tx.changes) if (c.kind === "session") sessions.revoked(c.userId, c.sessionId);
      },
      resumed() {
        delivery.catchUp();
        sessions.recheckAll();
      },
    };
  }

  /** This process's name in herald_listeners and herald_instances: host, pid and a random tag. */
  get instance() {
    return this.options.instance;
  }

  start() {
    void this.choose();
  }

  private async choose() {
    if (this.wanted === "notify") return this.useNotify("HERALD_REALTIME=notify");
    if (this.wanted === "replication") return this.useReplication(false);
    let found: Awaited<ReturnType<typeof replicationAvailable>>;
    try {
      found = await replicationAvailable();
    } catch (err) {
      // The database is not reachable yet: the NOTIFY listener reconnects until it is, and a
      // restart with the database up takes the faster path.
      this.startingReason = "the database could not be asked whether it can replicate";
      logError("realtime: replication check failed; using LISTEN/NOTIFY", err);
      return this.useNotify(this.startingReason);
    }
    if (found.ok) return this.useReplication(true);
    return this.useNotify(found.reason);
  }

  private useReplication(fallBack: boolean) {
    if (this.stopped) return;
    const feed = new ReplicationTransport(this.url, this.options, this.handler);
    if (fallBack) {
      feed.onGiveUp = (err, afterStreaming) => {
        logError(afterStreaming ? "realtime: replication refused again and again; using LISTEN/NOTIFY" : "realtime: replication connection failed; using LISTEN/NOTIFY", err);
        metrics().feedFallbacks.inc();
        this.useNotify(
          afterStreaming
            ? "the replication connection was refused repeatedly (no free replication slot or WAL sender?); on LISTEN/NOTIFY until restarted"
            : "the replication connection could not be opened (no free replication slot or WAL sender?)",
        );
      };
    }
    this.current = feed;
    feed.start();
  }

  private useNotify(reason: string) {
    if (this.stopped) return;
    const feed = new NotifyTransport(this.url, this.options, this.handler);
    feed.reason = reason;
    this.current = feed;
    feed.start();
  }

  /** `replication` or `notify`, or null while it is deciding. */
  get mode() {
    return this.current?.mode ?? null;
  }

  /** Why this process is on NOTIFY (null on replication). */
  get reason() {
    return this.current instanceof NotifyTransport ? this.current.reason : null;
  }

  get state(): FeedState {
    return this.current?.state ?? "starting";
  }

  get healthy() {
    return this.current?.healthy ?? false;
  }

  get reconnects() {
    return this.current?.reconnects ?? 0;
  }

  get lastError() {
    return this.current?.lastError ?? null;
  }

  async stop() {
    this.stopped = true;
    await this.current?.stop();
  }
}
