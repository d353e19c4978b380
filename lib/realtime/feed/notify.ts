import "server-only";
import postgres from "postgres";
import { rawSql } from "@/db";
import { registerListener, FeedTransport } from "./transport";

/** Channels the database triggers announce on (db/migrations), and the listener's own heartbeat. */
const NOTIFICATIONS_CHANNEL = "herald_notifications";
const SESSIONS_CHANNEL = "herald_sessions";
const HEARTBEAT_CHANNEL = "herald_heartbeat";
/**
 * A writer decides to NOTIFY when its trigger runs, not when it commits: one that ran just before
 * this instance's herald_listeners row was visible may commit after the catch-up and never
 * announce itself. A second catch-up this much later reads it from the table.
 */
const LATE_CATCH_UP_MS = 2_000;
/** Past this without a successful heartbeat write, the row may be going stale: start over. */
const REGISTRATION_STALE_MS = 30_000;

type Payload = { op: string; userId: string; seq: number };

/**
 * The process's ONE LISTEN connection, used when the database cannot replicate to us (or
 * HERALD_REALTIME=notify). Its herald_listeners row (mode `notify`, refreshed by every heartbeat)
 * is what makes the triggers NOTIFY at all; it is written before LISTEN. Each trigger's id-only
 * payload becomes a one-change transaction. It manages its own connection (rather than postgres.js's
 * sql.listen, which gives up silently when a re-LISTEN fails), so that FeedTransport can reconnect,
 * catch up and report its state honestly.
 */
export class NotifyTransport extends FeedTransport {
  readonly mode = "notify" as const;
  /** Why this process is not on replication (auto mode's finding, or forced). */
  reason: string | null = null;
  private sql: postgres.Sql | null = null;
  private registeredAt = 0;

  protected async open(generation: number) {
    // `onnotify` is a supported postgres.js option that its type definitions leave out.
    const options = {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: "herald-listener" },
      onnotify: (channel: string, payload: string) => this.onNotify(channel, payload),
      onclose: () => this.lost(generation, "connection closed"),
    };
    const sql = postgres(this.url, options as postgres.Options<{}>);
    this.sql = sql;
    await registerListener(this.options.instance, "notify", null);
    this.registeredAt = Date.now();
    await Promise.all([NOTIFICATIONS_CHANNEL, SESSIONS_CHANNEL, HEARTBEAT_CHANNEL].map((channel) => sql`listen ${sql(channel)}`));
  }

  protected async drop() {
    const sql = this.sql;
    this.sql = null;
    await sql?.end({ timeout: 0 }).catch(() => {});
  }

  protected streaming(generation: number) {
    setTimeout(() => {
      if (generation === this.generation && this.state === "listening") this.handler.resumed();
    }, LATE_CATCH_UP_MS).unref();
  }

  protected beforeHeartbeat() {
    return Date.now() - this.registeredAt > REGISTRATION_STALE_MS ? "listener registration could not be refreshed" : null;
  }

  /** Refreshes the registration and NOTIFYs our own channel through the pool; we must hear it back. */
  protected async sendHeartbeat(token: string) {
    await registerListener(this.options.instance, "notify", token);
    this.registeredAt = Date.now();
    await rawSql()`select pg_notify(${HEARTBEAT_CHANNEL}, ${token})`;
  }

  private onNotify(channel: string, payload: string) {
    if (channel === HEARTBEAT_CHANNEL) return this.heard(payload);
    const parsed = parse(payload);
    if (!parsed || typeof parsed.userId !== "string") return;
    if (channel === SESSIONS_CHANNEL) {
      this.handler.transaction({ xid: null, committedAt: Date.now(), changes: [{ kind: "session", userId: parsed.userId }] });
    } else if (channel === NOTIFICATIONS_CHANNEL && typeof parsed.seq === "number" && Number.isSafeInteger(parsed.seq)) {
      const change = { kind: "numbered" as const, userId: parsed.userId, seq: parsed.seq, op: parsed.op ?? "update" };
      this.handler.transaction({ xid: null, committedAt: Date.now(), changes: [change] });
    }
  }
}

function parse(payload: string): Partial<Payload> | null {
  try {
    const parsed = JSON.parse(payload) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Partial<Payload>) : null;
  } catch {
    return null;
  }
}
