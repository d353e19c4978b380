import { z } from "zod";
import { CLEANUP_SETTINGS } from "@/lib/cleanup/cleanup.mjs";
import { LOG_LEVELS } from "@/lib/logging/logger.mjs";
import { DEFAULT_PUSH_SERVICES, PUSH_SERVICE_PATTERN } from "@/lib/push/endpoint-policy";

/**
 * Every setting Herald reads, in one schema: the README's configuration tables list exactly these
 * (tests/unit/env.test.ts checks it). Code reads `env()`, never `process.env`. Validated once, on
 * first use, failing with one message that names every bad variable. Read lazily so `next build`
 * needs no database.
 */

/** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about a day and a half of retries. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_S = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

type Bounds = { min?: number; max?: number };
const boundsMessage = (name: string, { min = 0, max }: Bounds) =>
  min === 1 && max === undefined
    ? `${name} must be a positive integer`
    : max === undefined
      ? `${name} must be a whole number of at least ${min}`
      : `${name} must be a whole number from ${min} to ${max}`;
/** Unset or empty: the default. Anything but digits within bounds ("10m", "2.5", "-1") is refused, never guessed. */
const int = (name: string, fallback: number, bounds: Bounds = {}) => {
  const message = boundsMessage(name, bounds);
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^\d{1,15}$/, message).transform(Number))
    .pipe(z.number().min(bounds.min ?? 0, message).max(bounds.max ?? Number.MAX_SAFE_INTEGER, message));
};
const positiveInt = (name: string, fallback: number, max?: number) => int(name, fallback, { min: 1, max });
const list = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean));
const flag = (name: string, fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", ""], { message: `${name} must be 1 or 0` })
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "1" || v === "true"));
const origins = list.pipe(z.array(z.url({ message: "HERALD_ALLOWED_ORIGINS must be comma-separated http(s) origins" })));
const cleanup = (name: keyof typeof CLEANUP_SETTINGS) => {
  const { fallback, min, max } = CLEANUP_SETTINGS[name];
  return int(name, fallback, { min, max });
};

