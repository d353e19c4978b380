import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { CredentialsSignin } from "next-auth";
import { db } from "@/db";
import { hitRateLimits, refundRateLimits } from "@/db/queries/rate-limits";
import { metrics } from "@/lib/metrics";
import { bucketOf, rules } from "@/lib/rate-limit";

/** Refused because of too many failed attempts; the same for every email, existing or not. */
export class SignInThrottled extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(throttledMessage(retryAfterSeconds));
  }
}

export function throttledMessage(retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Lets the sign-in route answer 429 with Retry-After: Auth.js turns any sign-in error into a
 * redirect carrying only a code, so the throttle leaves its answer in the request's scope.
 */
export const signInScope = new AsyncLocalStorage<{ retryAfterSeconds?: number }>();

export type SignInAttempt = { succeeded(): Promise<void> };

/**
 * Counts the attempt as a failure before the password is checked (so parallel guesses cannot slip
 * past the limit), and takes it back if it succeeds. Throws SignInThrottled when the account or the
 * client's address has used up its failures in this window: even the right password is refused.
 */
export async function beginSignInAttempt(email: string, ip: string | null): Promise<SignInAttempt> {
  const account = rules.signInPerAccount();
  const perIp = rules.signInPerIp();
  const limits = new Map<string, number>();
  if (account.limit > 0) limits.set(bucketOf(account, email), account.limit);
  if (perIp.limit > 0 && ip) limits.set(bucketOf(perIp, ip), perIp.limit);
  if (limits.size === 0) return { succeeded: async () => {} };
  // Sorted, so concurrent attempts lock the rows in one order.
  const hits = await hitRateLimits(db, [...limits.keys()].sort(), account.windowSeconds);
  const over = hits.filter((h) => h.count > limits.get(h.bucket)!);
  if (over.length) {
    // One refused attempt, counted under the rule that refused it (the account's when both did).
    metrics().rateLimited.inc({ rule: over.some((h) => h.bucket.startsWith(bucketOf(account, ""))) ? account.name : perIp.name });
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...over.map((h) => h.resetSeconds))));
    const scope = signInScope.getStore();
    if (scope) scope.retryAfterSeconds = retryAfterSeconds;
    throw new SignInThrottled(retryAfterSeconds);
  }
  return { succeeded: () => refundRateLimits(db, hits) };
}

export function signUpThrottledMessage(retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many accounts created from your network; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Counts one sign-up against the client's address (RATE_LIMIT_SIGNUP_PER_IP an hour) before the
 * password is hashed, so a flood costs neither CPU nor rows. Returns the seconds to wait when the
 * address is over the limit, else null. An unknown address (not served by server.mjs) is not counted.
 */
export async function hitSignUpThrottle(ip: string | null): Promise<number | null> {
  const rule = rules.signUpPerIp();
  if (rule.limit === 0 || !ip) return null;
  const [hit] = await hitRateLimits(db, [bucketOf(rule, ip)], rule.windowSeconds);
  if (hit.count <= rule.limit) return null;
  metrics().rateLimited.inc({ rule: rule.name });
  return Math.max(1, Math.ceil(hit.resetSeconds));
}
