"use client";

import { useEffect, useState } from "react";
import { ConnectionIndicator } from "@/components/notifications/connection-indicator";
import { useRealtime, type StreamEvent } from "@/components/notifications/realtime-provider";

type Entry = StreamEvent & { key: number; latencyMs: number | null; summary: string };
const MAX_ENTRIES = 200;

function describe(e: StreamEvent): { summary: string; latencyMs: number | null } {
  const d = e.data as { id?: string; title?: string; createdAt?: string; unreadCount?: number } | null;
  if (e.type === "notification.created" && d?.createdAt) {
    return { summary: `#${d.id} ${d.title ?? ""}`, latencyMs: Math.max(0, e.at - new Date(d.createdAt).getTime()) };
  }
  if (e.type === "notifications.count") return { summary: `unread: ${d?.unreadCount}`, latencyMs: null };
  return { summary: d?.id ? `#${d.id}` : "", latencyMs: null };
}

/** The stream's events as they arrive, with creation-to-arrival latency for new notifications. */
export function ActivityLog() {
  const { subscribe } = useRealtime();
  const [entries, setEntries] = useState<Entry[]>([]);

  useEffect(() => {
    let key = 0;
    return subscribe((e) => setEntries((prev) => [{ ...e, key: key++, ...describe(e) }, ...prev].slice(0, MAX_ENTRIES)));
  }, [subscribe]);

  return (
    <section className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="font-semibold">Activity log</h2>
        <ConnectionIndicator />
      </div>
      <ol aria-label="Activity log" className="max-h-[28rem] divide-y divide-zinc-100 overflow-y-auto font-mono text-xs dark:divide-zinc-800">
        {entries.length === 0 ? <li className="px-4 py-6 text-center font-sans text-sm text-zinc-500">Waiting for events…</li> : null}
        {entries.map((e) => (
          <li key={e.key} className="flex gap-3 px-4 py-2">
            <time className="text-zinc-400">{new Date(e.at).toLocaleTimeString()}</time>
            <span className="font-semibold text-indigo-600 dark:text-indigo-400">{e.type}</span>
            <span className="min-w-0 flex-1 truncate">{e.summary}</span>
            {e.latencyMs !== null ? <span className="text-emerald-600">{e.latencyMs} ms</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
