"use client";

import { useNow } from "@/lib/hooks/use-now";
import { useRealtime } from "./realtime-provider";

const DOT = {
  connecting: "bg-zinc-400",
  live: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-red-500",
} as const;

const BASE = { live: "live", connecting: "connecting", reconnecting: "reconnecting", offline: "offline" } as const;

/** Honest connection state: live, reconnecting (with the next attempt's countdown) or offline, and a manual retry. */
export function ConnectionIndicator({ compact = false }: { compact?: boolean }) {
  const { connection, reconnect } = useRealtime();
  const now = useNow(1_000);
  let label: string;
  switch (connection.status) {
    case "live":
      label = "Live";
      break;
    case "connecting":
      label = "Connecting…";
      break;
    case "offline":
      label = "Offline";
      break;
    case "reconnecting": {
      const s = Math.ceil((connection.retryAt - now) / 1000);
      label = s > 0 ? `Reconnecting in ${s}s` : "Reconnecting…";
      break;
    }
  }
  const troubled = connection.status === "reconnecting" || connection.status === "offline";
  return (
    <span className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid={compact ? "connection-dot" : "connection-status"}>
      <span className={`size-2 shrink-0 rounded-full ${DOT[connection.status]}`} aria-hidden />
      {/* The status region announces changes of state, not every tick of the countdown. */}
      <span role="status" className="sr-only">
        {`Connection: ${BASE[connection.status]}`}
      </span>
      {compact ? null : <span aria-hidden>{label}</span>}
      {troubled && !compact ? (
        <button type="button" onClick={reconnect} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Reconnect now
        </button>
      ) : null}
    </span>
  );
}
