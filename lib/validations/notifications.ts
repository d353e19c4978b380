import { z } from "zod";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/db/schema";
import { ACTION_URL_MAX, ACTION_URL_RULE, actionTarget, encodedActionUrlBytes } from "@/lib/notifications/action-url";
import { requiredText, text, trimmedText } from "./text";

export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;

/**
 * Every writer's rule for action URLs (the demo endpoint, the service API): the same function the
 * browser checks before following one, so what is stored is what can be opened. The OpenAPI document
 * publishes ACTION_URL_PATTERN (a path on this site, or an http(s) URL without user info, white space,
 * control characters or backslashes); the function also refuses what only decoding reveals
 * (`/%2F%2Fevil.com`), which a pattern cannot say.
 */
export const ACTION_URL_PATTERN =
  /^(?:\/(?![/\\])[^\s\\\x00-\x1f\x7f]*|[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s\\\x00-\x1f\x7f/?#@]+(?:[/?#][^\s\\\x00-\x1f\x7f]*)?)$/;
export const actionUrlSchema = z
  .string()
  .max(ACTION_URL_MAX)
  .regex(ACTION_URL_PATTERN, ACTION_URL_RULE)
  .refine((v) => encodedActionUrlBytes(v) <= ACTION_URL_MAX, { message: `must be at most ${ACTION_URL_MAX} bytes once percent-encoded`, abort: true })
  .refine((v) => actionTarget(v) !== null, ACTION_URL_RULE)
  .meta({ description: "A path on this site (`/chat/42`) or an http(s) URL; no spaces, control characters, backslashes or user info, also once percent-decoded" });
export const actionLabelSchema = requiredText(40).meta({ description: "The action button's text; needs actionUrl" });

/** What the document says about an `expiresAt` (JSON Schema has no "in the future"). */
export const FUTURE_DATE_TIME = "An ISO 8601 date-time with a time zone offset, which must be in the future";

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
    title: requiredText(TITLE_MAX),
    body: text().max(BODY_MAX).default(""),
    category: categorySchema.default("general"),
    priority: prioritySchema.default("normal"),
    actionUrl: actionUrlSchema.optional(),
    actionLabel: actionLabelSchema.optional(),
    /** Someone else's email; yourself when absent. */
    recipientEmail: z
      .email("must be an email address")
      .max(320)
      .transform((e) => e.toLowerCase())
      .optional()
      .meta({ description: "Another user's email (404 if nobody has it); yourself when absent" }),
    expiresInSeconds: z.int().min(5, "must be at least 5").max(EXPIRY_MAX_SECONDS).optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((v) => new Date(v).getTime() > Date.now(), "must be in the future")
      .optional()
      .meta({ description: FUTURE_DATE_TIME }),
    count: z.int().min(1).max(DEMO_BURST_MAX, `must be at most ${DEMO_BURST_MAX}`).default(1),
  })
  .refine((v) => !(v.expiresAt && v.expiresInSeconds), { message: "give expiresAt or expiresInSeconds, not both", path: ["expiresAt"] })
  .refine((v) => !(v.actionLabel && !v.actionUrl), { message: "needs an actionUrl", path: ["actionLabel"] })
  // The two refinements above, in JSON Schema.
  .meta({ dependentRequired: { actionLabel: ["actionUrl"] }, not: { required: ["expiresAt", "expiresInSeconds"] } });
export type TestNotificationInput = z.infer<typeof testNotificationSchema>;

/**
 * Notification ids are bigints in Postgres and strings on the wire (a JSON number is accepted too).
 * Up to 15 digits, so every accepted id is a safe JavaScript integer and the pattern says it all.
 */
export const ID_PATTERN = /^[1-9][0-9]{0,14}$/;
export const ID_MAX = 999_999_999_999_999;
const idMessage = "must be a positive integer id";
export const notificationIdSchema = z
  .union([z.string().regex(ID_PATTERN, idMessage), z.int(idMessage).min(1, idMessage).max(ID_MAX, "is out of range")], { error: idMessage })
  .transform(Number);

