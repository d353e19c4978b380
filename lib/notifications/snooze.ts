import "server-only";
import { db } from "@/db";
import { wakeSnoozed } from "@/db/queries/inbox";

/**
 * A herald-wake job, queued by the notifications triggers (db/migrations/0012) when a snooze is set,
 * in the same transaction, for its time: pg-boss hands it to one instance, keeps it across restarts
 * and retries it if the instance dies. `until` is the snooze it was queued for; a snooze changed or
 * lifted since makes it a no-op, so it fires once whatever happens.
 */
export type WakeJob = { id: number; until: string };

export async function runWakeJob(job: WakeJob) {
  if (!Number.isSafeInteger(job.id) || typeof job.until !== "string") return;
  await wakeSnoozed(db, job);
}
