import { and, eq, gt, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { tabPresence } from "@/db/schema";

/** Whether any of the user's Herald tabs, on any device, is visible right now. */
export async function isLookingAtHerald(db: DatabaseOrTransaction, userId: string) {
  const rows = await db
    .select({ one: sql`1` })
    .from(tabPresence)
    .where(and(eq(tabPresence.userId, userId), gt(tabPresence.visibleUntil, sql`now()`)))
    .limit(1);
  return rows.length > 0;
}
