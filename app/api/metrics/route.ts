import { endpoint } from "@/lib/http/endpoint";
import { guarded } from "@/lib/http/respond";
import { assertMayReadMetrics } from "@/lib/metrics/access";
import { renderMetrics } from "@/lib/metrics/collect";
import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** This process's metrics in the Prometheus text format, for admins and for HERALD_METRICS_TOKEN. */
  GET: guarded(async (request) => {
    await assertMayReadMetrics(request);
    const body = await renderMetrics();
    return new Response(body, { headers: { "Content-Type": metrics().registry.contentType, "Cache-Control": "no-store" } });
  }),
});
