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

/** `visibleForSeconds` 0: the tab is hidden or closing, so its row goes. */
export async function setTabPresence(db: DatabaseOrTransaction, p: { userId: string; tabId: string; visibleForSeconds: number }) {
  if (p.visibleForSeconds <= 0) {
    await db.delete(tabPresence).where(and(eq(tabPresence.userId, p.userId), eq(tabPresence.tabId, p.tabId)));
    return;
  }
  const visibleUntil = sql`now() + ${p.visibleForSeconds} * interval '1 second'`;
  await db
    .insert(tabPresence)
    .values({ userId: p.userId, tabId: p.tabId, visibleUntil })
    .onConflictDoUpdate({ target: [tabPresence.userId, tabPresence.tabId], set: { visibleUntil } });
}
