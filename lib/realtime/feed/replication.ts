import "server-only";
import type { Duplex } from "node:stream";
import postgres from "postgres";
import { rawSql } from "@/db";
import { logError } from "@/lib/logging/log-error.mjs";
import { decodeServerMessage, parseLsn, standbyStatus, type Relation, type RowChange } from "./pgoutput";
import { TransactionCollector, type FeedChange } from "./transaction";
import { registerListener, FeedTransport } from "./transport";

/** The publications of db/migrations/0010: changed rows (ids and numbers), then the control tables. */
export const PUBLICATIONS = ["herald_realtime", "herald_realtime_control"];
/** Status updates keep the slot's WAL small even when the server asks for none. */
const STATUS_EVERY_MS = 10_000;

/**
 * Live delivery from the WAL: one logical replication connection per process, on a temporary slot
 * of the pgoutput plugin over the herald_realtime publications. Commits arrive in commit order with
 * no lock in any writer's commit (NOTIFY's database-wide one is the ceiling this removes); each
 * transaction is collected from its Begin to its Commit and handed over whole: new notifications
 * and recorded changes ("user U has changes up to N", with the new row where the WAL carries it),
 * counter rows, preferences changes and revoked sessions. The slot is temporary: it goes with the
 * connection, and a new connection catches up from the tables (everything committed before the new
 * slot's consistent point is in them, everything after is in the stream). Deafness is noticed as on
 * the NOTIFY path: the heartbeat writes this instance's herald_listeners row and expects to read it back.
 */
export class ReplicationTransport extends FeedTransport {
  readonly mode = "replication" as const;
  /** Row changes read from the WAL since start (all tables of the publications). */
  changesRead = 0;
  private sql: postgres.Sql | null = null;
  private stream: Duplex | null = null;
  private relations = new Map<number, Relation>();
  private readonly collector = new TransactionCollector(this.options.maxTransactionChanges);
  private lsn = 0n;

  start() {
    super.start();
    this.every(STATUS_EVERY_MS, () => this.sendStatus());
  }

  protected async open(generation: number) {
    const sql = postgres(this.url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      // Timestamps in the rows it sends print as wal-rows.ts parses them, whatever the server's defaults.
      connection: { application_name: "herald-replication", replication: "database", DateStyle: "ISO", TimeZone: "UTC" } as Record<string, string>,
      onclose: () => this.lost(generation, "connection closed"),
    } as postgres.Options<{}>);
    this.sql = sql;
    const slot = `herald_${process.pid}_${generation}_${Math.random().toString(36).slice(2, 8)}`;
    const [created] = await sql.unsafe<{ consistent_point: string }[]>(`CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
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
    this.collector.reset();
    this.lsn = parseLsn(start);
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.on("error", (err: Error) => this.lost(generation, `stream error ${(err as { code?: string }).code ?? ""}`.trim()));
    stream.on("close", () => this.lost(generation, "replication stream closed"));
  }

  protected streaming() {
    this.probeNow();
  }

  protected async drop() {
    const sql = this.sql;
    const stream = this.stream;
    this.sql = null;
    this.stream = null;
    this.collector.reset();
    stream?.destroy();
    await sql?.end({ timeout: 0 }).catch(() => {});
  }

  /** Writes this instance's row with a fresh token through the pool; silence until it is read back means deaf. */
  protected sendHeartbeat(token: string) {
    return registerListener(this.options.instance, "replication", token);
  }

  private onData(chunk: Buffer) {
    let message;
    try {
      message = decodeServerMessage(chunk, this.relations);
    } catch (err) {
      logError("replication message not understood; reconnecting", err);
      this.lost(this.generation, "replication message not understood");
      return;
    }
    if (message.kind === "keepalive") {
      if (message.walEnd > this.lsn) this.lsn = message.walEnd;
      if (message.replyRequested) this.sendStatus();
    } else if (message.kind === "xlog") {
      if (message.walEnd > this.lsn) this.lsn = message.walEnd;
      if (message.begins !== null) this.collector.begin(message.begins, message.committedAt ?? Date.now());
      if (message.change) {
        this.changesRead++;
        const { table, row } = message.change;
        // The heartbeat's own row is heard here, not handed over.
        if (table === "herald_listeners" && row.instance === this.options.instance) this.heard(row.token);
        const change = feedChangeOf(message.change);
        if (change) this.collector.add(change);
      }
      if (message.commits) {
        const tx = this.collector.commit();
        if (tx) this.handler.transaction(tx);
      }
    }
  }

  private sendStatus() {
    if (this.state !== "listening" || !this.stream || this.lsn === 0n) return;
    this.stream.write(standbyStatus(this.lsn));
  }
}

/** A row change of the publications in delivery's terms (null: nothing delivery needs). */
export function feedChangeOf({ op, table, row }: RowChange): FeedChange | null {
  const userId = row.user_id;
  if (!userId) return null;
  if (table === "notifications" || table === "notification_changes") {
    const seq = Number(row.seq);
    if (!Number.isSafeInteger(seq)) return null;
    if (table === "notifications") return { kind: "numbered", userId, seq, op: "insert", row };
    return { kind: "numbered", userId, seq, op: row.op ?? "update" };
  }
  if (table === "notification_counters") {
    const counts = { seq: Number(row.seq), unread: Number(row.unread), unseen: Number(row.unseen) };
    const valid = op !== "delete" && Number.isSafeInteger(counts.seq) && Number.isSafeInteger(counts.unread) && Number.isSafeInteger(counts.unseen);
    return valid ? { kind: "counts", userId, counts } : null;
  }
  if (table === "user_preferences") return { kind: "preferences", userId };
  // A revoked or deleted session: its streams end, and that user's others are re-checked.
  if (table === "sessions" && (op === "delete" || row.revoked_at !== null)) return { kind: "session", userId, sessionId: row.id ?? undefined };
  return null;
}

/** Whether this database and role can feed a ReplicationTransport, and if not, why not. */
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
