import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  integer,
  primaryKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  EMAIL_DIGESTS,
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_PRIORITIES,
} from "../lib/notifications/constants";

export { DELIVERY_CHANNELS, DELIVERY_STATUSES, EMAIL_DIGESTS, NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES };

export const notificationCategory = pgEnum("notification_category", NOTIFICATION_CATEGORIES);
export const notificationPriority = pgEnum("notification_priority", NOTIFICATION_PRIORITIES);

/**
 * A product that uses Herald for its own users (subscribers). Browsers of those origins may call
 * the person routes with the app's subscriber tokens; its signing keys sign those tokens.
 */
export const apps = pgTable("apps", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  // Exact `scheme://host[:port]` values; a browser request with a subscriber token must come from one.
  allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type App = typeof apps.$inferSelect;
export type NewApp = typeof apps.$inferInsert;

/**
 * HS256 keys an app's server signs subscriber tokens with. Verifying needs the secret itself, so it
 * is stored encrypted (AES-256-GCM under a key derived from AUTH_SECRET), never in the clear.
 */
export const appSigningKeys = pgTable(
  "app_signing_keys",
  {
    kid: text("kid").primaryKey(),
    appId: uuid("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    secretCiphertext: text("secret_ciphertext").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("app_signing_keys_app_idx").on(t.appId)],
);
export type AppSigningKey = typeof appSigningKeys.$inferSelect;

/**
 * People: Herald's own accounts (`app_id` null: they sign in with a password) and subscribers, the
 * users of an app under that app's own ids (`external_id`, unique per app; no password, no sign-in).
 * An account's email is unique among accounts; a subscriber's is whatever its app vouches for.
 */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email"),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    appId: uuid("app_id").references(() => apps.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    avatarUrl: text("avatar_url"),
    locale: text("locale"),
    timeZone: text("time_zone"),
    data: jsonb("data"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Null until the person follows the link mailed at sign-up: the admin role, email and digests
    // apply only to a verified address (lib/auth/verification.ts).
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`).where(sql`${t.appId} is null`),
    uniqueIndex("users_app_external_key").on(t.appId, t.externalId).where(sql`${t.appId} is not null`),
    check(
      "users_kind_check",
      sql`(${t.appId} is null and ${t.externalId} is null and ${t.email} is not null and ${t.passwordHash} is not null) or (${t.appId} is not null and ${t.externalId} is not null and ${t.passwordHash} is null)`,
    ),
  ],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

// One narrow row per user, kept by the notification triggers (db/migrations/0010): the last change
// number handed out (each change takes the next one under this row's lock, so a user's numbers
// commit in order and without holes) and how many notifications are unread and unarchived (expired
// ones included; readers subtract those). Nothing else touches it, so numbering never contends
// with other updates of users. Counts are of inbox items: a group with unread members counts once,
// and `unseen` counts the unread items not yet shown (the badge).
export const notificationCounters = pgTable("notification_counters", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  seq: bigint("seq", { mode: "number" }).notNull().default(0),
  unread: integer("unread").notNull().default(0),
  unseen: integer("unseen").notNull().default(0),
});

// Per group of a user: how many members are unread (and unseen), kept by the same triggers under
// the user's counter lock, so a group's 0 -> 1 and 1 -> 0 moves the user's counts exactly.
export const notificationGroups = pgTable(
  "notification_groups",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groupKey: text("group_key").notNull(),
    unread: integer("unread").notNull().default(0),
    unseen: integer("unseen").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupKey] })],
);

// Each running instance's live-delivery connection: how it hears changes (`replication` over the
// herald_realtime publications, or `notify` over LISTEN) and its last heartbeat. The triggers
// NOTIFY only while some `notify` row is fresh, so with every instance on replication no commit
// takes NOTIFY's database-wide lock. A program of your own that LISTENs keeps a `notify` row fresh.
export const realtimeListeners = pgTable("herald_listeners", {
  instance: text("instance").primaryKey(),
  mode: text("mode", { enum: ["notify", "replication"] }).notNull(),
  token: text("token"),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});

// Each running instance as the admin dashboard shows it: its health as of its last sample, and
// when it stopped (a SIGTERM) or went silent (a crash leaves seen_at behind).
export const instances = pgTable("herald_instances", {
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  health: jsonb("health").$type<Record<string, unknown>>().notNull(),
});

// What one instance did during one sample interval (HERALD_SAMPLE_INTERVAL_S), kept 24 hours:
// the dashboard's time series across instances. Latency is the interval's histogram (counts per
// bucket of herald_live_delivery_latency_seconds, cumulative, +Inf last), so instances add up.
export const instanceSamples = pgTable(
  "herald_instance_samples",
  {
    instanceId: text("instance_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    streams: integer("streams").notNull(),
    delivered: integer("delivered").notNull(),
    latencyBuckets: integer("latency_buckets").array().notNull(),
    requests: integer("requests").notNull(),
    serverErrors: integer("server_errors").notNull(),
    channelFailures: integer("channel_failures").notNull(),
    queueDepth: integer("queue_depth"),
    rssBytes: bigint("rss_bytes", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.at] }), index("herald_instance_samples_at_idx").on(t.at)],
);

// A direct room between exactly two users; the pair is stored ordered so it is unique.
export const rooms = pgTable(
  "rooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userAId: uuid("user_a_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userBId: uuid("user_b_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("rooms_pair_key").on(t.userAId, t.userBId),
    index("rooms_user_b_idx").on(t.userBId),
    check("rooms_ordered_pair", sql`${t.userAId} < ${t.userBId}`),
  ],
);
export type Room = typeof rooms.$inferSelect;
export type NewRoom = typeof rooms.$inferInsert;

export const messages = pgTable(
  "messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("messages_room_idx").on(t.roomId, t.id)],
);
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** A full-text search document; written only by Postgres (a generated column). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The search document of a notification: title (weight A), actor's name (B), body (C), English
 * stemming. db/queries/search.ts matches it with herald_search_query (db/migrations/0013).
 */
const searchDocument = sql`setweight(to_tsvector('english'::regconfig, "title"), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("actor_name", '')), 'B') || setweight(to_tsvector('english'::regconfig, "body"), 'C')`;

export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Per-user sequence, set by the BEFORE INSERT trigger under the user's row lock, so a user's
    // notifications commit in seq order; the stream resumes on it without skipping late commits.
    seq: bigint("seq", { mode: "number" }).notNull().default(0),
    category: notificationCategory("category").notNull().default("general"),
    priority: notificationPriority("priority").notNull().default("normal"),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    actionUrl: text("action_url"),
    actionLabel: text("action_label"),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    // The service token that created it (API callers may read back only their own).
    sourceTokenId: uuid("source_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Members of one group (chat: one room) show as one item while any of them is unread.
    groupKey: text("group_key"),
    // Shown to the user (the bell or inbox was opened over it); the badge counts the unseen.
    seenAt: timestamp("seen_at", { withTimezone: true }),
    // Out of lists and counts until then; a job brings it back as new.
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    // Its action was opened (click-through).
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
    // Who wrote it: the app's service, the token API, or any other program (plain SQL, the default).
    source: text("source").$type<NotificationSource>().notNull().default("sql"),
    // The actor's name as of now (triggers copy it on insert and on a rename), for search.
    actorName: text("actor_name"),
    search: tsvector("search").generatedAlwaysAs(searchDocument),
  },
  (t) => [
    index("notifications_user_latest_idx").on(t.userId, t.id.desc()),
    uniqueIndex("notifications_user_seq_idx").on(t.userId, t.seq),
    index("notifications_user_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null and ${t.archivedAt} is null`),
    index("notifications_expires_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
    // Unread rows that expire: the few a count subtracts from notification_counters.unread.
    index("notifications_user_expiring_idx")
      .on(t.userId, t.expiresAt)
      .where(sql`${t.readAt} is null and ${t.archivedAt} is null and ${t.expiresAt} is not null`),
    // The retention sweep (read and archived, older than RETENTION_DAYS) without a full scan.
    // Rows by creation time (the dashboard's last hour and day): tiny, and nearly free to insert.
    index("notifications_created_brin_idx").using("brin", t.createdAt),
    index("notifications_retention_idx")
      .on(t.createdAt)
      .where(sql`${t.readAt} is not null and ${t.archivedAt} is not null`),
    // A group's members, newest first (the expander, group actions, the list's collapse).
    index("notifications_user_group_idx")
      .on(t.userId, t.groupKey, t.id.desc())
      .where(sql`${t.groupKey} is not null`),
    // The Snoozed view.
    index("notifications_user_snoozed_idx")
      .on(t.userId, t.snoozedUntil)
      .where(sql`${t.snoozedUntil} is not null`),
    // Search within one user's notifications (btree_gin puts user_id in the GIN index; without the
    // extension the migration builds it on the document alone).
    index("notifications_search_idx").using("gin", t.userId, t.search),
    // A rename rewrites the actor's name on their notifications; a deleted actor is set null.
    index("notifications_actor_idx").on(t.actorId).where(sql`${t.actorId} is not null`),
  ],
);
export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];
export const NOTIFICATION_SOURCES = ["app", "api", "sql"] as const;
export type NotificationSource = (typeof NOTIFICATION_SOURCES)[number];

