"use client";

import { useEffect, useRef, useState } from "react";
import { ConnectionIndicator } from "@/components/notifications/connection-indicator";
import { useRealtime } from "@/components/notifications/realtime-provider";
import { unhandled, type StreamEvent } from "@/lib/realtime/protocol";

type Entry = { key: number; type: string; at: number; summary: string; latencyMs: number | null };
const MAX_ENTRIES = 300;

const TYPE_STYLE: Record<string, string> = {
  "notification.created": "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  "notification.updated": "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  "notification.deleted": "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  "notifications.count": "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  ready: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
};

function describe(e: StreamEvent): { summary: string; latencyMs: number | null } {
  switch (e.type) {
    case "notification.created":
      return { summary: `#${e.data.id} ${e.data.title}`, latencyMs: Math.max(0, e.at - new Date(e.data.createdAt).getTime()) };
    case "notification.updated":
      return { summary: `#${e.data.id} ${e.data.archivedAt ? "archived" : e.data.readAt ? "read" : "unread"}`, latencyMs: null };
    case "notification.deleted":
      return { summary: `#${e.data.id}`, latencyMs: null };
    case "notifications.updated":
    case "notifications.deleted":
      return { summary: `${e.data.ids.length} notifications`, latencyMs: null };
    case "notifications.count":
      return { summary: `unread: ${e.data.unreadCount}`, latencyMs: null };
    case "ready":
      return { summary: "stream open", latencyMs: null };
    case "sync.reset":
      return { summary: `refetch (${e.data.reason})`, latencyMs: null };
    case "stream.closed":
      return { summary: `closed (${e.data.reason})`, latencyMs: null };
    default:
      return unhandled(e);
  }
}

const clock = (at: number) => {
  const d = new Date(at);
  return `${d.toLocaleTimeString("en-GB", { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
};

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The stream's events as they arrive, with timestamps and creation-to-arrival latency. */
export function ActivityLog() {
  const { subscribe } = useRealtime();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [latencies, setLatencies] = useState<number[]>([]);
  const key = useRef(0);

  useEffect(
    () =>
      subscribe((e) => {
        const entry = { key: key.current++, type: e.type, at: e.at, ...describe(e) };
        setEntries((prev) => [entry, ...prev].slice(0, MAX_ENTRIES));
        if (entry.latencyMs !== null) setLatencies((prev) => [...prev, entry.latencyMs as number].slice(-1000));
      }),
    [subscribe],
  );

  const sorted = [...latencies].sort((a, b) => a - b);
  const stats = [
    { label: "Notifications", value: String(latencies.length) },
    { label: "Last", value: latencies.length ? `${latencies[latencies.length - 1]} ms` : "–" },
    { label: "Median", value: sorted.length ? `${percentile(sorted, 50)} ms` : "–" },
    { label: "p95", value: sorted.length ? `${percentile(sorted, 95)} ms` : "–" },
  ];

  return (
    <section aria-labelledby="activity-heading" className="flex min-h-0 flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 id="activity-heading" className="font-semibold">
          Live activity
        </h2>
        <div className="flex items-center gap-3">
          <ConnectionIndicator />
          <button
            type="button"
            onClick={() => {
              setEntries([]);
              setLatencies([]);
            }}
            className="text-xs font-medium text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          >
            Clear
          </button>
        </div>
      </div>
      <dl className="grid grid-cols-4 divide-x divide-zinc-100 border-b border-zinc-200 text-center dark:divide-zinc-800 dark:border-zinc-800">
        {stats.map((s) => (
          <div key={s.label} className="px-2 py-2">
            <dt className="text-[11px] uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{s.label}</dt>
            <dd className="font-mono text-sm font-semibold tabular-nums" data-testid={`stat-${s.label.toLowerCase()}`}>
              {s.value}
            </dd>
          </div>
        ))}
      </dl>
      <ol aria-label="Activity log" className="max-h-[34rem] min-h-48 flex-1 divide-y divide-zinc-100 overflow-y-auto font-mono text-xs dark:divide-zinc-800">
        {entries.length === 0 ? <li className="px-4 py-10 text-center font-sans text-sm text-zinc-500 dark:text-zinc-400">Waiting for events…</li> : null}
        {entries.map((e) => (
          <li key={e.key} className="flex items-center gap-3 px-4 py-1.5">
            <time className="shrink-0 tabular-nums text-zinc-500 dark:text-zinc-400">{clock(e.at)}</time>
            <span className={`shrink-0 rounded px-1.5 py-px font-semibold ${TYPE_STYLE[e.type] ?? TYPE_STYLE["notifications.count"]}`}>{e.type}</span>
            <span className="min-w-0 flex-1 truncate font-sans">{e.summary}</span>
            {e.latencyMs !== null ? (
              <span className="shrink-0 tabular-nums text-emerald-700 dark:text-emerald-400" title="From creation in the database to arrival in this tab">
                {e.latencyMs} ms
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
