import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { text } from "./text";

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOKS_PER_APP_MAX = 10;

const isoDate = z.iso.datetime({ offset: true });

// Where it may point (https, no private address) is decided with the server's policy (lib/webhooks/url-policy.ts).
const urlSchema = text()
  .trim()
  .min(1, "is required")
  .max(WEBHOOK_URL_MAX, `must be at most ${WEBHOOK_URL_MAX} characters`)
  .regex(/^https?:\/\/[^\s]+$/, "must be an https URL")
  .meta({ description: "An https URL on a public address", example: "https://shop.example/hooks/herald" });
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, "list at least one event")
  .refine((e) => new Set(e).size === e.length, "lists an event twice")
  .meta({ description: "The event types it receives", uniqueItems: true });

export const createWebhookSchema = z
  .strictObject({ url: urlSchema, events: eventsSchema, description: text().trim().max(200, "must be at most 200 characters").optional() })
  .meta({ id: "CreateWebhook" });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .strictObject({ url: urlSchema.optional(), events: eventsSchema.optional(), enabled: z.boolean().optional() })
  .refine((v) => v.url !== undefined || v.events !== undefined || v.enabled !== undefined, "give url, events or enabled")
  .meta({ id: "UpdateWebhook", minProperties: 1 });
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const webhookIdSchema = z.uuid("must be a webhook id");
export const webhookEventIdSchema = z.string().regex(/^msg_[1-9][0-9]{0,15}$/, "must be an event id (msg_...)").meta({ example: "msg_42" });

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledAt: isoDate.nullable().meta({ description: "When Herald turned it off after failing for 5 days straight (null: not, or an admin did)" }),
    failingSince: isoDate.nullable().meta({ description: "The first failure since its last success" }),
    createdAt: isoDate,
  })
  .meta({ id: "Webhook" });
export type WebhookDTO = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: "`whsec_` + base64: the Standard Webhooks signing secret. Shown this once" }) })
  .meta({ id: "CreatedWebhook" });
export const webhookListSchema = z.object({ items: z.array(webhookSchema) }).meta({ id: "WebhookList" });

export const webhookAttemptSchema = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: "The `webhook-id` it was sent with", example: "msg_42" }),
    type: z.string(),
    attempt: z.number().int().meta({ description: "1 for the first try (a replay starts again at 1)" }),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable().meta({ description: "Why it failed without an answer: timeout, blocked address, connection error" }),
    responseBody: z.string().nullable().meta({ description: "At most the first 1 KB of the answer" }),
    durationMs: z.number().int(),
    nextRetryAt: isoDate.nullable().meta({ description: "When it is tried again (null: sent, or out of retries)" }),
    createdAt: isoDate,
  })
  .meta({ id: "WebhookAttempt" });
export type WebhookAttemptDTO = z.infer<typeof webhookAttemptSchema>;
export const webhookAttemptPageSchema = z
  .object({ items: z.array(webhookAttemptSchema), nextCursor: z.string().nullable() })
  .meta({ id: "WebhookAttemptPage" });
export const attemptCursorSchema = z.string().regex(/^[1-9][0-9]{0,15}$/, "must be a cursor from a previous page").optional();

export const rotatedSecretSchema = z
  .object({ secret: z.string(), previousValidUntil: isoDate.meta({ description: "The old secret signs too until then" }) })
  .meta({ id: "RotatedWebhookSecret" });

export const replayedSchema = z.object({ eventId: z.string(), queued: z.literal(true) }).meta({ id: "WebhookReplay" });

// What the receiver gets (documented under the OpenAPI document's `webhooks`).
const nullableIso = isoDate.nullable();
export const webhookNotificationSchema = z
  .object({
    id: z.string(),
    category: z.string(),
    priority: z.string(),
    title: z.string(),
    body: z.string(),
    actionUrl: z.string().nullable(),
    actionLabel: z.string().nullable(),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    subject: z.object({ type: z.string(), id: z.string() }).nullable(),
    metadata: z.record(z.string(), z.unknown()),
    groupKey: z.string().nullable(),
    source: z.enum(["app", "api", "sql"]),
    createdAt: isoDate,
    readAt: nullableIso,
    archivedAt: nullableIso,
    expiresAt: nullableIso,
    seenAt: nullableIso,
    snoozedUntil: nullableIso,
    clickedAt: nullableIso,
  })
  .meta({ id: "WebhookNotification", description: "The notification as the API shows it, as of the change" });

const externalId = z.string().meta({ description: "The subscriber's id in your app" });
export const webhookDataSchemas = {
  notification: z.object({ externalId, notification: webhookNotificationSchema }).meta({ id: "WebhookNotificationData" }),
  delivery: z
    .object({
      externalId,
      channel: z.enum(["email", "push"]),
      attempts: z.number().int(),
      reason: z.string().nullable(),
      notification: webhookNotificationSchema,
    })
    .meta({ id: "WebhookDeliveryData" }),
  subscriber: z
    .object({
      externalId,
      subscriber: z.object({
        id: z.uuid(),
        externalId: z.string(),
        email: z.string().nullable(),
        name: z.string(),
        avatarUrl: z.string().nullable(),
        locale: z.string().nullable(),
        timeZone: z.string().nullable(),
        data: z.record(z.string(), z.unknown()).nullable(),
        createdAt: isoDate,
      }),
    })
    .meta({ id: "WebhookSubscriberData" }),
  preferences: z
    .object({
      externalId,
      preferences: z.object({
        categories: z.record(z.string(), z.record(z.string(), z.boolean())).meta({ description: "The settings chosen per category (the defaults apply to the rest)" }),
        soundEnabled: z.boolean(),
        browserEnabled: z.boolean(),
        emailDigest: z.enum(["instant", "hourly", "daily", "off"]),
        quietHours: z.object({ enabled: z.boolean(), start: z.string(), end: z.string(), timeZone: z.string() }),
      }),
    })
    .meta({ id: "WebhookPreferencesData" }),
  test: z.object({ endpointId: z.uuid(), message: z.string() }).meta({ id: "WebhookTestData" }),
};

/** The body of each event type: `{type, timestamp, data}`. */
export function webhookEventSchema(type: string) {
  const family = type === "webhook.test" ? "test" : (type.split(".")[0] as keyof typeof webhookDataSchemas);
  return z.object({ type: z.literal(type), timestamp: isoDate.meta({ description: "When the change committed" }), data: webhookDataSchemas[family] });
}
