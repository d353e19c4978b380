import { z } from "zod";
import { text } from "./text";
import { NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/db/schema";

export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;

/** Same-origin paths ("/chat/…") or absolute http(s) URLs; never javascript:, data: or protocol-relative. */
export const actionUrlSchema = text()
  .trim()
  .max(2048)
  .refine(
    (v) => (v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\")) || /^https?:\/\/[^\s]+$/i.test(v),
    "must be a path starting with / or an http(s) URL",
  );

export const categorySchema = z.enum(NOTIFICATION_CATEGORIES);
export const prioritySchema = z.enum(NOTIFICATION_PRIORITIES);

export const DEMO_BURST_MAX = 100;
export const EXPIRY_MAX_SECONDS = 30 * 24 * 3600;

/**
 * The demo endpoint: every field of a notification, to yourself or (by email) to another user,
 * optionally expiring, and up to 100 at once (a burst, written in one transaction).
 */
export const testNotificationSchema = z
  .strictObject({
    title: text().trim().min(1, "is required").max(TITLE_MAX),
    body: text().max(BODY_MAX).default(""),
    category: categorySchema.default("general"),
    priority: prioritySchema.default("normal"),
    actionUrl: actionUrlSchema.optional(),
    actionLabel: text().trim().min(1).max(40).optional(),
    /** Someone else's email; yourself when absent. */
    recipientEmail: z.email("must be an email address").max(320).transform((e) => e.toLowerCase()).optional(),
    expiresInSeconds: z.int().min(5, "must be at least 5").max(EXPIRY_MAX_SECONDS).optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((v) => new Date(v).getTime() > Date.now(), "must be in the future")
      .optional(),
    count: z.int().min(1).max(DEMO_BURST_MAX, `must be at most ${DEMO_BURST_MAX}`).default(1),
  })
  .refine((v) => !(v.expiresAt && v.expiresInSeconds), { message: "give expiresAt or expiresInSeconds, not both", path: ["expiresAt"] })
  .refine((v) => !(v.actionLabel && !v.actionUrl), { message: "needs an actionUrl", path: ["actionLabel"] });
export type TestNotificationInput = z.infer<typeof testNotificationSchema>;

/** Notification ids are bigints in Postgres and strings on the wire. */
export const notificationIdSchema = z.coerce
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, "must be a positive integer id")
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), "is out of range");

const cursorSchema = text().min(1).max(64);

export const listNotificationsSchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(["unread", "read", "all", "archived"]).default("all"),
    category: categorySchema.optional(),
    priority: prioritySchema.optional(),
    q: text().trim().max(200).optional(),
    /** Older than this cursor (`cursor` is the same, kept for the first API version). */
    before: cursorSchema.optional(),
    cursor: cursorSchema.optional(),
    /** Newer than this cursor. */
    after: cursorSchema.optional(),
  })
  .refine((v) => !(v.after && (v.before || v.cursor)), { message: "use either before or after, not both", path: ["after"] });
export type ListNotificationsInput = z.infer<typeof listNotificationsSchema>;

export const updateNotificationSchema = z
  .strictObject({ read: z.boolean().optional(), archived: z.boolean().optional() })
  .refine((v) => v.read !== undefined || v.archived !== undefined, { message: "give read and/or archived" });

export const readAllSchema = z.strictObject({ upTo: notificationIdSchema.optional() });

export const BATCH_MAX = 500;
export const batchSchema = z.strictObject({
  ids: z.array(notificationIdSchema).min(1, "give at least one id").max(BATCH_MAX, `at most ${BATCH_MAX} ids`),
  action: z.enum(["read", "unread", "archive", "unarchive", "delete"]),
});

// Response shapes. The DTO types are inferred from these, so the OpenAPI document cannot drift
// from what the handlers return.
const isoDate = z.iso.datetime({ offset: true });

export const notificationSchema = z
  .object({
    id: z.string().meta({ description: "A positive integer, as a string", example: "42" }),
    category: categorySchema,
    priority: prioritySchema,
    title: z.string(),
    body: z.string(),
    actionUrl: z.string().nullable(),
    actionLabel: z.string().nullable(),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    subject: z.object({ type: z.string(), id: z.string() }).nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: isoDate,
    readAt: isoDate.nullable(),
    archivedAt: isoDate.nullable(),
    expiresAt: isoDate.nullable(),
  })
  .meta({ id: "Notification" });

export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as `before` for the next (older) page" }),
    prevCursor: z.string().nullable().optional().meta({ description: "With `after`: pass as `after` for newer items" }),
    unreadCount: z.int().min(0),
  })
  .meta({ id: "NotificationPage" });

export const unreadCountSchema = z.object({ unreadCount: z.int().min(0) }).meta({ id: "UnreadCount" });

export const bulkResultSchema = z
  .object({ updated: z.int().min(0).meta({ description: "Rows whose state actually changed" }), unreadCount: z.int().min(0) })
  .meta({ id: "BulkResult" });
