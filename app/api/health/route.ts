import { rawSql } from "@/db";
import { endpoint } from "@/lib/http/endpoint";
import { realtime } from "@/lib/realtime";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /**
   * Liveness of the database and of this process's LISTEN connection (a deaf listener is not ok), and
   * how many streams this process holds: totals only, nothing about any user.
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
    const ok = dbState === "ok" && listenerState === "ok";
    return Response.json(
      {
        status: ok ? "ok" : "degraded",
        db: dbState,
        listener: listenerState,
        realtime: { streams: hub.size, streamsOpened: hub.totalOpened, listenerReconnects: listener.reconnects },
      },
      { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  },
});
