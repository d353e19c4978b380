import { rawSql } from "@/db";
import { endpoint } from "@/lib/http/endpoint";
import { isDraining } from "@/lib/http/shutdown.mjs";
import { jobsState } from "@/lib/jobs";
import { realtime } from "@/lib/realtime";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /**
   * Liveness of the database and of this process's change feed (replication or LISTEN; a deaf one is not ok), which path it is, the
   * job queue's workers, and how many streams this process holds: totals only, nothing about any user.
   * 503 "draining" once the process is shutting down, so a proxy sends nobody new here.
   */
  GET: async () => {
    let dbState = "ok";
    try {
      await rawSql()`select 1`;
    } catch {
      dbState = "unreachable";
    }
    const { listener, hub } = realtime();
    const listenerState = listener.healthy ? "ok" : listener.state === "listening" ? "deaf" : listener.state;
    const jobs = jobsState();
    const draining = isDraining();
    const ok = !draining && dbState === "ok" && listenerState === "ok" && jobs !== "failed";
    return Response.json(
      {
        status: draining ? "draining" : ok ? "ok" : "degraded",
        db: dbState,
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
      { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  },
});
