import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * This process's metrics, in the Prometheus text format at GET /api/metrics. Next bundles route
 * handlers, instrumentation and server code separately, and dev reloads re-evaluate modules, so a
 * module-level registry could exist several times in one process: the registry and every metric
 * live on globalThis under one key and are created once. Labels are bounded sets (categories,
 * sources, route patterns, outcomes); never a user id, an email, a token or a query string.
 * README "Metrics" says what each one means.
 */
/** Bucket bounds (seconds) of the latency and request-duration histograms. */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const seconds = SECONDS_BUCKETS;
  return {
    registry,
    notificationsCreated: new Counter({
      name: "herald_notifications_created_total",
      help: "Notifications this process wrote and committed (source app: the app's own writes; api: the service API)",
      labelNames: ["category", "source"] as const,
      registers,
    }),
    notificationsInDatabase: new Counter({
      name: "herald_db_notifications_created_total",
      help: "New notification rows committed to the database by anyone (app, api, sql), counted from the table at scrape time since this process's first scrape",
      labelNames: ["category", "source"] as const,
      registers,
    }),
    liveEvents: new Counter({
      name: "herald_stream_live_events_total",
      help: "Change events (notification.created/updated/deleted, notifications.updated/deleted) written live to streams, one per stream",
      registers,
    }),
    liveNotifications: new Counter({
      name: "herald_live_notifications_total",
      help: "New notifications the dispatcher published to this process's streams (one per notification, whatever the number of streams)",
      labelNames: ["category", "source"] as const,
      registers,
    }),
    deliveryLatency: new Histogram({
      name: "herald_live_delivery_latency_seconds",
      help: "From a new notification's commit (the WAL's commit time; over NOTIFY, when the announcement arrived) to its frame written to the user's streams",
      buckets: seconds,
      registers,
    }),
    deliveryRanges: new Counter({
      name: "herald_delivery_ranges_total",
      help: "Users' ranges of changes the dispatcher published, by source (wal: built from the rows the WAL carried; tables: read back)",
      labelNames: ["source"] as const,
      registers,
    }),
    deliveryRound: new Histogram({
      name: "herald_delivery_round_seconds",
      help: "Time one delivery round spent, by phase (read: the statements reading ranges back or checking what a snapshot sees; publish: building frames and writing them to every stream)",
      labelNames: ["phase"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    streamsOpen: new Gauge({ name: "herald_streams_open", help: "Live streams open on this process", registers }),
    streamsOpened: new Counter({ name: "herald_streams_opened_total", help: "Live streams opened on this process since it started", registers }),
    resets: new Counter({
      name: "herald_stream_resets_total",
      help: "sync.reset sent to a stream (the client refetches), by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    replays: new Counter({
      name: "herald_replays_total",
      help: "Resumes that replayed missed changes, by outcome (done, too-large, too-old, closed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    replayBytes: new Histogram({
      name: "herald_replay_bytes",
      help: "Bytes of change events one completed replay wrote",
      buckets: [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 8_388_608, 33_554_432],
      registers,
    }),
    feedPath: new Gauge({
      name: "herald_realtime_path",
      help: "1 for the path this process's change feed is on (replication or notify)",
      labelNames: ["path"] as const,
      registers,
    }),
    feedState: new Gauge({
      name: "herald_realtime_feed_state",
      help: "1 for the change feed's state (starting, listening, reconnecting, stopped)",
      labelNames: ["state"] as const,
      registers,
    }),
    feedHealthy: new Gauge({
      name: "herald_realtime_feed_healthy",
      help: "1 while the change feed is listening and its last heartbeat came back in time",
      registers,
    }),
    feedReconnects: new Counter({
      name: "herald_realtime_feed_reconnects_total",
      help: "Change-feed connections lost and re-opened, by path",
      labelNames: ["path"] as const,
      registers,
    }),
    feedFallbacks: new Counter({
      name: "herald_realtime_fallbacks_total",
      help: "Times the change feed gave up on logical replication (refused, e.g. no free slot) and went on over LISTEN/NOTIFY",
      registers,
    }),
    email: new Counter({
      name: "herald_email_messages_total",
      help: "Emails handed to SMTP, by outcome (sent, retry: a temporary failure to try again, failed: given up)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    push: new Counter({
      name: "herald_push_messages_total",
      help: "Web push messages sent to a push service, by outcome (sent, retry, failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    pushResponses: new Counter({
      name: "herald_push_responses_total",
      help: "Push service answers by HTTP status, or blocked (a refused address), timeout, network; people see only a generic reason",
      labelNames: ["status"] as const,
      registers,
    }),
    jobs: new Gauge({
      name: "herald_job_queue_jobs",
      help: "Jobs in the queue (database-wide), by queue and state (created, retry, active); created includes jobs scheduled for later",
      labelNames: ["queue", "state"] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: "herald_rate_limited_total",
      help: "Requests refused by a rate limit on this process, by rule",
      labelNames: ["rule"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "herald_http_request_duration_seconds",
      help: "HTTP requests served by this process (not the live stream), by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: seconds,
      registers,
    }),
    collectFailures: new Counter({
      name: "herald_metrics_collect_failures_total",
      help: "Scrapes that could not read a database-backed metric (it keeps its previous value)",
      labelNames: ["part"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

const KEY = Symbol.for("herald.metrics");
const g = globalThis as unknown as Record<symbol, Metrics | undefined>;

/** The process's one set of metrics. */
export function metrics(): Metrics {
  return (g[KEY] ??= create());
}

const SOURCES = new Set(["app", "api", "sql"]);
/** A notification's source as a label: SQL writers may put anything in the column. */
export const sourceLabel = (source: string) => (SOURCES.has(source) ? source : "other");

/**
 * Notifications this process wrote, once their transaction committed: call it after the commit,
 * never inside a transaction (it may run again, or roll back).
 */
export function countCreated(source: "app" | "api", categories: readonly string[]) {
  if (categories.length === 0) return;
  const counter = metrics().notificationsCreated;
  if (categories.every((c) => c === categories[0])) return counter.inc({ category: categories[0], source }, categories.length);
  const byCategory = new Map<string, number>();
  for (const c of categories) byCategory.set(c, (byCategory.get(c) ?? 0) + 1);
  for (const [category, n] of byCategory) counter.inc({ category, source }, n);
}