/** Per-category delivery settings; a category absent from the map uses the defaults. */
export type CategoryPreference = {
  inApp: boolean;
  toast: boolean;
  browser: boolean;
  sound: boolean;
  email: boolean;
  push: boolean;
  muted: boolean;
};
export type EmailDigest = (typeof EMAIL_DIGESTS)[number];

export const userPreferences = pgTable("user_preferences", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  categories: jsonb("categories").$type<Partial<Record<NotificationCategory, Partial<CategoryPreference>>>>().notNull().default({}),
  soundEnabled: boolean("sound_enabled").notNull().default(true),
  browserEnabled: boolean("browser_enabled").notNull().default(false),
  quietHoursEnabled: boolean("quiet_hours_enabled").notNull().default(false),
  // Minutes after local midnight; the window may wrap past midnight (22:00-07:00).
  quietStartMinute: integer("quiet_start_minute").notNull().default(22 * 60),
  quietEndMinute: integer("quiet_end_minute").notNull().default(7 * 60),
  timeZone: text("time_zone").notNull().default("UTC"),
  // instant: one email per notification after HERALD_EMAIL_DELAY_S; hourly/daily: one digest; off.
  emailDigest: text("email_digest", { enum: EMAIL_DIGESTS }).notNull().default("instant"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [check("user_preferences_email_digest_check", sql`${t.emailDigest} in ('instant', 'hourly', 'daily', 'off')`)]);
export type UserPreferences = typeof userPreferences.$inferSelect;
export type NewUserPreferences = typeof userPreferences.$inferInsert;

/** Service tokens for the HTTP API; only a SHA-256 hash of the secret is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    // The first characters of the secret, shown in lists so people can tell tokens apart.
    prefix: text("prefix").notNull(),
    // `self`: notifies only its owner. `users`: may notify any account (admins only), optionally only
    // in `categories` (null = every category). `app`: identifies and notifies that app's subscribers
    // only (admins only).
    scope: text("scope", { enum: ["self", "users", "app"] }).notNull().default("self"),
    appId: uuid("app_id").references(() => apps.id, { onDelete: "cascade" }),
    categories: notificationCategory("categories").array(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId, t.createdAt),
    check("api_tokens_scope_check", sql`${t.scope} in ('self', 'users', 'app')`),
    check("api_tokens_app_check", sql`(${t.scope} = 'app') = (${t.appId} is not null)`),
  ],
);
export type ApiToken = typeof apiTokens.$inferSelect;
export type NewApiToken = typeof apiTokens.$inferInsert;

/** First result of an Idempotency-Key, replayed for 24 h. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => apiTokens.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    response: jsonb("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
export type NewIdempotencyKey = typeof idempotencyKeys.$inferInsert;

/** Fixed-window counters shared by every app instance (rate limits live in Postgres, not memory). */
export const rateLimits = pgTable(
  "rate_limits",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("rate_limits_window_idx").on(t.windowStart)],
);
export type RateLimit = typeof rateLimits.$inferSelect;
export type NewRateLimit = typeof rateLimits.$inferInsert;

