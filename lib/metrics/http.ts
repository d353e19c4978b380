import "server-only";
import { addRequestHook } from "@/lib/http/request-hooks.mjs";
import { metrics } from "./index";
import { methodLabel, routeLabel } from "@/lib/http/route-label.mjs";

const STREAM = "/api/notifications/stream";

/**
 * Times every request Herald's server (server.mjs) takes, from its arrival to its response closing,
 * as a request hook run before the others (so a 405 from the method guard counts too). The live
 * stream is left out: its duration is its lifetime, the stream metrics cover it. Under a plain
 * `next start` no hook runs and this histogram stays empty.
 */
export function installHttpMetrics() {
  const histogram = metrics().httpDuration;
  addRequestHook("http-metrics", (req, res) => {
    const start = performance.now();
    res.once("close", () => {
      const route = routeLabel(req.url ?? "/");
      if (route === STREAM) return;
      const status = res.writableFinished ? String(res.statusCode) : "aborted";
      histogram.observe({ route, method: methodLabel(req.method), status }, (performance.now() - start) / 1000);
    });
    return false;
  });
}
