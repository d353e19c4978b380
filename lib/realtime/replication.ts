import "server-only";
import type { Duplex } from "node:stream";
import postgres from "postgres";
import { rawSql } from "@/db";
import { postgresErrorOf } from "@/lib/db/errors.mjs";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import type { Dispatcher } from "./dispatcher";
import { HeartbeatProbe } from "./heartbeat";
import type { FeedOptions, ListenerState } from "./listener";
import { decodeServerMessage, parseLsn, standbyStatus, type Relation, type RowChange } from "./pgoutput";
import type { SessionWatcher } from "./revocation";
import { log } from "@/lib/logging/logger.mjs";

/** The publications of db/migrations/0010: changed rows (ids and numbers), then the control tables. */
export const PUBLICATIONS = ["herald_realtime", "herald_realtime_control"];
const MAX_BACKOFF_MS = 10_000;
/** Status updates keep the slot's WAL small even when the server asks for none. */
const STATUS_EVERY_MS = 10_000;
/** Refusals in a row (no free slot or WAL sender, say) after which auto mode goes on over NOTIFY. */
const GIVE_UP_AFTER_REFUSALS = 3;

/**
 * The server answered, and said no (not a lost connection, nor a server starting or shutting down,
 * which a retry outlasts).
 */
function refused(err: unknown) {
  const code = postgresErrorOf(err)?.code;
  return typeof code === "string" && !code.startsWith("08") && !code.startsWith("57");
}

/**
 * Live delivery from the WAL: one logical replication connection per process, on a temporary slot
 * of the pgoutput plugin over the herald_realtime publications. Commits arrive in commit order with
 * no lock in any writer's commit (NOTIFY's database-wide one is the ceiling this removes); each new
 * notification or recorded change is handed to the dispatcher as "user U has changes up to N",
 * exactly as a NOTIFY payload was. The slot is temporary: it goes with the connection, and a new
 * connection catches up from the tables (everything committed before the new slot's consistent
 * point is in them, everything after is in the stream). Deafness is noticed the same way as with
 * LISTEN: the heartbeat writes this instance's herald_listeners row and expects to read it back.
 */
