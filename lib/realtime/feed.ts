import "server-only";
import os from "node:os";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import type { Dispatcher } from "./dispatcher";
import { NotificationListener, type FeedOptions, type ListenerState } from "./listener";
import { ReplicationListener, replicationAvailable } from "./replication";
import type { SessionWatcher } from "./revocation";

export type FeedMode = "auto" | "replication" | "notify";

/**
 * How this process hears committed changes: logical replication when the database allows it
 * (wal_level = logical, a role that may replicate, the publications present), LISTEN/NOTIFY
 * otherwise. `auto` decides at start, and also falls back to NOTIFY when the first replication
 * connection fails (no free slot or WAL sender, say), or when a lost one is refused again and again
 * (until the process restarts); `replication` and `notify` force one. Either way it reports one
 * state, and /api/health says which path runs and why, in words of its own: the unauthenticated
 * health answer never repeats what the database said (the log has that).
 */
export class ChangeFeed {
  private current: NotificationListener | ReplicationListener | null = null;
  private stopped = false;
  private readonly options: FeedOptions;
  private startingReason: string | null = null;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly url: string,
    options: Omit<FeedOptions, "instance">,
    private readonly sessions: SessionWatcher,
    private readonly wanted: FeedMode,
  ) {
    this.options = { ...options, instance: `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}` };
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
    const feed = new ReplicationListener(this.dispatcher, this.url, this.options, this.sessions);
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
    const feed = new NotificationListener(this.dispatcher, this.url, this.options, this.sessions);
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
    return this.current instanceof NotificationListener ? this.current.reason : null;
  }

  get state(): ListenerState {
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
