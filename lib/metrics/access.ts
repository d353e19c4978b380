import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { isAdmin } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError, unauthorized } from "@/lib/errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Who may read /api/metrics: a scraper with `Authorization: Bearer $HERALD_METRICS_TOKEN`, or a
 * signed-in admin. A bearer header decides alone (a wrong one is 401 even with an admin's cookie);
 * the comparison takes the same time wherever the strings differ (digests of equal length).
 */
export async function assertMayReadMetrics(request: Request) {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const expected = env().HERALD_METRICS_TOKEN;
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    if (expected && timingSafeEqual(digest(given), digest(expected))) return;
    throw new AppError("invalid_token", "The metrics token is missing, malformed or wrong", { headers: { "WWW-Authenticate": 'Bearer realm="herald", error="invalid_token"' } });
  }
  const user = await getSessionUser();
  if (!user) throw unauthorized();
  if (!isAdmin(user)) throw new AppError("forbidden", "Only admins (or a scraper with HERALD_METRICS_TOKEN) may read the metrics");
}