export class ReplicationListener {
  readonly mode = "replication" as const;
  state: ListenerState = "starting";
  lastError: string | null = null;
  reconnects = 0;
  /** Row changes read from the WAL since start (all tables of the publications). */
  changesRead = 0;
  private sql: postgres.Sql | null = null;
  private stream: Duplex | null = null;
  private relations = new Map<number, Relation>();
  private lsn = 0n;
  private timer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: HeartbeatProbe;
  private backoff = 250;
  private generation = 0;
  private stopped = false;
  /**
   * Auto mode: called once, when this listener gives up, its first connection having failed or the
   * server having refused it GIVE_UP_AFTER_REFUSALS times in a row since (the feed goes on over NOTIFY).
   */
  onGiveUp: ((err: Error, afterStreaming: boolean) => void) | null = null;
  private everStreamed = false;
  private refusals = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly url: string,
    private readonly options: FeedOptions,
    private readonly sessions: SessionWatcher,
  ) {
    this.heartbeat = new HeartbeatProbe(options.heartbeatTimeoutMs, () => this.reconnectSoon("heartbeat not received"));
  }

  start() {
    void this.connect();
    this.timer = setInterval(() => void this.checkHeartbeat(), this.options.heartbeatMs).unref();
    this.statusTimer = setInterval(() => this.sendStatus(), STATUS_EVERY_MS).unref();
  }

  async stop() {
    this.stopped = true;
    this.state = "stopped";
    clearInterval(this.timer);
    clearInterval(this.statusTimer);
    await this.drop();
    await rawSql()`delete from herald_listeners where instance = ${this.options.instance}`.catch(() => {});
  }

  get healthy() {
    return this.state === "listening" && !this.heartbeat.overdue;
  }

  private async connect() {
    if (this.stopped) return;
    const generation = ++this.generation;
    const sql = postgres(this.url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      // Timestamps in the rows it sends print as wal-state.ts parses them, whatever the server's defaults.
      connection: { application_name: "herald-replication", replication: "database", DateStyle: "ISO", TimeZone: "UTC" } as Record<string, string>,
      onclose: () => {
        if (generation === this.generation) this.reconnectSoon("connection closed");
      },
    } as postgres.Options<{}>);
    this.sql = sql;
    try {
      const startedAt = Date.now();
      const slot = `herald_${process.pid}_${generation}_${Math.random().toString(36).slice(2, 8)}`;
      const [created] = await sql.unsafe<{ consistent_point: string }[]>(
        `CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`,
      );
      const start = created.consistent_point;
      const stream = (await sql
        .unsafe(`START_REPLICATION SLOT ${slot} LOGICAL ${start} (proto_version '1', publication_names '${PUBLICATIONS.join(",")}')`)
        .writable()) as unknown as Duplex;
      if (generation !== this.generation || this.stopped) {
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.relations = new Map();
      this.lsn = parseLsn(start);
      stream.on("data", (chunk: Buffer) => this.onData(chunk));
      stream.on("error", (err: Error) => {
        if (generation === this.generation) this.reconnectSoon(`stream error ${(err as { code?: string }).code ?? ""}`.trim());
      });
      stream.on("close", () => {
        if (generation === this.generation) this.reconnectSoon("replication stream closed");
      });
      this.state = "listening";
      this.refusals = 0;
      this.backoff = 250;
      this.lastError = null;
      this.heartbeat.reset();
      if (this.everStreamed) log().info({ ms: Date.now() - startedAt }, "realtime replication streaming again");
      this.everStreamed = true;
      // Whatever committed before the slot's consistent point is in the tables: read it from there.
      this.dispatcher.catchUp();
      this.sessions.recheckAll();
      void this.checkHeartbeat();
    } catch (err) {
      if (generation !== this.generation) return;
      this.refusals = refused(err) ? this.refusals + 1 : 0;
      if (this.onGiveUp && (!this.everStreamed || this.refusals >= GIVE_UP_AFTER_REFUSALS)) {
        const fallback = this.onGiveUp;
        this.onGiveUp = null;
        this.stopped = true;
        this.state = "stopped";
        clearInterval(this.timer);
        clearInterval(this.statusTimer);
        await this.drop();
        fallback(err as Error, this.everStreamed);
        return;
      }
      this.reconnectSoon(`could not start: ${(err as { code?: string }).code ?? "connection error"}`);
    }
  }

  private async drop() {
    const sql = this.sql;
    const stream = this.stream;
    this.sql = null;
    this.stream = null;
    stream?.destroy();
    await sql?.end({ timeout: 0 }).catch(() => {});
  }

  private reconnectSoon(reason: string) {
    if (this.stopped) return;
    log().warn({ reason }, "realtime replication reconnecting");
    this.generation++;
    void this.drop();
    this.state = "reconnecting";
    this.lastError = reason;
    this.reconnects++;
    metrics().feedReconnects.inc({ path: "replication" });
    this.heartbeat.reset();
    const delay = this.backoff / 2 + Math.random() * (this.backoff / 2);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }

  private onData(chunk: Buffer) {
    let message;
    try {
      message = decodeServerMessage(chunk, this.relations);
    } catch (err) {
      logError("replication message not understood; reconnecting", err);
      this.reconnectSoon("replication message not understood");
      return;
    }
    if (message.kind === "keepalive") {
      if (message.walEnd > this.lsn) this.lsn = message.walEnd;
      if (message.replyRequested) this.sendStatus();
    } else if (message.kind === "xlog") {
      if (message.walEnd > this.lsn) this.lsn = message.walEnd;
      if (message.begins !== null) this.dispatcher.transactionBegins(message.begins, message.committedAt ?? Date.now());
      if (message.change) {
        this.changesRead++;
        this.onChange(message.change);
      }
      if (message.commits) this.dispatcher.transactionCommitted();
    }
  }

  private sendStatus() {
    if (this.state !== "listening" || !this.stream || this.lsn === 0n) return;
    this.stream.write(standbyStatus(this.lsn));
  }

  private onChange({ op, table, row }: RowChange) {
    const userId = row.user_id;
    if (table === "notifications" || table === "notification_changes") {
      const seq = Number(row.seq);
      if (!userId || !Number.isSafeInteger(seq)) return;
      if (table === "notifications") this.dispatcher.announced(userId, seq, "insert", row);
      else this.dispatcher.announced(userId, seq, row.op ?? "update");
    } else if (table === "notification_counters") {
      const counts = { seq: Number(row.seq), unread: Number(row.unread), unseen: Number(row.unseen) };
      if (userId && op !== "delete" && Number.isSafeInteger(counts.seq) && Number.isSafeInteger(counts.unread) && Number.isSafeInteger(counts.unseen)) {
        this.dispatcher.counted(userId, counts);
      }
    } else if (table === "user_preferences") {
      if (userId) this.dispatcher.preferencesChanged(userId);
    } else if (table === "sessions") {
      // A revoked or deleted session: its streams end, and that user's others are re-checked.
      if (userId && (op === "delete" || row.revoked_at !== null)) this.sessions.revoked(userId, row.id ?? undefined);
    } else if (table === "herald_listeners") {
      if (row.instance === this.options.instance) this.heartbeat.heard(row.token);
    }
  }

  /** Writes this instance's row with a fresh token through the pool; silence until it is read back means deaf. */
  private async checkHeartbeat() {
    if (this.state !== "listening") return;
    await this.heartbeat.probe((token) => registerListener(this.options.instance, "replication", token));
  }
}

/**
 * Upserts this instance's herald_listeners row: its mode, a heartbeat token and now(). Rows of
 * instances silent for ten minutes are removed on the way (a crashed process leaves its row behind).
 */
export async function registerListener(instance: string, mode: "notify" | "replication", token: string | null) {
  await rawSql()`
    with gone as (delete from herald_listeners where seen_at < now() - interval '10 minutes' and instance <> ${instance})
    insert into herald_listeners (instance, mode, token, seen_at) values (${instance}, ${mode}, ${token}, now())
    on conflict (instance) do update set mode = excluded.mode, token = excluded.token, seen_at = excluded.seen_at`;
}

/** Whether this database and role can feed a ReplicationListener, and if not, why not. */
export async function replicationAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const [row] = await rawSql()<{ wal: string; can: boolean; pubs: number }[]>`
    select current_setting('wal_level') as wal,
           coalesce((select rolreplication or rolsuper from pg_roles where rolname = current_user), false) as can,
           (select count(*)::int from pg_publication where pubname in ${rawSql()(PUBLICATIONS)}) as pubs`;
  if (row.wal !== "logical") return { ok: false, reason: `wal_level is ${row.wal}, not logical` };
  if (!row.can) return { ok: false, reason: "the database role may not replicate (no REPLICATION attribute)" };
  if (row.pubs !== PUBLICATIONS.length) return { ok: false, reason: "the herald_realtime publications are missing (no CREATE privilege when migrating?)" };
  return { ok: true };
}
