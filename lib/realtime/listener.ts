import "server-only";
import postgres from "postgres";
import { db, rawSql } from "@/db";
import { countUnreadForUsers, getNotificationsByIds } from "@/db/queries/notifications";
import { env } from "@/lib/env";
import { toNotificationDTO } from "@/lib/notifications/dto";
import { deliveryFor } from "@/lib/preferences/model";
import { getPreferencesFor } from "@/lib/preferences/service";
import { Hub, sseFrame } from "./hub";

export const CHANNEL = "herald_notifications";
const HEARTBEAT_CHANNEL = "herald_heartbeat";
const HEARTBEAT_EVERY_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 10_000;

type Op = "insert" | "update" | "delete";
type Payload = { op: Op; id: string; userId: string; seq: number };
export type ListenerState = "starting" | "listening" | "reconnecting" | "stopped";

/**
 * The process's ONE LISTEN connection. It turns the trigger's id-only payloads into SSE frames:
 * rows are read in one query per batch, serialised once and written to every stream of the user.
 * It manages its own connection (rather than postgres.js's sql.listen, which gives up silently
 * when a re-LISTEN fails) so that it can reconnect with backoff and report its state honestly.
 */
export class NotificationListener {
  state: ListenerState = "starting";
  lastError: string | null = null;
  reconnects = 0;
  private sql: postgres.Sql | null = null;
  private pending: Payload[] = [];
  private flushing: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatToken: string | null = null;
  private heartbeatSentAt = 0;
  private backoff = 250;
  private stopped = false;

  constructor(
    readonly hub: Hub,
    private readonly url: string,
  ) {}

  async start() {
    this.connect();
    this.heartbeatTimer = setInterval(() => void this.checkHeartbeat(), HEARTBEAT_EVERY_MS).unref();
  }

  async stop() {
    this.stopped = true;
    this.state = "stopped";
    clearInterval(this.heartbeatTimer);
    await this.sql?.end({ timeout: 0 });
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
        if (this.sql !== generation) return;
        this.reconnectSoon("connection closed");
      },
    };
    const generation: postgres.Sql = postgres(this.url, options as postgres.Options<{}>);
    this.sql = generation;
    Promise.all([generation`listen herald_notifications`, generation`listen herald_heartbeat`])
      .then(() => {
        if (this.sql !== generation) return;
        this.state = "listening";
        this.backoff = 250;
        this.lastError = null;
        this.heartbeatToken = null;
      })
      .catch((err: Error) => {
        if (this.sql !== generation) return;
        this.reconnectSoon(err.message);
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
    if (this.heartbeatToken && Date.now() - this.heartbeatSentAt > HEARTBEAT_TIMEOUT_MS) {
      this.reconnectSoon("heartbeat not received");
      return;
    }
    if (this.heartbeatToken) return;
    const token = `${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    this.heartbeatToken = token;
    this.heartbeatSentAt = Date.now();
    try {
      await rawSql()`select pg_notify(${HEARTBEAT_CHANNEL}, ${token})`;
    } catch {
      this.heartbeatToken = null; // the database itself is down; the listener's onclose handles it
    }
    setTimeout(() => void this.checkHeartbeat(), HEARTBEAT_TIMEOUT_MS + 50).unref();
  }

  /** Healthy means listening and not waiting on an overdue heartbeat. */
  get healthy() {
    if (this.state !== "listening") return false;
    return !(this.heartbeatToken && Date.now() - this.heartbeatSentAt > HEARTBEAT_TIMEOUT_MS);
  }

  private onNotify(channel: string, payload: string) {
    if (channel === HEARTBEAT_CHANNEL) {
      if (payload === this.heartbeatToken) this.heartbeatToken = null;
      return;
    }
    let parsed: Payload;
    try {
      parsed = JSON.parse(payload) as Payload;
    } catch {
      return;
    }
    // Nobody on this process is listening for that user: no query at all.
    if (!this.hub.hasSubscribers(parsed.userId)) return;
    this.pending.push(parsed);
    if (!this.flushing) this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flush());
  }

  /** Everything that arrived in one tick goes out with one row query and one count query. */
  private async flush() {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.dispatch(batch);
    } catch (err) {
      console.error("[herald] realtime dispatch failed", err);
    } finally {
      this.flushing = null;
      if (this.pending.length) this.flushing = Promise.resolve().then(() => this.flush());
    }
  }

  private async dispatch(batch: Payload[]) {
    const fetchIds = [...new Set(batch.filter((p) => p.op !== "delete").map((p) => Number(p.id)))];
    const [rows, prefs] = await Promise.all([
      getNotificationsByIds(db, fetchIds),
      getPreferencesFor([...new Set(batch.filter((p) => p.op === "insert").map((p) => p.userId))]),
    ]);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const touched = new Set<string>();
    const now = Date.now();
    for (const p of batch) {
      touched.add(p.userId);
      if (p.op === "delete") {
        this.hub.publish(p.userId, sseFrame("notification.deleted", { id: p.id }));
        continue;
      }
      const row = byId.get(p.id);
      if (!row || (row.expiresAt && row.expiresAt.getTime() <= now)) continue;
      const dto = toNotificationDTO(row);
      if (p.op === "insert") {
        // The server decides toast / browser alert / sound from the user's preferences.
        const delivery = deliveryFor(prefs.get(p.userId)!, row);
        this.hub.publish(p.userId, sseFrame("notification.created", { ...dto, delivery }, dto.id));
      }
      else this.hub.publish(p.userId, sseFrame("notification.updated", dto));
    }
    const users = [...touched].filter((u) => this.hub.hasSubscribers(u));
    const counts = await countUnreadForUsers(db, users);
    for (const u of users) this.hub.publish(u, sseFrame("notifications.count", { unreadCount: counts.get(u) ?? 0 }));
  }
}

type Realtime = { hub: Hub; listener: NotificationListener };
// One hub and one listener per process, on globalThis so dev hot reloads reuse them.
const g = globalThis as unknown as { __heraldRealtime?: Realtime };

export function realtime(): Realtime {
  if (!g.__heraldRealtime) {
    const hub = new Hub();
    const listener = new NotificationListener(hub, env().DATABASE_LISTEN_URL ?? env().DATABASE_URL);
    g.__heraldRealtime = { hub, listener };
    void listener.start();
  }
  return g.__heraldRealtime;
}
