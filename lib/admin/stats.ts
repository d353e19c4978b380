import "server-only";
import { rawSql } from "@/db";
import { env } from "@/lib/env";
import { SECONDS_BUCKETS } from "@/lib/metrics";
import { addBuckets, histogramQuantile } from "./histogram";
import type { AdminStatsDTO, InstanceDTO, InstanceStatus, Series } from "./types";

const MINUTES = 60;
const HOURS = 24;

type SampleRow = {
  instance_id: string;
  t: number;
  streams: number;
  delivered: number;
  latency: string;
  requests: number;
  server_errors: number;
  channel_failures: number;
  queue_depth: number | null;
  rss_bytes: string;
};

/**
 * The admin dashboard's figures, read from Postgres so that any instance answers for all of them:
 * notifications, deliveries and engagement from the tables themselves (whoever wrote the rows:
 * the app, the API or plain SQL), and each instance's streams, latency and errors from the samples
 * every instance writes (lib/admin/sampler.ts). Five short reads on indexes of time.
 */
export async function adminStats(): Promise<AdminStatsDTO> {
  const sql = rawSql();
  const intervalS = env().HERALD_SAMPLE_INTERVAL_S;
  // Times are read as epoch milliseconds: the pool's drizzle driver leaves timestamps as text.
  const [row] = await sql<{ minute: number; hour: number; now_ms: number }[]>`
    select extract(epoch from date_trunc('minute', now()))::int as minute,
           extract(epoch from date_trunc('hour', now()))::int as hour, (extract(epoch from now()) * 1000)::float8 as now_ms`;
  const clock = { ...row, now: new Date(row.now_ms) };
  const minutes = Array.from({ length: MINUTES }, (_, i) => clock.minute - (MINUTES - 1 - i) * 60);
  const hours = Array.from({ length: HOURS }, (_, i) => clock.hour - (HOURS - 1 - i) * 3600);
  const from = new Date(minutes[0] * 1000).toISOString();
  const dayFrom = new Date(hours[0] * 1000).toISOString();
  const minuteIndex = (t: number) => (t - minutes[0]) / 60;
  const hourIndex = (t: number) => (t - hours[0]) / 3600;

  const [created, samples, deliveries, engagement, instances] = await Promise.all([
    sql<{ t: number; category: string; n: number }[]>`
      select extract(epoch from date_trunc('minute', created_at))::int as t, category::text as category, count(*)::int as n
        from notifications where created_at >= ${from}::timestamptz group by 1, 2`,
    sql<SampleRow[]>`
      select instance_id, extract(epoch from date_trunc('minute', at))::int as t, streams, delivered,
             array_to_string(latency_buckets, ',') as latency,
             requests, server_errors, channel_failures, queue_depth, rss_bytes::text
        from herald_instance_samples where at >= ${from}::timestamptz order by at`,
    sql<{ t: number; channel: string; status: string; n: number }[]>`
      select extract(epoch from date_trunc('hour', created_at))::int as t, channel, status, count(*)::int as n
        from notification_deliveries where created_at >= ${dayFrom}::timestamptz group by 1, 2, 3`,
    sql<{ category: string; sent: number; read: number; with_action: number; clicked: number }[]>`
      select category::text as category, count(*)::int as sent, count(read_at)::int as read,
             count(action_url)::int as with_action, count(clicked_at)::int as clicked
        from notifications where created_at >= ${clock.now.toISOString()}::timestamptz - interval '24 hours'
       group by 1 order by 2 desc, 1`,
    sql<{ id: string; hostname: string; pid: number; started_ms: number; seen_ms: number; stopped_ms: number | null; health: Record<string, unknown> }[]>`
      select id, hostname, pid, (extract(epoch from started_at) * 1000)::float8 as started_ms,
             (extract(epoch from seen_at) * 1000)::float8 as seen_ms, (extract(epoch from stopped_at) * 1000)::float8 as stopped_ms, health
        from herald_instances
       where seen_at >= ${clock.now.toISOString()}::timestamptz - interval '24 hours' order by started_at`,
  ]);

  const perCategory = new Map<string, number[]>();
  for (const r of created) {
    const i = minuteIndex(r.t);
    if (i < 0 || i >= MINUTES) continue;
    if (!perCategory.has(r.category)) perCategory.set(r.category, new Array(MINUTES).fill(0));
    perCategory.get(r.category)![i] += r.n;
  }

  const latency = Array.from({ length: MINUTES }, () => [] as number[]);
  const delivered = new Array(MINUTES).fill(0);
  const requests = new Array(MINUTES).fill(0);
  const serverErrors = new Array(MINUTES).fill(0);
  const channelFailures = new Array(MINUTES).fill(0);
  const depth: Series = new Array(MINUTES).fill(null);
  const streams = new Map<string, Series>();
  const lastRss = new Map<string, number>();
  for (const s of samples) {
    const i = minuteIndex(s.t);
    if (i < 0 || i >= MINUTES) continue;
    const buckets = s.latency.split(",").map(Number);
    if (buckets.length === SECONDS_BUCKETS.length + 1) addBuckets(latency[i], buckets);
    delivered[i] += s.delivered;
    requests[i] += s.requests;
    serverErrors[i] += s.server_errors;
    channelFailures[i] += s.channel_failures;
    // The queue is database-wide: every instance sees the same backlog; its latest reading counts.
    if (s.queue_depth !== null) depth[i] = s.queue_depth;
    if (!streams.has(s.instance_id)) streams.set(s.instance_id, new Array(MINUTES).fill(null));
    streams.get(s.instance_id)![i] = s.streams; // the minute's last sample
    lastRss.set(s.instance_id, Number(s.rss_bytes));
  }
  const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000 * 100) / 100);

  const channels = new Map<string, { channel: string; status: string; counts: number[]; total: number }>();
  for (const r of deliveries) {
    const i = hourIndex(r.t);
    if (i < 0 || i >= HOURS) continue;
    const key = `${r.channel}:${r.status}`;
    if (!channels.has(key)) channels.set(key, { channel: r.channel, status: r.status, counts: new Array(HOURS).fill(0), total: 0 });
    const c = channels.get(key)!;
    c.counts[i] += r.n;
    c.total += r.n;
  }

  const silentAfterMs = 3 * intervalS * 1000;
  const labels = new Map(instances.map((r) => [r.id, `${r.hostname}:${r.pid}`]));
  const instanceList: InstanceDTO[] = instances.map((r) => ({
    id: r.id,
    label: labels.get(r.id)!,
    hostname: r.hostname,
    pid: r.pid,
    startedAt: new Date(r.started_ms).toISOString(),
    seenAt: new Date(r.seen_ms).toISOString(),
    stoppedAt: r.stopped_ms === null ? null : new Date(r.stopped_ms).toISOString(),
    status: statusOf(r, clock.now.getTime() - silentAfterMs),
    health: r.health,
    rssBytes: lastRss.get(r.id) ?? null,
  }));

  return {
    generatedAt: clock.now.toISOString(),
    sampleIntervalS: intervalS,
    minutes,
    notificationsPerMinute: [...perCategory].map(([category, counts]) => ({ category, counts })),
    deliveredPerMinute: delivered,
    latencyMs: {
      p50: latency.map((b) => ms(b.length ? histogramQuantile(0.5, SECONDS_BUCKETS, b) : null)),
      p95: latency.map((b) => ms(b.length ? histogramQuantile(0.95, SECONDS_BUCKETS, b) : null)),
    },
    streams: [...streams].map(([instance, values]) => ({ instance, label: labels.get(instance) ?? instance, values })),
    queue: {
      depth,
      requests,
      serverErrors,
      channelFailures,
      errorRate: requests.map((n, i) => (n > 0 ? serverErrors[i] / n : null)),
    },
    hours,
    channels: [...channels.values()].sort((a, b) => a.channel.localeCompare(b.channel) || a.status.localeCompare(b.status)),
    engagement: engagement.map((r) => ({
      category: r.category,
      sent: r.sent,
      read: r.read,
      withAction: r.with_action,
      clicked: r.clicked,
      readRate: r.sent > 0 ? r.read / r.sent : null,
      clickRate: r.with_action > 0 ? r.clicked / r.with_action : null,
    })),
    instances: instanceList,
  };
}

function statusOf(r: { seen_ms: number; stopped_ms: number | null; health: Record<string, unknown> }, silentBefore: number): InstanceStatus {
  if (r.stopped_ms !== null) return "stopped";
  if (r.seen_ms < silentBefore) return "silent";
  const s = r.health.status;
  return s === "ok" || s === "draining" ? s : "degraded";
}
