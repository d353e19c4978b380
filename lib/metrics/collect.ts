import "server-only";
import { rawSql } from "@/db";
import { JOB_SCHEMA, QUEUES } from "@/lib/jobs/queues.mjs";
import { logError } from "@/lib/logging/log-error.mjs";
import { realtime } from "@/lib/realtime";
import { metrics, sourceLabel, type Metrics } from "./index";

/**
 * What a scrape reads at the moment it happens: this process's streams and change feed, and two
 * cheap database reads (the job queue's depth, and the notification rows committed since the last
 * scrape, found by id through the primary key). A scrape that cannot reach the database still
 * answers, with those metrics at their previous values and `herald_metrics_collect_failures_total`
 * counting it.
 */
type State = { lastId: number | null; running: Promise<string> | null };
const KEY = Symbol.for("herald.metrics.collect");
const g = globalThis as unknown as Record<symbol, State | undefined>;
const state = () => (g[KEY] ??= { lastId: null, running: null });

const FEED_STATES = ["starting", "listening", "reconnecting", "stopped"] as const;
const JOB_STATES = ["created", "retry", "active"] as const;

/** The text of one scrape. Concurrent scrapes share one collection, so no row is counted twice. */
export function renderMetrics(): Promise<string> {
  const s = state();
  s.running ??= collect(metrics()).finally(() => (s.running = null));
  return s.running;
}

async function collect(m: Metrics): Promise<string> {
  collectRealtime(m);
  await Promise.all([part(m, "jobs", () => collectJobs(m)), part(m, "notifications", () => collectCreated(m))]);
  return m.registry.metrics();
}

async function part(m: Metrics, name: string, read: () => Promise<void>) {
  try {
    await read();
  } catch (err) {
    m.collectFailures.inc({ part: name });
    logError(`metrics: could not read ${name}`, err);
  }
}

function collectRealtime(m: Metrics) {
  const { hub, listener } = realtime();
  m.streamsOpen.set(hub.size);
  for (const path of ["replication", "notify"] as const) m.feedPath.set({ path }, listener.mode === path ? 1 : 0);
  for (const s of FEED_STATES) m.feedState.set({ state: s }, listener.state === s ? 1 : 0);
  m.feedHealthy.set(listener.healthy ? 1 : 0);
}

async function collectJobs(m: Metrics) {
  const queues = Object.values(QUEUES);
  const rows = await rawSql()<{ queue: string; state: string; n: number }[]>`
    select name as queue, state::text as state, count(*)::int as n
      from ${rawSql()(JOB_SCHEMA)}.job
     where name in ${rawSql()(queues)} and state in ${rawSql()([...JOB_STATES])}
     group by 1, 2`;
  for (const queue of queues) for (const s of JOB_STATES) m.jobs.set({ queue, state: s }, 0);
  for (const r of rows) m.jobs.set({ queue: r.queue, state: r.state }, r.n);
}

/**
 * Rows with an id above the last scrape's highest, by category and source: every writer's
 * (app, api, sql), read through the primary key, so a scrape costs what was written since the last
 * one. The first scrape only takes the highest id. Missed: a row deleted before the next scrape,
 * and one whose transaction commits after a scrape already counted a higher id (ids are taken at
 * insert, commits may come in another order: a transaction held open across a scrape).
 */
async function collectCreated(m: Metrics) {
  const s = state();
  const sql = rawSql();
  if (s.lastId === null) {
    const [row] = await sql<{ max: string }[]>`select coalesce(max(id), 0)::text as max from notifications`;
    s.lastId = Number(row.max);
    return;
  }
  const rows = await sql<{ category: string; source: string; n: number; max: string }[]>`
    select category::text as category, source, count(*)::int as n, max(id)::text as max
      from notifications where id > ${s.lastId} group by 1, 2`;
  for (const r of rows) {
    m.notificationsInDatabase.inc({ category: r.category, source: sourceLabel(r.source) }, r.n);
    s.lastId = Math.max(s.lastId, Number(r.max));
  }
}