/**
 * Per-user log of updates and deletions, so a stream can replay them on resume. One row per user per
 * statement (a bulk read of 500 rows is one change), numbered from the same per-user sequence as
 * notifications.seq; written only by the statement-level triggers of the delivery migration.
 * Old rows are pruned (lib/realtime keeps the last few thousand per user).
 */
export const notificationChanges = pgTable(
  "notification_changes",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    op: text("op", { enum: ["update", "delete"] }).notNull(),
    ids: bigint("ids", { mode: "number" }).array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.seq] })],
);
export type NotificationChange = typeof notificationChanges.$inferSelect;

/**
 * One row per signed-in browser. The session JWT carries only this id (`sid`): a session is valid
 * while its row exists, is not revoked and has not expired, so sign-out, "sign out everywhere", a
 * password change or deleting the user ends it server-side. A trigger announces every revocation on
 * `herald_sessions` so each instance ends that session's open streams.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;

// An emailed verification link: only its SHA-256 is kept, it works once (the row is deleted) and
// until `expires_at`, and only for the address it was sent to.
export const emailVerifications = pgTable(
  "email_verifications",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("email_verifications_user_idx").on(t.userId)],
);


/**
 * One browser's Web Push subscription. An endpoint belongs to one browser profile, so it is unique.
 * `session_id` is the sign-in that registered it: revoking sessions (sign out everywhere, a password
 * change) removes their devices, so a browser signed out for good stops receiving pushes.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    name: text("name").notNull(),
    expirationTime: timestamp("expiration_time", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("push_subscriptions_endpoint_key").on(t.endpoint),
    index("push_subscriptions_user_idx").on(t.userId),
    index("push_subscriptions_session_idx").on(t.sessionId),
  ],
);
export type PushSubscription = typeof pushSubscriptions.$inferSelect;
export type NewPushSubscription = typeof pushSubscriptions.$inferInsert;

/**
 * What email and push do with one notification: one row per notification for email and one per
 * device for push, written by the notifications insert trigger (whoever inserted the row) and moved
 * through pending -> sent | skipped | failed | cancelled by the delivery jobs. `lease_until` is set
 * while a worker sends; a crashed worker's lease runs out and the retried job takes the row again.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    notificationId: bigint("notification_id", { mode: "number" })
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: DELIVERY_CHANNELS }).notNull(),
    // The device it was for. No foreign key: the id outlives the device, so two devices' records of
    // one notification stay distinct under notification_deliveries_once_key once both are removed
    // (ON DELETE SET NULL made them collide); a removed device no longer joins (claim sees none).
    subscriptionId: uuid("subscription_id"),
    // The device's name for push (kept when the subscription is gone); null for email.
    target: text("target"),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    dueAt: timestamp("due_at", { withTimezone: true }),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    // The email's Message-ID (shared by the notifications one digest carried).
    messageId: text("message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notification_deliveries_once_key").on(t.notificationId, t.channel, sql`coalesce(${t.subscriptionId}::text, '')`),
    index("notification_deliveries_pending_idx")
      .on(t.userId, t.channel, t.dueAt)
      .where(sql`${t.status} = 'pending'`),
    // Outcomes of the last 24 hours (the admin dashboard).
    index("notification_deliveries_created_idx").on(t.createdAt),
    check("notification_deliveries_channel_check", sql`${t.channel} in ('email', 'push')`),
    check("notification_deliveries_status_check", sql`${t.status} in ('pending', 'sent', 'skipped', 'failed', 'cancelled')`),
  ],
);
export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;

/** Every send attempt of a delivery, with its outcome (sent, retry, failed) and the error's text. */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => notificationDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome", { enum: ["sent", "retry", "failed"] }).notNull(),
    detail: text("detail"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;

/**
 * Browser tabs showing Herald right now (each visible tab renews its row every ~30 s and removes it
 * when hidden), shared by every instance: no push goes to someone who is looking at the app.
 */
export const tabPresence = pgTable(
  "tab_presence",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tabId: text("tab_id").notNull(),
    visibleUntil: timestamp("visible_until", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tabId] })],
);
export type DeliveryChannelValue = (typeof DELIVERY_CHANNELS)[number];
export type DeliveryStatusValue = (typeof DELIVERY_STATUSES)[number];