/** List pages are keyset pages on the id: a cursor is the id to continue from (as nextCursor gives it). */
const cursorSchema = z.string().regex(ID_PATTERN, "must be a cursor from nextCursor or prevCursor").transform(Number);

export const listNotificationsSchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(["unread", "read", "all", "archived", "snoozed"]).default("all"),
    groupKey: trimmedText(200).optional().meta({ description: "List this group's members one by one (the expander), newest first" }),
    category: categorySchema.optional(),
    priority: prioritySchema.optional(),
    q: trimmedText(200)
      .optional()
      .meta({
        description:
          "Full-text search over title, actor's name and body, archived included unless `status` narrows it: web search syntax (\"a phrase\", or, -word), the last word a prefix while typing. Results are ranked, carry `highlight`, and `nextCursor` continues the ranking",
      }),
    before: cursorSchema.optional().meta({ description: "Older than this cursor (`nextCursor`)" }),
    cursor: cursorSchema.optional().meta({ description: "The same as `before`, kept for the first API version" }),
    after: cursorSchema.optional().meta({ description: "Newer than this cursor, read oldest first (with `before` too: between the two); ignored with `q` (ranked pages go on with `before`)" }),
  });
export type ListNotificationsInput = z.infer<typeof listNotificationsSchema>;

export const SNOOZE_MAX_DAYS = 365;
export const snoozedUntilSchema = z.iso
  .datetime({ offset: true })
  .refine((v) => new Date(v).getTime() > Date.now(), "must be in the future")
  .refine((v) => new Date(v).getTime() <= Date.now() + SNOOZE_MAX_DAYS * 86_400_000, `must be within ${SNOOZE_MAX_DAYS} days`)
  .nullable()
  .meta({ description: `${FUTURE_DATE_TIME}, within ${SNOOZE_MAX_DAYS} days; null wakes it now` });

export const updateNotificationSchema = z
  .strictObject({ read: z.boolean().optional(), archived: z.boolean().optional(), snoozedUntil: snoozedUntilSchema.optional() })
  .refine((v) => v.read !== undefined || v.archived !== undefined || v.snoozedUntil !== undefined, { message: "give read, archived and/or snoozedUntil" })
  .meta({ minProperties: 1 });
export type UpdateNotificationInput = z.infer<typeof updateNotificationSchema>;

const groupKeySchema = requiredText(200);

export const readAllSchema = z.strictObject({
  upTo: notificationIdSchema.optional(),
  groupKey: groupKeySchema.optional().meta({ description: "Only this group's members" }),
});

/** POST /api/notifications/seen: what the bell or inbox showed, up to the newest id it showed. */
export const seenSchema = z.strictObject({ upTo: notificationIdSchema.optional() });

export const BATCH_MAX = 500;
export const batchActionSchema = z.enum(["read", "unread", "archive", "unarchive", "delete"]);
export type BatchAction = z.infer<typeof batchActionSchema>;
export const batchSchema = z
  .strictObject({
    ids: z
      .array(notificationIdSchema)
      .min(1, "give at least one id")
      .max(BATCH_MAX, `at most ${BATCH_MAX} ids`)
      .optional()
      .meta({ description: "These items (a grouped id: its group's members in the same state)" }),
    groupKeys: z
      .array(groupKeySchema)
      .min(1, "give at least one group key")
      .max(100, "at most 100 group keys")
      .optional()
      .meta({ description: "Every member of these groups (read: the unread ones; archive: the unarchived ones; ...)" }),
    action: batchActionSchema,
  })
  .refine((v) => v.ids !== undefined || v.groupKeys !== undefined, { message: "give ids and/or groupKeys", path: ["ids"] })
  // The refinement above, in JSON Schema: action and at least one of the two lists.
  .meta({ minProperties: 2 });

// Response shapes. The DTO types are inferred from these, so the OpenAPI document cannot drift
// from what the handlers return.
const isoDate = z.iso.datetime({ offset: true });

