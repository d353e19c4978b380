import "server-only";
import { rawSql } from "@/db";
import { postgresErrorOf } from "@/lib/db/errors.mjs";
import { log } from "@/lib/logging/logger.mjs";
import { metrics } from "@/lib/metrics";
import { HeartbeatProbe } from "./heartbeat";
import type { FeedTransaction } from "./transaction";

export type FeedState = "starting" | "listening" | "reconnecting" | "stopped";
export type TransportMode = "replication" | "notify";

export type FeedOptions = {
  /** How often the feed announces itself to prove the connection still hears. */
  heartbeatMs: number;
  /** How long that heartbeat may take to come back before the connection counts as deaf. */
  heartbeatTimeoutMs: number;
  /** This process's key in herald_listeners. */
  instance: string;
  /** Changes of one transaction held while it is received (HERALD_FEED_MAX_TRANSACTION_CHANGES). */
  maxTransactionChanges: number;
};

/** Where a transport hands what it hears. */
export type FeedHandler = {
  /** A committed transaction, whole. */
  transaction(tx: FeedTransaction): void;
  /** A connection is (again) receiving: whatever it did not hear before is in the tables. */
  resumed(): void;
};

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
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
 * What both ways of hearing changes share: the process's one dedicated connection, its state as
 * /api/health reports it, reconnecting with bounded, jittered backoff, and the heartbeat that proves
 * the connection still hears (a half-open TCP connection looks alive but hears nothing). A transport
 * says how to open its connection (`open`), how to drop it (`drop`) and how to send a heartbeat
 * token that comes back over it (`sendHeartbeat`, heard through `heard`); after every (re)connect
 * the handler is told to catch up from the tables.
 */
export abstract class FeedTransport {
  abstract readonly mode: TransportMode;
  state: FeedState = "starting";
  lastError: string | null = null;
  reconnects = 0;
  /**
   * Auto mode: called once, when this transport gives up, its first connection having failed or the
   * server having refused it GIVE_UP_AFTER_REFUSALS times in a row since (the feed goes on over NOTIFY).
   */
  onGiveUp: ((err: Error, afterStreaming: boolean) => void) | null = null;
  /** The connection's number: callbacks of an older one are ignored. */
  protected generation = 0;
  protected stopped = false;
  private readonly heartbeat: HeartbeatProbe;
  private timers: NodeJS.Timeout[] = [];
  private backoff = FIRST_BACKOFF_MS;
  private everStreamed = false;
  private refusals = 0;

  constructor(
    protected readonly url: string,
    protected readonly options: FeedOptions,
    protected readonly handler: FeedHandler,
  ) {
    this.heartbeat = new HeartbeatProbe(options.heartbeatTimeoutMs, () => this.reconnectSoon("heartbeat not received"));
  }

  /** Opens connection number `generation` and resolves once it receives; a later failure calls `lost`. */
  protected abstract open(generation: number): Promise<void>;
  /** Closes the current connection, if any. */
  protected abstract drop(): Promise<void>;
  /** Sends `token` through the pool so that it comes back over the connection (then `heard`). */
  protected abstract sendHeartbeat(token: string): Promise<void>;

  start() {
    void this.connect();
    this.every(this.options.heartbeatMs, () => void this.checkHeartbeat());
  }

  async stop() {
    this.stopped = true;
    this.state = "stopped";
    for (const timer of this.timers) clearInterval(timer);
    await this.drop();
    await rawSql()`delete from herald_listeners where instance = ${this.options.instance}`.catch(() => {});
  }

  /** Healthy means receiving and not waiting on an overdue heartbeat. */
  get healthy() {
    return this.state === "listening" && !this.heartbeat.overdue;
  }

  /** Runs `fn` every `ms` until the transport stops. */
  protected every(ms: number, fn: () => void) {
    this.timers.push(setInterval(fn, ms).unref());
  }

  /** Connection number `generation` failed (closed, errored, went deaf): start over, if it is the current one. */
  protected lost(generation: number, reason: string) {
    if (generation === this.generation) this.reconnectSoon(reason);
  }

  /** A heartbeat token came back over the connection. */
  protected heard(token: string | null) {
    this.heartbeat.heard(token);
  }

  /** Called once a new connection receives, after the handler caught up. */
  protected streaming(_generation: number) {}

  private async connect() {
    if (this.stopped) return;
    const generation = ++this.generation;
    const startedAt = Date.now();
    try {
      await this.open(generation);
    } catch (err) {
      if (generation === this.generation && !this.stopped) await this.failed(err as Error);
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    this.state = "listening";
    this.refusals = 0;
    this.backoff = FIRST_BACKOFF_MS;
    this.lastError = null;
    this.heartbeat.reset();
    if (this.everStreamed) log().info({ ms: Date.now() - startedAt, path: this.mode }, "realtime feed receiving again");
    this.everStreamed = true;
    this.handler.resumed();
    this.streaming(generation);
  }

  private async failed(err: Error) {
    this.refusals = refused(err) ? this.refusals + 1 : 0;
    if (this.onGiveUp && (!this.everStreamed || this.refusals >= GIVE_UP_AFTER_REFUSALS)) {
      const fallback = this.onGiveUp;
      this.onGiveUp = null;
      await this.stopQuietly();
      fallback(err, this.everStreamed);
      return;
    }
    this.reconnectSoon(`could not start: ${(err as { code?: string }).code ?? "connection error"}`);
  }

  /** Stops without deleting the herald_listeners row: the transport that takes over writes its own. */
  private async stopQuietly() {
    this.stopped = true;
    this.state = "stopped";
    for (const timer of this.timers) clearInterval(timer);
    await this.drop();
  }

  /** Drops the current connection and opens a new one after a bounded, jittered backoff. */
  private reconnectSoon(reason: string) {
    if (this.stopped) return;
    log().warn({ reason, path: this.mode }, "realtime feed reconnecting");
    this.generation++;
    void this.drop();
    this.state = "reconnecting";
    this.lastError = reason;
    this.reconnects++;
    metrics().feedReconnects.inc({ path: this.mode });
    this.heartbeat.reset();
    const delay = this.backoff / 2 + Math.random() * (this.backoff / 2);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }

  /** Overridable check before each heartbeat (the NOTIFY path's registration must stay fresh). */
  protected beforeHeartbeat(): string | null {
    return null;
  }

  private async checkHeartbeat() {
    if (this.state !== "listening") return;
    const stale = this.beforeHeartbeat();
    if (stale) return this.reconnectSoon(stale);
    await this.heartbeat.probe((token) => this.sendHeartbeat(token));
  }

  /** Sends a heartbeat at once (a new replication connection proves itself without waiting). */
  protected probeNow() {
    void this.checkHeartbeat();
  }
}

/**
 * Upserts this instance's herald_listeners row: its mode, a heartbeat token and now(). Rows of
 * instances silent for ten minutes are removed on the way (a crashed process leaves its row behind).
 */
export async function registerListener(instance: string, mode: TransportMode, token: string | null) {
  await rawSql()`
    with gone as (delete from herald_listeners where seen_at < now() - interval '10 minutes' and instance <> ${instance})
    insert into herald_listeners (instance, mode, token, seen_at) values (${instance}, ${mode}, ${token}, now())
    on conflict (instance) do update set mode = excluded.mode, token = excluded.token, seen_at = excluded.seen_at`;
}
