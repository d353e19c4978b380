import { rawSql } from "@/db";
import { realtime } from "@/lib/realtime/listener";

export const dynamic = "force-dynamic";

/**
 * Liveness of the database and of this process's LISTEN connection (a deaf listener is not ok), and
 * how many streams this process holds: totals only, nothing about any user.
 */
export async function GET() {
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
}
