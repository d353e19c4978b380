import "server-only";
import postgres from "postgres";
import { rawSql } from "@/db";
import { metrics } from "@/lib/metrics";
import type { Dispatcher } from "./dispatcher";
import { HeartbeatProbe } from "./heartbeat";
import { registerListener } from "./replication";
import type { SessionWatcher } from "./revocation";

/** Channels the database triggers announce on (db/migrations), and the listener's own heartbeat. */
const NOTIFICATIONS_CHANNEL = "herald_notifications";
const SESSIONS_CHANNEL = "herald_sessions";
const HEARTBEAT_CHANNEL = "herald_heartbeat";
const MAX_BACKOFF_MS = 10_000;
/**
 * A writer decides to NOTIFY when its trigger runs, not when it commits: one that ran just before
 * this instance's herald_listeners row was visible may commit after the catch-up and never
 * announce itself. A second catch-up this much later reads it from the table.
 */
const LATE_CATCH_UP_MS = 2_000;
/** Past this without a successful heartbeat write, the row may be going stale: start over. */
const REGISTRATION_STALE_MS = 30_000;

type Payload = { op: string; userId: string; seq: number };
export type ListenerState = "starting" | "listening" | "reconnecting" | "stopped";

export type FeedOptions = {
  /** How often the listener announces itself to prove the connection still hears. */
  heartbeatMs: number;
  /** How long that heartbeat may take to come back before the connection counts as deaf. */
  heartbeatTimeoutMs: number;
  /** This process's key in herald_listeners. */
  instance: string;
};

/**
 * The process's ONE LISTEN connection, used when the database cannot replicate to us (or
 * HERALD_REALTIME=notify). Its herald_listeners row (mode `notify`, refreshed by every heartbeat)
 * is what makes the triggers NOTIFY at all; it is written before LISTEN. It hands the trigger's id-only payloads to the dispatcher and
 * manages its own connection (rather than postgres.js's sql.listen, which gives up silently when a
 * re-LISTEN fails) so that it can reconnect with bounded, jittered backoff, catch up from the table
 * after every reconnect, and report its state honestly.
 */
export class NotificationListener {
  readonly mode = "notify" as const;
  /** Why this process is not on replication (auto mode's finding, or forced). */
  reason: string | null = null;
  state: ListenerState = "starting";
  lastError: string | null = null;
  reconnects = 0;
  private sql: postgres.Sql | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: HeartbeatProbe;
  private backoff = 250;
  private stopped = false;
  private registeredAt = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly url: string,
    private readonly options: FeedOptions,
    private readonly sessions: SessionWatcher,
  ) {
    this.heartbeat = new HeartbeatProbe(options.heartbeatTimeoutMs, () => this.reconnectSoon("heartbeat not received"));
  }

  start() {
    this.connect();
    this.timer = setInterval(() => void this.checkHeartbeat(), this.options.heartbeatMs).unref();
  }

  async stop() {
    this.stopped = true;
    this.state = "stopped";
    clearInterval(this.timer);
    await this.sql?.end({ timeout: 0 });
    await rawSql()`delete from herald_listeners where instance = ${this.options.instance}`.catch(() => {});
  }

  private connect() {
    if (this.stopped) return;
    // `onnotify` is a supported postgres.js option that its type definitions leave out.
    const options = {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: "herald-listener" },
      onnotify: (channel: string, payload: string) => this.onNotify(channel, payload),
      onclose: () => {
        if (this.sql === generation) this.reconnectSoon("connection closed");
      },
    };
    const generation: postgres.Sql = postgres(this.url, options as postgres.Options<{}>);
    this.sql = generation;
    registerListener(this.options.instance, "notify", null)
      .then(() => {
        this.registeredAt = Date.now();
        return Promise.all([NOTIFICATIONS_CHANNEL, SESSIONS_CHANNEL, HEARTBEAT_CHANNEL].map((channel) => generation`listen ${generation(channel)}`));
      })
      .then(() => {
        if (this.sql !== generation) return;
        this.state = "listening";
        this.backoff = 250;
        this.lastError = null;
        this.heartbeat.reset();
        // NOTIFYs sent while we were not listening are gone: read what they announced from the table.
        this.dispatcher.catchUp();
        // Revocations announced meanwhile are missed too: re-check every open stream's session.
        this.sessions.recheckAll();
        setTimeout(() => {
          if (this.sql === generation && this.state === "listening") {
            this.dispatcher.catchUp();
            this.sessions.recheckAll();
          }
        }, LATE_CATCH_UP_MS).unref();
      })
      .catch((err: Error) => {
        if (this.sql === generation) this.reconnectSoon(err.message);
      });
  }

  /** Drops the current connection and opens a new one after a bounded, jittered backoff. */
  private reconnectSoon(reason: string) {
    if (this.stopped) return;
    const old = this.sql;
    this.sql = null;
    this.state = "reconnecting";
    this.lastError = reason;
    this.reconnects++;
    metrics().feedReconnects.inc({ path: "notify" });
    this.heartbeat.reset();
    void old?.end({ timeout: 0 }).catch(() => {});
    const delay = this.backoff / 2 + Math.random() * (this.backoff / 2);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => this.connect(), delay).unref();
  }

  /**
   * A half-open TCP connection looks alive but hears nothing. Every few seconds we NOTIFY our own
   * channel through the pool and expect to hear it back; silence means reconnect.
   */
  private async checkHeartbeat() {
    if (this.state !== "listening") return;
    if (Date.now() - this.registeredAt > REGISTRATION_STALE_MS) {
      this.reconnectSoon("listener registration could not be refreshed");
      return;
    }
    await this.heartbeat.probe(async (token) => {
      await registerListener(this.options.instance, "notify", token);
      this.registeredAt = Date.now();
      await rawSql()`select pg_notify(${HEARTBEAT_CHANNEL}, ${token})`;
    });
  }

  /** Healthy means listening and not waiting on an overdue heartbeat. */
  get healthy() {
    return this.state === "listening" && !this.heartbeat.overdue;
  }

  private onNotify(channel: string, payload: string) {
    if (channel === HEARTBEAT_CHANNEL) {
      this.heartbeat.heard(payload);
      return;
    }
    if (channel === SESSIONS_CHANNEL) {
      const userId = parseUserId(payload);
      if (userId) this.sessions.revoked(userId);
      return;
    }
    if (channel !== NOTIFICATIONS_CHANNEL) return;
    let parsed: Payload;
    try {
      parsed = JSON.parse(payload) as Payload;
    } catch {
      return;
    }
    if (typeof parsed.userId === "string" && Number.isSafeInteger(parsed.seq)) this.dispatcher.announced(parsed.userId, parsed.seq, parsed.op);
  }
}

function parseUserId(payload: string): string | null {
  try {
    const { userId } = JSON.parse(payload) as { userId?: unknown };
    return typeof userId === "string" ? userId : null;
  } catch {
    return null;
  }
}
