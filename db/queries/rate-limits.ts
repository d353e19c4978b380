import { and, eq, gt, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { rateLimits } from "@/db/schema";

/**
 * Counts `cost` hits in the bucket's current fixed window and returns the new total with the
 * seconds left in the window. One upsert, atomic under concurrency, on the database's clock, so
 * every app instance shares the same counters and windows.
 */
export async function hitRateLimit(db: DatabaseOrTransaction, bucket: string, windowSeconds: number, cost = 1) {
  const windowStart = sql`to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ bucket, windowStart, count: cost })
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + excluded.count` },
    })
    .returning({
      count: rateLimits.count,
      resetSeconds: sql<number>`extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${windowSeconds}) - now()))::float8`,
    });
  return row;
}

/**
 * Counts one hit in each bucket's current window in one statement, returning each bucket's new
 * total, the seconds left in its window and the window's start (to refund that same window).
 */
export async function hitRateLimits(db: DatabaseOrTransaction, buckets: string[], windowSeconds: number) {
  if (buckets.length === 0) return [];
  const windowStart = sql`to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`;
  return db
    .insert(rateLimits)
    .values(buckets.map((bucket) => ({ bucket, windowStart, count: 1 })))
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + excluded.count` },
    })
    .returning({
      bucket: rateLimits.bucket,
      count: rateLimits.count,
      windowStart: rateLimits.windowStart,
      resetSeconds: sql<number>`extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${windowSeconds}) - now()))::float8`,
    });
}

/** Takes back one hit from each bucket's given window (an attempt that turned out not to count). */
export async function refundRateLimits(db: DatabaseOrTransaction, hits: { bucket: string; windowStart: Date }[]) {
  for (const hit of hits) {
    await db
      .update(rateLimits)
      .set({ count: sql`${rateLimits.count} - 1` })
      .where(and(eq(rateLimits.bucket, hit.bucket), eq(rateLimits.windowStart, hit.windowStart), gt(rateLimits.count, 0)));
  }
}
