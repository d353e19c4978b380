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

/**
 * Visible tabs kept per user: more than anyone has open at once, few enough that made-up tab ids
 * cannot grow the table (the least recently renewed go first).
 */
export const MAX_TABS_PER_USER = 20;

/**
 * `visibleForSeconds` 0: the tab is hidden or closing, so its row goes. Each write also drops the
 * user's lapsed rows and any beyond MAX_TABS_PER_USER (the cleanup job sweeps everyone else's).
 */
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
  await db.execute(sql`
    delete from tab_presence
     where user_id = ${p.userId}
       and (visible_until <= now() or tab_id in (
             select tab_id from tab_presence where user_id = ${p.userId}
              order by visible_until desc, tab_id offset ${MAX_TABS_PER_USER}))`);
}
