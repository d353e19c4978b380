import "server-only";
import { isDraining } from "@/lib/http/shutdown.mjs";
import { jobsState } from "@/lib/jobs";
import { realtime } from "@/lib/realtime";

export type DbState = "ok" | "unreachable";

/**
 * This process's health: the database (as the caller found it), its change feed (replication or
 * LISTEN; a deaf one is not ok), the job workers and its streams. Totals only, nothing about any
 * user. /api/health answers it; every instance also writes it for the admin dashboard.
 */
export function processHealth(db: DbState) {
  const { listener, hub } = realtime();
  const listenerState = listener.healthy ? "ok" : listener.state === "listening" ? "deaf" : listener.state;
  const jobs = jobsState();
  const draining = isDraining();
  const ok = !draining && db === "ok" && listenerState === "ok" && jobs !== "failed";
  return {
    ok,
    body: {
      status: draining ? "draining" : ok ? "ok" : "degraded",
      db,
      listener: listenerState,
      jobs,
      realtime: {
        path: listener.mode,
        ...(listener.reason ? { pathReason: listener.reason } : {}),
        streams: hub.size,
        streamsOpened: hub.totalOpened,
        listenerReconnects: listener.reconnects,
      },
    },
  };
}

export type ProcessHealth = ReturnType<typeof processHealth>["body"];
