import { z } from "zod";
import {
  BODY_MAX,
  FUTURE_DATE_TIME,
  TITLE_MAX,
  actionLabelSchema,
  actionUrlSchema,
  categorySchema,
  notificationSchema,
  prioritySchema,
} from "./notifications";
import { bulkSubscriberSchema, externalIdSchema } from "./subscribers";
import { jsonProblem, requiredText, text } from "./text";

export const RECIPIENTS_MAX = 1000;
export const METADATA_MAX_BYTES = 8 * 1024;
/** Levels of nesting inside metadata (the object itself is level 1). */
export const METADATA_MAX_DEPTH = 20;
/** POST /api/v1/notifications takes up to 1,000 recipients, so its body may be larger than elsewhere. */
export const SERVICE_BODY_MAX_BYTES = 256 * 1024;

const recipientSchema = z
  .union([z.uuid(), z.email()], { error: "must be a user id (UUID) or an email address" })
  .meta({ description: "A user id (UUID) or the user's email address" });

const recipientsSchema = z.union(
  [recipientSchema, z.array(recipientSchema).min(1, "give at least one recipient").max(RECIPIENTS_MAX, `at most ${RECIPIENTS_MAX} recipients`)],
  { error: `must be a user id or email, or a list of up to ${RECIPIENTS_MAX} of them` },
);

// Depth first, by a loop: JSON.stringify (the size check, the insert) recurses.
const metadataSchema = z
  .record(text().min(1).max(100), z.unknown())
  .superRefine((m, ctx) => {
    const problem = jsonProblem(m, METADATA_MAX_DEPTH);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.keys });
    else if (Buffer.byteLength(JSON.stringify(m), "utf8") > METADATA_MAX_BYTES) {
      ctx.addIssue({ code: "custom", message: `must be at most ${METADATA_MAX_BYTES / 1024} KB as JSON` });
    }
  })
  .meta({
    description: `Free-form JSON object kept with the notification (at most ${METADATA_MAX_BYTES / 1024} KB, nested at most ${METADATA_MAX_DEPTH} levels)`,
  });

/** Every field of the model a caller may set; the rest (id, seq, timestamps, state) is the server's. */
const notificationFields = {
  title: requiredText(TITLE_MAX),
  body: text().max(BODY_MAX, `must be at most ${BODY_MAX} characters`).default(""),
  category: categorySchema.default("general"),
  priority: prioritySchema.default("normal"),
  actionUrl: actionUrlSchema.optional(),
  actionLabel: actionLabelSchema.optional(),
  subject: z
    .strictObject({ type: requiredText(64), id: requiredText(256) })
    .optional()
    .meta({ description: "What it is about in the calling app, e.g. {type: 'invoice', id: 'INV-42'}" }),
  metadata: metadataSchema.optional(),
  groupKey: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Notifications of a recipient with the same key show as ONE item while unread (\"5 new comments on PR #12\"), counted once" }),
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone" })
    .refine((v) => Date.parse(v) > Date.now(), "must be in the future")
    .optional()
    .meta({ description: `${FUTURE_DATE_TIME}. After this instant it is hidden everywhere and later deleted` }),
};

const labelNeedsUrl = {
  check: (v: { actionLabel?: string; actionUrl?: string }) => v.actionLabel === undefined || v.actionUrl !== undefined,
  error: { message: "needs actionUrl", path: ["actionLabel"] },
};

export const createServiceNotificationSchema = z
  .strictObject({
    to: recipientsSchema.meta({ description: `One recipient or a list of up to ${RECIPIENTS_MAX}; duplicates are sent once` }),
    ...notificationFields,
    actorId: z.uuid("must be a user id").optional().meta({ description: "The user this notification is about (shown as its actor)" }),
  })
  .refine(labelNeedsUrl.check, labelNeedsUrl.error)
  .meta({ id: "CreateServiceNotification", dependentRequired: { actionLabel: ["actionUrl"] } });

/** A subscriber as the host knows them: the external id, or an object that also identifies them. */
const subscriberRecipientSchema = z
  .union([externalIdSchema, bulkSubscriberSchema], { error: "must be an external id or {externalId, email?, name?, ...}" })
  .meta({ description: "A subscriber's external id, or an object that also identifies them (created or updated on the spot)" });

/** With an `app` token: recipients and actor are that app's subscribers, by external id. */
export const createAppNotificationSchema = z
  .strictObject({
    to: z
      .union([subscriberRecipientSchema, z.array(subscriberRecipientSchema).min(1, "give at least one recipient").max(RECIPIENTS_MAX, `at most ${RECIPIENTS_MAX} recipients`)], {
        error: `must be a subscriber or a list of up to ${RECIPIENTS_MAX} of them`,
      })
      .meta({ description: `One subscriber or a list of up to ${RECIPIENTS_MAX}; one never seen before is created (inline identify); duplicates are sent once` }),
    ...notificationFields,
    actorExternalId: externalIdSchema.optional().meta({ description: "The subscriber this notification is about (shown as its actor); created if new" }),
  })
  .refine(labelNeedsUrl.check, labelNeedsUrl.error)
  .meta({ id: "CreateAppNotification", dependentRequired: { actionLabel: ["actionUrl"] } });
export type CreateAppNotificationInput = z.infer<typeof createAppNotificationSchema>;

export type CreateServiceNotificationInput = z.infer<typeof createServiceNotificationSchema>;

/** Stripe-style: any visible ASCII up to 255 characters (a UUID is a good choice). */
export const idempotencyKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[\x21-\x7e]+$/, "must be visible ASCII characters")
  .meta({ description: "Repeat a request safely: the same key within 24 h replays the first response and creates nothing" });

export const serviceHeadersSchema = z.object({ "Idempotency-Key": idempotencyKeySchema.optional() });

export const createdNotificationsSchema = z
  .object({
    created: z.int().min(0),
    notifications: z
      .array(z.object({ id: z.string(), userId: z.uuid(), externalId: z.string().optional().meta({ description: "With an `app` token: the subscriber's external id" }) }))
      .meta({ description: "One per distinct recipient, in the order given" }),
  })
  .meta({ id: "CreatedNotifications" });
export type CreatedNotifications = z.infer<typeof createdNotificationsSchema>;

export const serviceNotificationSchema = notificationSchema
  .extend({ userId: z.uuid().meta({ description: "The recipient" }) })
  .meta({ id: "ServiceNotification" });