const highlightSegmentSchema = z
  .object({ text: z.string(), match: z.boolean() })
  .meta({ id: "HighlightSegment", description: "A run of text; `match` when it matched the search" });

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
    via: z
      .object({ tokenName: z.string() })
      .nullable()
      .meta({ description: "The service token that sent it (shown as “via <name>”); null when a person or the app did" }),
    subject: z.object({ type: z.string(), id: z.string() }).nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: isoDate,
    readAt: isoDate.nullable(),
    archivedAt: isoDate.nullable(),
    expiresAt: isoDate.nullable(),
    seenAt: isoDate.nullable().meta({ description: "When the bell or inbox showed it (the badge counts unread items not yet seen)" }),
    snoozedUntil: isoDate.nullable().meta({ description: "Snoozed: out of lists and counts until then, when it comes back as new" }),
    clickedAt: isoDate.nullable().meta({ description: "When its action was first opened (click-through, POST /api/notifications/{id}/click); later clicks keep this time" }),
    group: z
      .object({
        key: z.string(),
        count: z.int().min(1).meta({ description: "Members this item stands for (the group's rows in the same state)" }),
        actors: z.array(z.object({ id: z.uuid(), name: z.string() })).max(3).meta({ description: "Up to three, most recent first" }),
        latestAt: isoDate,
      })
      .nullable()
      .meta({ description: "Set when the notification has a groupKey: the item stands for its group's members in the same state (its unread ones are ONE item)" }),
    highlight: z
      .object({
        title: z.array(highlightSegmentSchema).meta({ description: "The whole title" }),
        body: z.array(highlightSegmentSchema).meta({ description: "The body when short (up to 280 characters), else up to two excerpts around its matches (joined by “ … ”)" }),
      })
      .optional()
      .meta({ description: "Only in search results (`q`): the text in runs, the matched ones flagged; render them as text" }),
  })
  .meta({ id: "Notification" });

export const deliverySchema = z
  .object({
    channel: z.enum(DELIVERY_CHANNELS),
    status: z.enum(DELIVERY_STATUSES),
    at: isoDate.meta({ description: "When the status last changed" }),
    reason: z.string().optional().meta({ description: "Why it was skipped, cancelled, failed, or is waiting / retrying" }),
    device: z.string().optional().meta({ description: "Push: the device's name" }),
    attempts: z.int().min(0).meta({ description: "Send attempts so far (each is recorded)" }),
  })
  .meta({ id: "Delivery" });

/** GET /api/notifications/{id}: the notification and what email and push did with it. */
export const notificationDetailSchema = notificationSchema
  .extend({ deliveries: z.array(deliverySchema) })
  .meta({ id: "NotificationDetail" });

/** POST /api/notifications/test: the notification itself, or `{count, items}` when `count` > 1 (a burst). */
export const testNotificationResultSchema = z
  .xor([
    notificationSchema,
    z.object({ count: z.int().min(2).max(DEMO_BURST_MAX), items: z.array(notificationSchema).min(2).max(DEMO_BURST_MAX) }),
  ])
  .meta({ id: "TestNotificationResult", description: "One Notification when `count` is 1, else `{count, items}` (items in the order created)" });

export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as `before` for the next (older) page; null on the last one (and with `after`)" }),
    prevCursor: z.string().nullable().optional().meta({ description: "With `after`: pass as `after` for newer items" }),
    unreadCount: z.int().min(0).meta({ description: "Unread items (a group with unread members counts once)" }),
    unseenCount: z.int().min(0).meta({ description: "Unread items not yet seen: the badge" }),
  })
  .meta({ id: "NotificationPage" });

export const unreadCountSchema = z
  .object({ unreadCount: z.int().min(0), unseenCount: z.int().min(0) })
  .meta({ id: "UnreadCount" });

export const bulkResultSchema = z
  .object({
    updated: z.int().min(0).meta({ description: "Rows whose state actually changed" }),
    ids: z.array(z.string()).meta({ description: "Their ids (what an Undo restores)" }),
    unreadCount: z.int().min(0),
    unseenCount: z.int().min(0),
  })
  .meta({ id: "BulkResult" });
