import "server-only";
import type { Change } from "@/db/queries/delivery";
import { metrics, sourceLabel } from "@/lib/metrics";

/** Announcement times kept per user (pairs): past this, later numbers go without a latency sample. */
const MAX_HEARD = 8_192;

/**
 * When the feed heard each connected user's pending numbers, as pairs (number, Unix ms) in rising
 * order: the transaction's commit time where the WAL carries it, else when the NOTIFY arrived. The
 * delivery latency counts from there, not from a created_at the writer may have set.
 */
export class HeardTimes {
  private byUser = new Map<string, number[]>();

  heard(userId: string, seq: number, at: number) {
    const heard = this.byUser.get(userId);
    if (!heard) this.byUser.set(userId, [seq, at]);
    else if (seq > heard[heard.length - 2] && heard.length < MAX_HEARD) heard.push(seq, at);
  }

  forget(userId: string) {
    this.byUser.delete(userId);
  }

  /**
   * The user's changes up to `upTo` were just written to their streams: new notifications are
   * counted, and (once each, not per stream) timed from when the feed heard of them; those nobody
   * announced (read on a catch-up) have no such time and no sample.
   */
  published(userId: string, changes: Change[], upTo: number) {
    const heard = this.byUser.get(userId);
    const m = metrics();
    const now = Date.now();
    let i = 0;
    for (const c of changes) {
      if (c.kind !== "created" || !c.row || (c.row.expiresAt !== null && c.row.expiresAt.getTime() <= now)) continue;
      m.liveNotifications.inc({ category: c.row.category, source: sourceLabel(c.row.source) });
      // The first announcement that covered this number (changes come in rising order).
      while (heard && i < heard.length && heard[i] < c.seq) i += 2;
      if (heard && i < heard.length) m.deliveryLatency.observe(Math.max(0, now - heard[i + 1]) / 1000);
    }
    if (!heard) return;
    let j = 0;
    while (j < heard.length && heard[j] <= upTo) j += 2;
    if (j >= heard.length) this.byUser.delete(userId);
    else if (j > 0) heard.splice(0, j);
  }
}
