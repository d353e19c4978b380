// Starts the process's LISTEN connection at boot, so /api/health is honest before the first stream,
// and the periodic cleanup job (expired and old read-and-archived notifications).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.DATABASE_URL) {
    const { realtime } = await import("@/lib/realtime/listener");
    realtime();
    const { startCleanupSchedule } = await import("@/lib/cleanup/schedule");
    startCleanupSchedule();
  }
}
