import { rawSql } from "@/db";
import { processHealth, type DbState } from "@/lib/health";
import { endpoint } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /**
   * Liveness of the database and of this process's change feed, which path it is, the job queue's
   * workers, and how many streams this process holds (lib/health.ts). 503 when degraded, and
   * "draining" once the process is shutting down, so a proxy sends nobody new here.
   */
  GET: async () => {
    let db: DbState = "ok";
    try {
      await rawSql()`select 1`;
    } catch {
      db = "unreachable";
    }
    const { ok, body } = processHealth(db);
    return Response.json(body, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
  },
});