const schema = z.object({
  // The database and the launcher (scripts/run.mjs reads these before the app starts).
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// URL (npm start sets it for the embedded database)" }),
  DATABASE_LISTEN_URL: z.url({ message: "DATABASE_LISTEN_URL must be a postgres:// URL" }).optional(),
  DATABASE_POOL_MAX: int("DATABASE_POOL_MAX", 10, { min: 1, max: 200 }),
  DATABASE_PREPARED_STATEMENTS: flag("DATABASE_PREPARED_STATEMENTS", true),
  PORT: int("PORT", 3000, { min: 1, max: 65_535 }),
  // The address the server listens on (server.mjs); unset: every interface, but 127.0.0.1 under the embedded default.
  HOST: z.string().optional(),
  HERALD_PG_PORT: int("HERALD_PG_PORT", 54_329, { min: 1, max: 65_535 }),
  SEED_DEMO_USERS: flag("SEED_DEMO_USERS", false),

  // Sign-in and roles.
  AUTH_SECRET: z.string({ message: "AUTH_SECRET is required (npm start generates one)" }).min(16, "AUTH_SECRET must be at least 16 characters"),
  AUTH_URL: z.url({ message: "AUTH_URL must be the app's public URL" }).optional(),
  // Comma-separated; these people are admins (lib/auth/roles.ts). Empty: nobody is.
  HERALD_ADMIN_EMAILS: list,
  HERALD_SIGNUP: z.enum(["open", "closed"], { message: "HERALD_SIGNUP must be open or closed" }).default("open"),
  HERALD_TRUSTED_PROXIES: int("HERALD_TRUSTED_PROXIES", 0, { max: 10 }),
  HERALD_ALLOWED_ORIGINS: origins,
  // A scraper sends it as `Authorization: Bearer …` to read /api/metrics; unset: admins only.
  HERALD_METRICS_TOKEN: z.string().min(16, "HERALD_METRICS_TOKEN must be at least 16 characters").optional(),
  // How often each instance writes its sample (streams, latency, errors) for the admin dashboard.
  HERALD_SAMPLE_INTERVAL_S: positiveInt("HERALD_SAMPLE_INTERVAL_S", 10, 300),

  // Live delivery.
  HERALD_STREAM_MAX_AGE_S: positiveInt("HERALD_STREAM_MAX_AGE_S", 600, 86_400),
  // A proxy that cuts idle connections sooner needs it lower; a client that stopped reading is dropped within two.
  HERALD_STREAM_HEARTBEAT_S: positiveInt("HERALD_STREAM_HEARTBEAT_S", 15, 300),
  HERALD_REALTIME: z
    .enum(["auto", "replication", "notify"], { message: "HERALD_REALTIME must be auto, replication or notify" })
    .default("auto"),
  HERALD_LISTENER_HEARTBEAT_MS: positiveInt("HERALD_LISTENER_HEARTBEAT_MS", 10_000, 600_000),
  // Changes of one transaction the change feed holds while receiving it; a bigger one is read from the tables.
  HERALD_FEED_MAX_TRANSACTION_CHANGES: int("HERALD_FEED_MAX_TRANSACTION_CHANGES", 50_000, { min: 100, max: 10_000_000 }),
  HERALD_SSE_FAST_PATH: flag("HERALD_SSE_FAST_PATH", true),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], { message: "LOG_FORMAT must be json or pretty" }).default("json"),
  // Streams one user may hold on one process; a new one beyond it closes that user's oldest.
  HERALD_MAX_STREAMS_PER_USER: positiveInt("HERALD_MAX_STREAMS_PER_USER", 20),
  // Bytes a resume may replay; beyond it the stream answers sync.reset ("too-large") and the client refetches.
  HERALD_MAX_REPLAY_BYTES: positiveInt("HERALD_MAX_REPLAY_BYTES", 8 * 1024 * 1024),

  // Rate limits (lib/rate-limit): a limit per window; 0 turns it off (a benchmark, a trusted deployment).
  RATE_LIMIT_MESSAGES_PER_MINUTE: int("RATE_LIMIT_MESSAGES_PER_MINUTE", 60),
  RATE_LIMIT_TEST_NOTIFICATIONS_PER_MINUTE: int("RATE_LIMIT_TEST_NOTIFICATIONS_PER_MINUTE", 30),
  RATE_LIMIT_API_PER_MINUTE: int("RATE_LIMIT_API_PER_MINUTE", 600),
  RATE_LIMIT_PER_RECIPIENT_PER_MINUTE: int("RATE_LIMIT_PER_RECIPIENT_PER_MINUTE", 120),
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: int("RATE_LIMIT_SIGNIN_PER_ACCOUNT", 10),
  RATE_LIMIT_SIGNIN_PER_IP: int("RATE_LIMIT_SIGNIN_PER_IP", 50),
  // Inbox changes (PATCH /api/notifications/{id}: read, archive, snooze) per user.
  RATE_LIMIT_NOTIFICATION_UPDATES_PER_MINUTE: int("RATE_LIMIT_NOTIFICATION_UPDATES_PER_MINUTE", 120),
  // Accounts created per client address, and verification emails per user (the sign-up's included), per hour.
  RATE_LIMIT_SIGNUP_PER_IP: int("RATE_LIMIT_SIGNUP_PER_IP", 20),
  RATE_LIMIT_VERIFICATION_EMAILS_PER_HOUR: int("RATE_LIMIT_VERIFICATION_EMAILS_PER_HOUR", 5),
  RATE_LIMIT_SEARCH_PER_MINUTE: int("RATE_LIMIT_SEARCH_PER_MINUTE", 60),
  // Per user per hour: new conversations started by email (each one could probe for an account).
  RATE_LIMIT_ROOMS_PER_HOUR: int("RATE_LIMIT_ROOMS_PER_HOUR", 20),
  // Per user per day (UTC): what the demo's test endpoint may store, counted and in bytes.
  RATE_LIMIT_TEST_NOTIFICATIONS_PER_DAY: int("RATE_LIMIT_TEST_NOTIFICATIONS_PER_DAY", 1000),
  RATE_LIMIT_TEST_BYTES_PER_DAY: int("RATE_LIMIT_TEST_BYTES_PER_DAY", 5 * 1024 * 1024),
  // The cleanup job removes windows that started over an hour ago.
  RATE_LIMIT_SIGNIN_WINDOW_SECONDS: int("RATE_LIMIT_SIGNIN_WINDOW_SECONDS", 900, { min: 1, max: 3600 }),

  // Email and push (lib/delivery). No SMTP_URL: email is off (npm start runs a local mail catcher and sets it).
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: "SMTP_URL must be smtp://user:pass@host:port or smtps://… for TLS" })
    .optional(),
  EMAIL_FROM: z.string().min(3).default("Herald <herald@localhost>"),
  // Links in emails start with it; unset: http://localhost:$PORT.
  HERALD_PUBLIC_URL: z.url({ protocol: /^https?$/, message: "HERALD_PUBLIC_URL must be the app's public http(s) URL" }).optional(),
  HERALD_EMAIL_DELAY_S: int("HERALD_EMAIL_DELAY_S", 300, { max: 86_400 }),
  // The local hour (in each user's time zone) daily digests go out.
  HERALD_DIGEST_HOUR: int("HERALD_DIGEST_HOUR", 8, { max: 23 }),
  HERALD_MAIL_CATCHER_PORT: int("HERALD_MAIL_CATCHER_PORT", 1025, { min: 1, max: 65_535 }),
  // Set by npm start when it runs the mail catcher: where caught messages are kept for /dev/mail.
  HERALD_DEV_MAIL_DIR: z.string().optional(),
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, "VAPID_PUBLIC_KEY must be a base64url P-256 public key (npx web-push generate-vapid-keys)").optional(),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, "VAPID_PRIVATE_KEY must be a base64url P-256 private key").optional(),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, "VAPID_SUBJECT must be a mailto: or https: URL").default("mailto:herald@localhost"),
  // Push endpoints must be https on one of these hosts (`*.` matches any subdomain).
  HERALD_PUSH_SERVICES: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : DEFAULT_PUSH_SERVICES))
    .pipe(z.array(z.string().regex(PUSH_SERVICE_PATTERN, "HERALD_PUSH_SERVICES must be comma-separated host names, each optionally starting with *.")).min(1)),
  // Tests only: push endpoints on this machine (http or https on loopback). Production never needs it.
  HERALD_PUSH_ALLOW_LOCAL: flag("HERALD_PUSH_ALLOW_LOCAL", false),
  // A failed send is retried this often, with exponential backoff from the delay, then recorded as failed.
  HERALD_DELIVERY_RETRIES: int("HERALD_DELIVERY_RETRIES", 5, { max: 20 }),
  HERALD_DELIVERY_RETRY_DELAY_S: positiveInt("HERALD_DELIVERY_RETRY_DELAY_S", 30, 3600),
  // How long one send may take before it counts as lost (a crashed worker) and is tried again.
  HERALD_DELIVERY_TIMEOUT_S: positiveInt("HERALD_DELIVERY_TIMEOUT_S", 60, 3600),

  // Webhooks (lib/webhooks). Tests and local development only: endpoints on loopback and private
  // addresses, over http too. Production never sets it (the address checks are what keep an
  // admin's URL from reaching the metadata service or the private network).
  HERALD_WEBHOOK_ALLOW_PRIVATE: flag("HERALD_WEBHOOK_ALLOW_PRIVATE", false),
  // Tests only: seconds between a failed send and the next try; one failure more than it lists and the event is failed.
  HERALD_WEBHOOK_RETRY_SCHEDULE_S: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v : DEFAULT_WEBHOOK_RETRY_SCHEDULE_S.join(",")).split(",").map((s) => s.trim()))
    .pipe(z.array(z.string().regex(/^\d{1,6}$/, "HERALD_WEBHOOK_RETRY_SCHEDULE_S must be comma-separated whole seconds").transform(Number)).min(1).max(20)),
  // Tests only: how long one send may take (the receiver's answer included) before it counts as failed.
  HERALD_WEBHOOK_TIMEOUT_S: positiveInt("HERALD_WEBHOOK_TIMEOUT_S", 15, 60),

  // Cleanup (lib/cleanup/cleanup.mjs, which `npm run cleanup` also runs on its own).
  RETENTION_DAYS: cleanup("RETENTION_DAYS"),
  CLEANUP_BATCH_SIZE: cleanup("CLEANUP_BATCH_SIZE"),
  CLEANUP_INTERVAL_SECONDS: cleanup("CLEANUP_INTERVAL_SECONDS"),
});

const refined = schema.superRefine((e, ctx) => {
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    ctx.addIssue({ code: "custom", path: [e.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY"], message: "set both VAPID keys, or neither" });
  }
});

export type Env = z.infer<typeof schema>;
/** The names of every variable, for the README check. */
export const ENV_NAMES = Object.keys(schema.shape) as (keyof Env)[];

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = refined.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}
