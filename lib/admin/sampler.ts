import "server-only";
import os from "node:os";
import { rawSql } from "@/db";
import { env } from "@/lib/env";
import { processHealth } from "@/lib/health";
import { JOB_SCHEMA, QUEUES } from "@/lib/jobs/queues.mjs";
import { logError } from "@/lib/logging/log-error.mjs";
import { SECONDS_BUCKETS, metrics } from "@/lib/metrics";
import { realtime } from "@/lib/realtime";

/** Samples and stopped instances are kept this long (the dashboard's longest window). */
const KEEP = "24 hours";
/** Old rows are removed on every this-many-th sample (the delete walks an index on `at`). */
const PRUNE_EVERY = 30;

type Totals = { latency: number[]; delivered: number; requests: number; serverErrors: number; channelFailures: number };

/**
 * Every HERALD_SAMPLE_INTERVAL_S each instance writes what it did since its last sample to
 * herald_instance_samples (streams, live deliveries and their latency histogram, requests, 5xx,
 * email/push failures, the job queue's backlog, RSS) and its health to herald_instances: the admin
 * dashboard reads every instance from there, whichever instance serves it. The figures come from
 * this process's Prometheus metrics (lib/metrics), so the dashboard and /api/metrics agree.
 */
class InstanceSampler {
  private timer: NodeJS.Timeout | null = null;
  private last: Totals | null = null;
  private ticks = 0;
  private running: Promise<void> | null = null;
  private readonly startedAt = new Date();

  constructor(private readonly intervalMs: number) {}

  get instance() {
    return realtime().listener.instance;
  }

  start() {
    if (this.timer) return;
    // A baseline at start, so the first interval counts only what happened in it.
    void totals().then((t) => {
      this.last ??= t;
      void this.sample();
    });
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** One sample now (at most one at a time). */
  sample(): Promise<void> {
    this.running ??= this.write()
      .catch((err) => logError("instance sample failed", err))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** On SIGTERM: no more samples; the instance is marked stopped with its last health. */
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    const health = processHealth("ok").body;
    await rawSql()`
      update herald_instances set stopped_at = now(), seen_at = now(), health = ${JSON.stringify(health)}::jsonb
       where id = ${this.instance}`.catch((err) => logError("instance stop failed", err));
  }

  // Values go as text with a cast: the pool's drizzle driver serializes neither JSON nor arrays.
  private async write() {
    const sql = rawSql();
    const now = await totals();
    const prev = this.last ?? now;
    this.last = now;
    const health = processHealth("ok").body;
    const [queue] = await sql<{ n: number }[]>`
      select count(*)::int as n from ${sql(JOB_SCHEMA)}.job
       where name in ${sql(Object.values(QUEUES))} and state in ('created', 'retry') and start_after <= now()`;
    const instance = this.instance;
    await sql.begin(async (tx) => {
      await tx`
        insert into herald_instances (id, hostname, pid, started_at, seen_at, health)
        values (${instance}, ${os.hostname()}, ${process.pid}, ${this.startedAt.toISOString()}::timestamptz, now(), ${JSON.stringify(health)}::jsonb)
        on conflict (id) do update set seen_at = now(), health = excluded.health, stopped_at = null`;
      await tx`
        insert into herald_instance_samples
          (instance_id, at, streams, delivered, latency_buckets, requests, server_errors, channel_failures, queue_depth, rss_bytes)
        values (${instance}, now(), ${health.realtime.streams}, ${now.delivered - prev.delivered},
                ${`{${now.latency.map((n, i) => n - (prev.latency[i] ?? 0)).join(",")}}`}::int[], ${now.requests - prev.requests},
                ${now.serverErrors - prev.serverErrors}, ${now.channelFailures - prev.channelFailures},
                ${queue.n}, ${process.memoryUsage.rss()})
        on conflict do nothing`;
    });
    if (++this.ticks % PRUNE_EVERY === 1) {
      await sql`delete from herald_instance_samples where at < now() - ${KEEP}::interval`;
      await sql`delete from herald_instances where seen_at < now() - ${KEEP}::interval`;
    }
  }
}

/** This process's counters since it started. */
async function totals(): Promise<Totals> {
  const m = metrics();
  const [latency, http, email, push] = await Promise.all([m.deliveryLatency.get(), m.httpDuration.get(), m.email.get(), m.push.get()]);
  const buckets = SECONDS_BUCKETS.map((le) => sum(latency.values, (v) => v.metricName?.endsWith("_bucket") === true && Number(v.labels.le) === le));
  buckets.push(sum(latency.values, (v) => v.metricName?.endsWith("_count") === true));
  const counts = http.values.filter((v) => v.metricName?.endsWith("_count"));
  return {
    latency: buckets,
    delivered: buckets.at(-1)!,
    requests: sum(counts, () => true),
    // A 503 from /api/health is its answer (starting, degraded, draining), not a failure.
    serverErrors: sum(counts, (v) => String(v.labels.status).startsWith("5") && v.labels.route !== "/api/health"),
    channelFailures: sum([...email.values, ...push.values], (v) => v.labels.outcome === "failed"),
  };
}

type Value = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };
const sum = (values: Value[], keep: (v: Value) => boolean) => values.reduce((n, v) => (keep(v) ? n + v.value : n), 0);

const KEY = Symbol.for("herald.instance-sampler");
const g = globalThis as unknown as Record<symbol, InstanceSampler | undefined>;

/** The process's sampler (started from instrumentation). */
export function instanceSampler(): InstanceSampler {
  return (g[KEY] ??= new InstanceSampler(env().HERALD_SAMPLE_INTERVAL_S * 1000));
}
