import "server-only";
import { db, type DatabaseOrTransaction } from "@/db";
import { hitRateLimit, hitRateLimits } from "@/db/queries/rate-limits";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/metrics";

export type RateLimitRule = { name: string; limit: number; windowSeconds: number };

/**
 * The name prefix of rules with a window over an hour: the cleanup job keeps their windows for a
 * day (lib/cleanup/cleanup.mjs matches the same prefix), the others for an hour.
 */
const DAILY = "daily-";

/** The limits, per minute unless said, from the environment (lib/env.ts; 0 turns one off, e.g. for a benchmark). */
export const rules = {
  messages: (): RateLimitRule => ({ name: "messages", limit: env().RATE_LIMIT_MESSAGES_PER_MINUTE, windowSeconds: 60 }),
  testNotifications: (): RateLimitRule => ({
    name: "test-notifications",
    limit: env().RATE_LIMIT_TEST_NOTIFICATIONS_PER_MINUTE,
    windowSeconds: 60,
  }),
  /** Service-API requests per token owner, across all their tokens. */
  serviceApi: (): RateLimitRule => ({ name: "api", limit: env().RATE_LIMIT_API_PER_MINUTE, windowSeconds: 60 }),
  /** Service-API notifications to one recipient from one owner: nobody can flood one person. */
  perRecipient: (): RateLimitRule => ({
    name: "recipient",
    limit: env().RATE_LIMIT_PER_RECIPIENT_PER_MINUTE,
    windowSeconds: 60,
  }),
  /** Failed sign-ins per account (normalised email, whether or not it exists) and per client IP. */
  signInPerAccount: (): RateLimitRule => ({
    name: "signin-account",
    limit: env().RATE_LIMIT_SIGNIN_PER_ACCOUNT,
    windowSeconds: env().RATE_LIMIT_SIGNIN_WINDOW_SECONDS,
  }),
  signInPerIp: (): RateLimitRule => ({ name: "signin-ip", limit: env().RATE_LIMIT_SIGNIN_PER_IP, windowSeconds: env().RATE_LIMIT_SIGNIN_WINDOW_SECONDS }),
  notificationUpdates: (): RateLimitRule => ({ name: "notification-updates", limit: env().RATE_LIMIT_NOTIFICATION_UPDATES_PER_MINUTE, windowSeconds: 60 }),
  /** Accounts created per client address (every sign-up that reaches the database counts). */
  signUpPerIp: (): RateLimitRule => ({ name: "signup-ip", limit: env().RATE_LIMIT_SIGNUP_PER_IP, windowSeconds: 3600 }),
  verificationEmails: (): RateLimitRule => ({ name: "verification-emails", limit: env().RATE_LIMIT_VERIFICATION_EMAILS_PER_HOUR, windowSeconds: 3600 }),
  /** Full-text searches per user: each one reads many long bodies. */
  search: (): RateLimitRule => ({ name: "search", limit: env().RATE_LIMIT_SEARCH_PER_MINUTE, windowSeconds: 60 }),
  /** Conversations started by email per user (opening one you already have is free): bounds account probing. */
  roomsStarted: (): RateLimitRule => ({ name: "rooms", limit: env().RATE_LIMIT_ROOMS_PER_HOUR, windowSeconds: 3600 }),
  /** What the demo's test endpoint may store per user per day: notifications, and bytes of their text. */
  testNotificationsPerDay: (): RateLimitRule => ({
    name: `${DAILY}test-notifications`,
    limit: env().RATE_LIMIT_TEST_NOTIFICATIONS_PER_DAY,
    windowSeconds: 86_400,
  }),
  testBytesPerDay: (): RateLimitRule => ({ name: `${DAILY}test-bytes`, limit: env().RATE_LIMIT_TEST_BYTES_PER_DAY, windowSeconds: 86_400 }),
};

/** The bucket key of a rule for one subject (a user id, or `owner:recipient` for perRecipient). Tests fill it to reach the limit. */
export const bucketOf = (rule: RateLimitRule, subject: string) => `${rule.name}:${subject}`;

function rateLimited(rule: RateLimitRule, resetSeconds: number, message: string, details: object = {}) {
  metrics().rateLimited.inc({ rule: rule.name });
  const retryAfter = Math.max(1, Math.ceil(resetSeconds));
  return new AppError("rate_limited", `${message}: at most ${rule.limit} per ${rule.windowSeconds} seconds. Try again in ${retryAfter} s`, {
    details: { limit: rule.limit, windowSeconds: rule.windowSeconds, retryAfterSeconds: retryAfter, ...details },
    headers: { "Retry-After": String(retryAfter), "RateLimit-Limit": String(rule.limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(retryAfter) },
  });
}

/**
 * Counts one request (or `cost` units: notifications, bytes) against the subject's window, or
 * throws 429 with Retry-After once the window is full. The counter lives in Postgres, so the limit
 * holds across every app instance. Given the transaction of the write it guards (`db`), a refusal
 * rolls its own hit back with the write: a refused request uses nothing up.
 */
export async function enforceRateLimit(
  rule: RateLimitRule,
  subject: string,
  { db: tx = db, cost = 1, message = "Too many requests" }: { db?: DatabaseOrTransaction; cost?: number; message?: string } = {},
) {
  if (rule.limit === 0) return;
  const { count, resetSeconds } = await hitRateLimit(tx, bucketOf(rule, subject), rule.windowSeconds, cost);
  if (count <= rule.limit) return;
  throw rateLimited(rule, resetSeconds, message);
}

/**
 * One hit for each subject within `scope` (e.g. each recipient of one owner's request) in one
 * statement, or 429 listing the subjects over the limit in `details.over`. Run it in the
 * transaction of the write it guards: a refusal rolls the write and these hits back together, so
 * a refused request creates nothing and uses up nothing.
 */
export async function enforceRateLimits(tx: DatabaseOrTransaction, rule: RateLimitRule, scope: string, subjects: string[]) {
  if (rule.limit === 0 || subjects.length === 0) return;
  const prefix = bucketOf(rule, `${scope}:`);
  const hits = await hitRateLimits(tx, subjects.map((s) => prefix + s), rule.windowSeconds);
  const over = hits.filter((h) => h.count > rule.limit);
  if (over.length === 0) return;
  const what = over.length === 1 ? "one recipient" : `${over.length} recipients`;
  throw rateLimited(rule, Math.max(...over.map((h) => h.resetSeconds)), `Too many notifications to ${what}`, {
    over: over.map((h) => h.bucket.slice(prefix.length)),
  });
}
