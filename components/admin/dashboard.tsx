"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/sdk/client/src/api";
import type { AdminStatsDTO, InstanceDTO, InstanceStatus } from "@/lib/admin/types";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import { TimeChart, type ChartSeries } from "./time-chart";

const REFRESH_MS = 5_000;

/** One color per category, the same in every chart. */
const CATEGORY_COLORS: Record<string, string> = {
  message: "#6366f1",
  appointment: "#0ea5e9",
  report: "#14b8a6",
  system: "#f97316",
  reminder: "#eab308",
  feedback: "#ec4899",
  task: "#8b5cf6",
  general: "#64748b",
};
const INSTANCE_COLORS = ["#6366f1", "#10b981", "#f97316", "#ec4899", "#0ea5e9", "#eab308"];
const OUTCOME_COLORS: Record<string, string> = {
  "email:sent": "#10b981",
  "email:failed": "#ef4444",
  "email:skipped": "#a1a1aa",
  "email:pending": "#eab308",
  "email:cancelled": "#71717a",
  "push:sent": "#6366f1",
  "push:failed": "#f97316",
  "push:skipped": "#d4d4d8",
  "push:pending": "#facc15",
  "push:cancelled": "#52525b",
};

const STATUS_STYLE: Record<InstanceStatus, string> = {
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  degraded: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  draining: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  stopped: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  silent: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

const count = (v: number) => (Number.isInteger(v) ? v.toLocaleString("en") : v.toFixed(1));
const millis = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v >= 10 || v === 0 ? Math.round(v) : v.toFixed(1)} ms`);
const percent = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`);
const megabytes = (b: number | null) => (b === null ? "–" : `${Math.round(b / (1024 * 1024))} MB`);

