import { sql } from "drizzle-orm";
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
