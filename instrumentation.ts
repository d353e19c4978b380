// Starts the process's LISTEN connection at boot, so /api/health is honest before the first stream,
// serves the live stream on Node's HTTP server directly (lib/realtime/node-sse.ts explains why),
// runs the periodic cleanup job (expired and old read-and-archived notifications), answers the
// methods Next.js cannot route, such as TRACE, with a JSON 405 (lib/http/method-guard.ts), and
// records each request's client address from its socket (lib/http/client-ip.ts), for the sign-in
// throttle.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installMethodGuard } = await import("@/lib/http/method-guard");
    installMethodGuard();
  }
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.DATABASE_URL) {
    const { installClientIp } = await import("@/lib/http/client-ip");
    installClientIp();
    const { realtime } = await import("@/lib/realtime/listener");
    realtime();
    const { startCleanupSchedule } = await import("@/lib/cleanup/schedule");
    startCleanupSchedule();
    if (process.env.HERALD_SSE_FAST_PATH !== "0") {
      const { installSseFastPath } = await import("@/lib/realtime/node-sse");
      installSseFastPath();
    }
  }
}