function since(iso: string, now: number) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d`;
}

/** The operator's view of every instance: charts of the last hour and day, refreshed every 5 s. */
export function AdminDashboard() {
  const stats = useQuery({
    queryKey: ["admin", "stats"],
    queryFn: ({ signal }) => fetchJson<AdminStatsDTO>("/api/admin/stats", { signal }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  if (stats.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the figures…</p>;
  if (stats.isError && !stats.data) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        Could not load the figures: {stats.error.message}
      </p>
    );
  }
  const d = stats.data;
  const now = Date.parse(d.generatedAt);
  const perCategory: ChartSeries[] = d.notificationsPerMinute.map((c) => ({
    label: CATEGORY_LABELS[c.category as keyof typeof CATEGORY_LABELS] ?? c.category,
    values: c.counts,
    color: CATEGORY_COLORS[c.category] ?? "#64748b",
  }));
  const streams: ChartSeries[] = d.streams.map((s, i) => ({ label: s.label, values: s.values, color: INSTANCE_COLORS[i % INSTANCE_COLORS.length] }));
  const outcomes: ChartSeries[] = d.channels.map((c) => ({
    label: `${c.channel === "email" ? "Email" : "Push"} ${c.status}`,
    values: c.counts,
    color: OUTCOME_COLORS[`${c.channel}:${c.status}`] ?? "#64748b",
  }));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Operations</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Every instance, from the database they share. Updated every {REFRESH_MS / 1000} s; instances sample themselves every {d.sampleIntervalS} s.
          </p>
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite" data-testid="stats-time">
          {stats.isError ? "Refresh failed; showing " : "As of "}
          {new Date(d.generatedAt).toLocaleTimeString("en", { hour12: false })}
        </p>
      </div>

      <Instances instances={d.instances} now={now} />

      <div className="grid gap-4 lg:grid-cols-2">
        <TimeChart
          id="per-minute"
          title="Notifications per minute"
          description="Rows committed in the last hour by category: from the app, the API or plain SQL."
          x={d.minutes}
          series={perCategory}
          format={count}
          legend="total"
          integer
        />
        <TimeChart
          id="latency"
          title="Delivery latency"
          description="From a notification's commit to its frame written to the streams, all instances."
          x={d.minutes}
          series={[
            { label: "p50", values: d.latencyMs.p50, color: "#6366f1" },
            { label: "p95", values: d.latencyMs.p95, color: "#f97316", dash: true },
          ]}
          format={millis}
        />
        <TimeChart id="streams" title="Open streams" description="Live SSE connections per instance (the minute's last sample)." x={d.minutes} series={streams} format={count} integer />
        <TimeChart
          id="queue"
          title="Queue and errors"
          description="Jobs ready and waiting (email, push, wake-ups, cleanup); 5xx responses and email or push sends given up, per minute."
          x={d.minutes}
          series={[
            { label: "Jobs waiting", values: d.queue.depth, color: "#0ea5e9" },
            { label: "5xx responses", values: d.queue.serverErrors, color: "#ef4444" },
            { label: "Channel failures", values: d.queue.channelFailures, color: "#f97316", dash: true },
          ]}
          format={count}
          integer
        />
        <TimeChart
          id="channels"
          title="Email and push outcomes"
          description="What became of each email and push send in the last 24 hours, by the hour it was queued."
          x={d.hours}
          series={outcomes}
          format={count}
          legend="total"
          integer
          bars
        />
        <Engagement rows={d.engagement} errorRate={d.queue.errorRate} />
      </div>
    </div>
  );
}

function Instances({ instances, now }: { instances: InstanceDTO[]; now: number }) {
  return (
    <section aria-labelledby="instances-heading" className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="instances-heading" className="border-b border-zinc-200 px-4 py-3 font-semibold dark:border-zinc-800">
        Instances
      </h2>
      {instances.length === 0 ? (
        <p className="px-4 py-6 text-sm text-zinc-600 dark:text-zinc-400">No instance has sampled itself yet.</p>
      ) : (
        // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
        <div className="overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-500" tabIndex={0} role="region" aria-labelledby="instances-heading">
          <table className="w-full text-left text-sm">
            <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Instance</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
                <th scope="col" className="px-4 py-2 font-medium">Delivery path</th>
                <th scope="col" className="px-4 py-2 font-medium">Feed</th>
                <th scope="col" className="px-4 py-2 font-medium">Jobs</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Streams</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Memory</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Up</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Last seen</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {instances.map((i) => {
                const realtime = (i.health.realtime ?? {}) as { path?: string | null; streams?: number };
                return (
                  <tr key={i.id} data-instance={i.label}>
                    <th scope="row" className="px-4 py-2 font-mono text-xs font-normal">{i.label}</th>
                    <td className="px-4 py-2">
                      <span data-testid="instance-status" className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[i.status]}`}>
                        {i.status}
                      </span>
                    </td>
                    <td className="px-4 py-2">{realtime.path ?? "–"}</td>
                    <td className="px-4 py-2">{String(i.health.listener ?? "–")}</td>
                    <td className="px-4 py-2">{String(i.health.jobs ?? "–")}</td>
                    <td className="px-4 py-2 text-right tabular-nums" data-testid="instance-streams">
                      {i.status === "stopped" ? 0 : (realtime.streams ?? 0)}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{megabytes(i.rssBytes)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{i.stoppedAt ? "stopped" : since(i.startedAt, now)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{since(i.seenAt, now)} ago</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Meter({ value, label, color }: { value: number | null; label: string; color: string }) {
  return (
    <div className="flex items-center gap-2">
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value === null ? 0 : Math.round(value * 100)}
        aria-valuetext={percent(value)}
        className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
      >
        <div className="h-full rounded-full" style={{ width: `${Math.round((value ?? 0) * 100)}%`, background: color }} />
      </div>
      <span className="w-10 text-right text-xs tabular-nums">{percent(value)}</span>
    </div>
  );
}

function Engagement({ rows, errorRate }: { rows: AdminStatsDTO["engagement"]; errorRate: (number | null)[] }) {
  const lastErrorRate = [...errorRate].reverse().find((v) => v !== null) ?? null;
  return (
    <section aria-labelledby="engagement-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="engagement-heading" className="font-semibold">
        Read rate and click-through
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Notifications of the last 24 hours by category: read, and with an action, opened. HTTP error rate this minute: {percent(lastErrorRate)}.
      </p>
      {rows.length === 0 ? (
        <p className="py-6 text-sm text-zinc-600 dark:text-zinc-400">Nothing was sent in the last 24 hours.</p>
      ) : (
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-1 font-medium">Category</th>
              <th scope="col" className="py-1 text-right font-medium">Sent</th>
              <th scope="col" className="w-1/3 py-1 pl-4 font-medium">Read</th>
              <th scope="col" className="w-1/3 py-1 pl-4 font-medium">Clicked</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const name = CATEGORY_LABELS[r.category as keyof typeof CATEGORY_LABELS] ?? r.category;
              return (
                <tr key={r.category} data-category={r.category} data-read={r.read} data-clicked={r.clicked}>
                  <th scope="row" className="py-1.5 font-normal">{name}</th>
                  <td className="py-1.5 text-right tabular-nums" data-testid="engagement-sent">{count(r.sent)}</td>
                  <td className="py-1.5 pl-4">
                    <Meter value={r.readRate} label={`${name}: read`} color={CATEGORY_COLORS[r.category] ?? "#64748b"} />
                  </td>
                  <td className="py-1.5 pl-4">
                    <Meter value={r.clickRate} label={`${name}: clicked, of ${r.withAction} with an action`} color={CATEGORY_COLORS[r.category] ?? "#64748b"} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
