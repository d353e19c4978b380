import { rawSql } from "@/db";
import { endpoint } from "@/lib/http/endpoint";
import { realtime } from "@/lib/realtime/listener";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  GET: async () => {
    let dbState = "ok";
    try {
      await rawSql()`select 1`;
    } catch {
      dbState = "unreachable";
    }
    const { listener } = realtime();
    const listenerState = listener.healthy ? "ok" : listener.state;
    const ok = dbState === "ok" && listenerState === "ok";
    return Response.json(
      { status: ok ? "ok" : "degraded", db: dbState, listener: listenerState },
      { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  },
});
