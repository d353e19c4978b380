import { and, eq, gt, sql } from "drizzle-orm";
import { clientOf, prepared, type DatabaseOrTransaction } from "@/db";
import { rateLimits } from "@/db/schema";

// The window is fixed on the database's clock; one upsert, prepared once per connection: every
// limited request runs it (drizzle would build and the server would plan it each time).
const HIT_SQL = `
  insert into rate_limits (bucket, window_start, count)
  values ($1, to_timestamp(floor(extract(epoch from now()) / $2::int) * $2::int), $3::int)
  on conflict (bucket, window_start) do update set count = rate_limits.count + excluded.count
  returning count, extract(epoch from (window_start + make_interval(secs => $2::int) - now()))::float8 as "resetSeconds"`;

/**
 * Counts `cost` hits in the bucket's current fixed window and returns the new total with the
 * seconds left in the window. One upsert, atomic under concurrency, on the database's clock, so
 * every app instance shares the same counters and windows.
 */
export async function hitRateLimit(db: DatabaseOrTransaction, bucket: string, windowSeconds: number, cost = 1) {
  const [row] = await clientOf(db).unsafe<{ count: number; resetSeconds: number }[]>(HIT_SQL, [bucket, windowSeconds, cost], { prepare: prepared() });
  return { count: Number(row.count), resetSeconds: Number(row.resetSeconds) };
}

/**
 * One hit in each of many buckets, in ONE statement (a fan-out to 1,000 recipients is one round
 * trip; the buckets travel as one JSON parameter). Buckets are deduplicated and upserted in sorted
 * order, so concurrent callers lock the counter rows in one global order and cannot deadlock.
 * Returns each bucket's new count, the seconds left in its window and the window's start (to
 * refund that same window).
 */
export async function hitRateLimits(db: DatabaseOrTransaction, buckets: string[], windowSeconds: number) {
  const sorted = [...new Set(buckets)].sort();
  if (sorted.length === 0) return [];
  const rows = await db.execute<{ bucket: string; count: number; resetSeconds: number; windowEpoch: number }>(sql`
    insert into rate_limits (bucket, window_start, count)
    select b, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}), 1
      from jsonb_array_elements_text(${JSON.stringify(sorted)}::jsonb) as b order by b
    on conflict (bucket, window_start) do update set count = rate_limits.count + 1
    returning bucket, count,
      extract(epoch from (window_start + make_interval(secs => ${windowSeconds}) - now()))::float8 as "resetSeconds",
      extract(epoch from window_start)::float8 as "windowEpoch"`);
  return [...rows].map((r) => ({
    bucket: r.bucket,
    count: Number(r.count),
    resetSeconds: Number(r.resetSeconds),
    windowStart: new Date(Number(r.windowEpoch) * 1000),
  }));
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
