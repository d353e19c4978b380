"use client";

import { useQueries } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchJson } from "@/sdk/client/src/api";
import { useRealtime } from "@/components/notifications/realtime-provider";
import type { DeliveryDTO, NotificationDTO } from "@/lib/notifications/dto";

type Detail = NotificationDTO & { deliveries: DeliveryDTO[] };
const SHOWN = 6;

const STATUS_STYLE: Record<DeliveryDTO["status"], string> = {
  pending: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  sent: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  skipped: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  cancelled: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

const detailQuery = (id: string) => ({
  queryKey: ["notifications", "detail", id] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<Detail>(`/api/notifications/${id}`, { signal }),
  // Refreshed every second while email or push is still pending, then left alone.
  refetchInterval: (q: { state: { data?: Detail } }) => (q.state.data?.deliveries.some((d) => d.status === "pending") ? 1000 : false),
});

/** Email and push outcomes of the notifications that arrived on this page, as they change. */
export function ChannelOutcomes() {
  const { subscribe } = useRealtime();
  const [ids, setIds] = useState<string[]>([]);
  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === "notification.created") setIds((prev) => [e.data.id, ...prev.filter((id) => id !== e.data.id)].slice(0, SHOWN));
      }),
    [subscribe],
  );
  const results = useQueries({ queries: ids.map(detailQuery) });

  return (
    <section aria-labelledby="channels-heading" className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 id="channels-heading" className="font-semibold">
          Email and push
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">What each channel did with the notifications that arrived here, as it happens.</p>
      </div>
      {ids.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">Send yourself a notification to see its channels.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Channel outcomes">
          {ids.map((id, i) => {
            const n = results[i]?.data;
            return (
              <li key={id} aria-label={n ? n.title : `Notification ${id}`} className="px-4 py-2.5 text-sm">
                <p className="truncate font-medium">{n ? n.title : `#${id}`}</p>
                {n && n.deliveries.length === 0 ? (
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">No email or push: your settings do not ask for them for this category.</p>
                ) : (
                  <ul className="mt-1 flex flex-wrap gap-1.5">
                    {n?.deliveries.map((d, j) => (
                      <li key={j} className="flex items-center gap-1.5 text-xs" title={d.reason}>
                        <span className="text-zinc-600 dark:text-zinc-400">{d.channel === "email" ? "Email" : `Push${d.device ? ` · ${d.device}` : ""}`}</span>
                        <span className={`rounded px-1.5 py-px font-medium ${STATUS_STYLE[d.status]}`} data-testid={`delivery-${d.channel}`}>
                          {d.status}
                        </span>
                        {d.reason ? <span className="text-zinc-500 dark:text-zinc-400">{d.reason}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
