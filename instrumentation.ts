// Runs once when the server starts. Starts the process's LISTEN connection, so /api/health is honest
// before the first stream, and the job queue's workers (email, push, cleanup); registers the request hooks that server.mjs
// runs before Next.js: the live stream served on Node directly (lib/realtime/stream/node-sse.ts), a JSON 405
// for the methods Next.js cannot route, such as TRACE (lib/http/method-guard.ts), paths with a broken
// percent-encoding escaped so that they are not a 500 (lib/http/path-encoding.ts), and each request's
// client address from its socket (lib/http/client-ip.ts), for the sign-in throttle; and, before them,
// the HTTP request timer of the metrics (lib/metrics/http.ts). Each instance also samples itself for
// the admin dashboard (lib/admin/sampler.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  // Fails fast, naming every bad variable, before the server takes a request.
  const { env } = await import("@/lib/env");
  const config = env();
  // Before anything can fail: Next.js logs uncaught errors whole, a database error's values with them.
  const { installConsoleScrub } = await import("@/lib/logging/scrub-console");
  installConsoleScrub();
  // First, so it times every request the other hooks answer too.
  const { installHttpMetrics } = await import("@/lib/metrics/http");
  installHttpMetrics();
  const { installMethodGuard } = await import("@/lib/http/method-guard");
  installMethodGuard();
  const { installPathRepair } = await import("@/lib/http/path-encoding");
  installPathRepair();
  const { installClientIp } = await import("@/lib/http/client-ip");
  installClientIp();
  const { realtime } = await import("@/lib/realtime");
  realtime();
  const { startJobs } = await import("@/lib/jobs");
  startJobs();
  const { instanceSampler } = await import("@/lib/admin/sampler");
  instanceSampler().start();
  if (config.HERALD_SSE_FAST_PATH) {
    const { installSseFastPath } = await import("@/lib/realtime/stream/node-sse");
    installSseFastPath();
  }
  // What a SIGTERM does besides closing the HTTP server (server.mjs, lib/http/shutdown.mjs).
  const { onShutdown } = await import("@/lib/http/shutdown.mjs");
  const { stopJobs } = await import("@/lib/jobs");
  const { closeDb } = await import("@/db");
  onShutdown("drain", "streams", () => realtime().hub.drain());
  onShutdown("drain", "instance", () => instanceSampler().stop());
  onShutdown("close", "jobs-feed-db", async () => {
    await Promise.allSettled([stopJobs(5_000), realtime().listener.stop()]);
    await closeDb(2);
  });
}