/**
 * Where an app wants to hear what happened (lib/webhooks). The signing secret is sealed like the
 * apps' signing keys; after a rotation the previous one keeps signing too until `previousSecretUntil`.
 * `failingSince` is the first failure since the last success: past five days the endpoint is disabled.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    appId: uuid("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    secretCiphertext: text("secret_ciphertext").notNull(),
    previousSecretCiphertext: text("previous_secret_ciphertext"),
    previousSecretUntil: timestamp("previous_secret_until", { withTimezone: true }),
    failingSince: timestamp("failing_since", { withTimezone: true }),
    // Set when Herald turned it off after failing too long (null when an admin disabled it).
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_app_idx").on(t.appId)],
);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

/**
 * The outbox: one row per event of an app, written by the triggers in the transaction of the
 * change itself (db/migrations/0020), only while some enabled endpoint of the app wants its type.
 * `subscriberId` has no foreign key: a `subscriber.deleted` event outlives its subscriber.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    appId: uuid("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id"),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_events_created_idx").on(t.createdAt)],
);
export type WebhookEvent = typeof webhookEvents.$inferSelect;

/** One event for one endpoint: pending until sent or out of retries; leased while a worker sends it. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id"),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.endpointId, t.eventId] }),
    index("webhook_deliveries_pending_idx")
      .on(t.endpointId, t.subscriberId, t.eventId)
      .where(sql`${t.status} = 'pending'`),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending', 'sent', 'failed')`),
  ],
);

/** Every send: what the receiver answered (status, at most 1 KB of body) or the error, and when the next try is. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    responseBody: text("response_body"),
    durationMs: integer("duration_ms").notNull(),
    nextRetryAt: timestamp("next_retry_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_attempts_endpoint_idx").on(t.endpointId, t.id.desc())],
);
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
