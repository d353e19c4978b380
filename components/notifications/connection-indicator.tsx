"use client";

import { useRealtime } from "./realtime-provider";

const styles = {
  connecting: ["bg-zinc-400", "Connecting"],
  live: ["bg-emerald-500", "Live"],
  reconnecting: ["bg-amber-500", "Reconnecting"],
  offline: ["bg-red-500", "Offline"],
} as const;

export function ConnectionIndicator() {
  const { connection, reconnect } = useRealtime();
  const [dot, label] = styles[connection.status];
  return (
    <span className="flex items-center gap-2 text-xs text-zinc-500" data-testid="connection-status">
      <span className={`size-2 rounded-full ${dot}`} aria-hidden />
      <span role="status">{label}</span>
      {connection.status === "reconnecting" || connection.status === "offline" ? (
        <button type="button" onClick={reconnect} className="font-medium text-indigo-600 hover:underline">
          Reconnect now
        </button>
      ) : null}
    </span>
  );
}
