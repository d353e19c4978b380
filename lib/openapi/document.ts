import { z } from "zod";
import { openRoomSchema, roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";
import {
  batchSchema,
  bulkResultSchema,
  listNotificationsSchema,
  notificationIdSchema,
  notificationDetailSchema,
  notificationPageSchema,
  notificationSchema,
  readAllSchema,
  seenSchema,
  testNotificationResultSchema,
  testNotificationSchema,
  unreadCountSchema,
  updateNotificationSchema,
} from "@/lib/validations/notifications";
import { preferencesSchema, updatePreferencesSchema } from "@/lib/validations/preferences";
import { presenceSchema, pushDeviceListSchema, pushDeviceSchema, pushSubscriptionIdSchema, pushSubscriptionSchema, vapidKeySchema } from "@/lib/validations/push";
import {
  SERVICE_BODY_MAX_BYTES,
  createAppNotificationSchema,
  createServiceNotificationSchema,
  createdNotificationsSchema,
  serviceHeadersSchema,
  serviceNotificationSchema,
} from "@/lib/validations/service-api";
import {
  appIdSchema,
  appListSchema,
  appSchema,
  createAppSchema,
  createdAppSchema,
  createdSigningKeySchema,
  kidSchema,
  updateAppSchema,
} from "@/lib/validations/apps";
import {
  bulkResultSchema as bulkSubscribersResultSchema,
  bulkSubscribersSchema,
  externalIdSchema,
  subscriberSchema,
  upsertSubscriberSchema,
} from "@/lib/validations/subscribers";
import {
  attemptCursorSchema,
  createWebhookSchema,
  createdWebhookSchema,
  replayedSchema,
  rotatedSecretSchema,
  updateWebhookSchema,
  webhookAttemptPageSchema,
  webhookEventIdSchema,
  webhookEventSchema,
  webhookIdSchema,
  webhookListSchema,
  webhookSchema,
} from "@/lib/validations/webhooks";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { createTokenSchema, createdTokenSchema, tokenIdSchema, tokenListSchema, tokenSchema } from "@/lib/validations/tokens";
import { Components, operationObject, type Operation } from "./build";
import { errorResponses, errorSchema } from "./errors";

const id = { id: notificationIdSchema };
const roomRequestSchema = z.object({ participantEmail: z.string() }).meta({ id: "RoomRequest" });
const conversationListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        other: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
        lastMessage: z.object({ body: z.string(), mine: z.boolean(), createdAt: z.string() }).nullable(),
        unread: z.int(),
      }),
    ),
  })
  .meta({ id: "ConversationList" });
const messageResultSchema = z
  .object({
    message: z.object({ id: z.string(), roomId: z.uuid(), senderId: z.uuid(), body: z.string(), createdAt: z.string() }),
    notification: notificationSchema,
  })
  .meta({ id: "SentMessage" });
const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    db: z.string(),
    listener: z.string(),
    jobs: z.enum(["starting", "running", "failed", "stopped"]).meta({ description: "This process's email, push and cleanup workers (pg-boss)" }),
    realtime: z
      .object({
        path: z.enum(["replication", "notify"]).nullable().meta({ description: "How this process hears changes: logical replication, or LISTEN/NOTIFY (null while deciding)" }),
        pathReason: z.string().optional().meta({ description: "Why this process is not on replication" }),
        streams: z.number().int(),
        streamsOpened: z.number().int(),
        listenerReconnects: z.number().int(),
      })
      .optional(),
  })
  .meta({ id: "Health" });
const seriesSchema = z.array(z.number().nullable()).meta({ description: "One value per bin; null where no instance sampled" });
const countsSchema = z.array(z.number().int());
const adminStatsSchema = z
  .object({
    generatedAt: z.string(),
    sampleIntervalS: z.number().int(),
    minutes: z.array(z.number().int()).meta({ description: "The last hour's bins (Unix seconds, one a minute, the current one last)" }),
    notificationsPerMinute: z.array(z.object({ category: z.string(), counts: countsSchema })).meta({ description: "Rows committed per minute by category, whoever wrote them" }),
    deliveredPerMinute: countsSchema,
    latencyMs: z.object({ p50: seriesSchema, p95: seriesSchema }).meta({ description: "Commit to frame written, across instances" }),
    streams: z.array(z.object({ instance: z.string(), label: z.string(), values: seriesSchema })).meta({ description: "Open streams per instance" }),
    queue: z.object({ depth: seriesSchema, requests: countsSchema, serverErrors: countsSchema, channelFailures: countsSchema, errorRate: seriesSchema }),
    hours: z.array(z.number().int()).meta({ description: "The last 24 hours' bins (Unix seconds, one an hour)" }),
    channels: z.array(z.object({ channel: z.string(), status: z.string(), counts: countsSchema, total: z.number().int() })),
    engagement: z.array(
      z.object({
        category: z.string(),
        sent: z.number().int(),
        read: z.number().int(),
        withAction: z.number().int(),
        clicked: z.number().int(),
        readRate: z.number().nullable(),
        clickRate: z.number().nullable().meta({ description: "Clicked of those with an action" }),
      }),
    ).meta({ description: "The last 24 hours by category" }),
    instances: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        hostname: z.string(),
        pid: z.number().int(),
        startedAt: z.string(),
        seenAt: z.string(),
        stoppedAt: z.string().nullable(),
        status: z.enum(["ok", "degraded", "draining", "stopped", "silent"]),
        health: z.record(z.string(), z.unknown()),
        rssBytes: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: "AdminStats" });
const unsubscribeTokenSchema = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  .meta({ description: "The signed token from the email's List-Unsubscribe URL" });
const unsubscribedSchema = z
  .object({ unsubscribed: z.string().meta({ description: "The category whose email is now off, or `all`" }) })
  .meta({ id: "Unsubscribed" });
const ok = (schema: z.ZodType, description = "OK") => ({ 200: { description, schema } });

/** Every endpoint of the API. A test checks this list against the route files, so none is forgotten. */
export const operations: Operation[] = [
  { method: "get", path: "/api/health", tag: "system", auth: "none", summary: "Database and realtime listener health", responses: { ...ok(healthSchema), 503: { description: "A part is down", schema: healthSchema } } },
  { method: "get", path: "/api/admin/stats", tag: "system", auth: "cookie", summary: "The admin dashboard's figures for every instance", description: "Admins only. The last hour by minute (notifications by category, delivery latency p50/p95, streams per instance, queue backlog, errors) and the last 24 hours (email and push outcomes by hour, read rate and click-through by category), and each instance's health as of its last sample.", responses: ok(adminStatsSchema), errors: [403] },
  { method: "get", path: "/api/metrics", tag: "system", auth: "cookie", summary: "This process's metrics, in the Prometheus text format", description: "For a signed-in admin, or without a cookie for `Authorization: Bearer <HERALD_METRICS_TOKEN>` (a wrong token is 401 even with a cookie). Per process: scrape every instance. The README's \"Metrics\" section lists each metric.", responses: { 200: { description: "text/plain; version=0.0.4 (the Prometheus exposition format)" } }, errors: [403] },
  { method: "get", path: "/api/openapi.json", tag: "system", auth: "none", summary: "This document", responses: { 200: { description: "OpenAPI 3.1" } } },

  { method: "get", path: "/api/notifications", tag: "notifications", auth: "person", summary: "List your notifications, newest first", description: "Expired notifications never appear and never count. A notification with a groupKey is listed with the newest of its group's rows in the same state: the unread members of a group are ONE item (`group.count`, `group.actors`); `groupKey` lists a group's members one by one. Snoozed ones appear only with `status=snoozed`. Every page carries `unreadCount` and `unseenCount` (the badge).", query: listNotificationsSchema, responses: ok(notificationPageSchema) },
  { method: "get", path: "/api/notifications/{id}", tag: "notifications", auth: "person", summary: "One of your notifications, with what email and push did with it", description: "`deliveries` has one entry for email and one per push device, when the recipient's settings asked for them.", pathParams: id, responses: ok(notificationDetailSchema), errors: [404] },
  { method: "patch", path: "/api/notifications/{id}", tag: "notifications", auth: "person", summary: "Mark read/unread, archive/unarchive, snooze", description: "Acts on the item the id stands for: with a group, every member in the same state (\"Bob Chen sent you 5 messages\" reads all five). `snoozedUntil` takes it out of lists and counts until then, when it comes back as new (live event, toast, email and push as your settings say); null brings it back now.", pathParams: id, body: updateNotificationSchema, responses: ok(notificationSchema), errors: [404] },
  { method: "delete", path: "/api/notifications/{id}", tag: "notifications", auth: "person", summary: "Delete one of your notifications (a group's item: all of its members in the same state)", pathParams: id, responses: { 204: { description: "Deleted" } }, errors: [404] },
  { method: "post", path: "/api/notifications/{id}/read", tag: "notifications", auth: "person", summary: "Mark read (same as PATCH {read: true})", pathParams: id, responses: ok(notificationSchema), errors: [404] },
  { method: "post", path: "/api/notifications/{id}/click", tag: "notifications", auth: "person", summary: "Its action was opened: record the click-through and mark it read", description: "Sets `clickedAt` the first time only (later clicks keep the first time) on the notification the id names, and reads it as `POST /api/notifications/{id}/read` does (a grouped item: its members in the same state), in one change: one `notification.updated` and `notifications.count` on your streams. The bell, the inbox, toasts and push notifications call it when their action is opened.", pathParams: id, responses: ok(notificationSchema), errors: [404] },
  { method: "post", path: "/api/notifications/read-all", tag: "notifications", auth: "person", summary: "Mark all read, up to the newest id you saw", description: "The body is optional; without `upTo` every unread notification is marked read; with `groupKey` only that group's members.", body: readAllSchema, bodyOptional: true, responses: ok(bulkResultSchema) },
  { method: "post", path: "/api/notifications/archive-all", tag: "notifications", auth: "person", summary: "Clear all: archive everything up to the newest id you saw", description: "The body is optional; without `upTo` every notification is archived. `ids` are what an undo (`batch` with `unarchive`) restores.", body: readAllSchema, bodyOptional: true, responses: ok(bulkResultSchema) },
  { method: "post", path: "/api/notifications/batch", tag: "notifications", auth: "person", summary: "Apply one action to up to 500 of your notifications in one statement", description: "Ids that are not yours are ignored. An id stands for its item (a group's members in the same state); `groupKeys` act on every member of those groups.", body: batchSchema, responses: ok(bulkResultSchema) },
  { method: "get", path: "/api/notifications/unread-count", tag: "notifications", auth: "person", summary: "Your counts: unread items, and unread items not yet seen (the badge)", responses: ok(unreadCountSchema) },
  { method: "post", path: "/api/notifications/seen", tag: "notifications", auth: "person", summary: "The bell or inbox showed everything up to `upTo`: it leaves the badge", description: "The body is optional; without `upTo` every unseen notification is marked seen. Unread ones stay unread.", body: seenSchema, bodyOptional: true, responses: ok(bulkResultSchema) },
  { method: "post", path: "/api/notifications/test", tag: "notifications", auth: "cookie", summary: "Send a test notification to yourself (the demo page); admins may send to another user by email", description: "`recipientEmail` other than your own is for admins only (403 `recipient_not_allowed`, the same answer whether or not the address exists); an admin naming an unknown address gets 404.", body: testNotificationSchema, responses: { 201: { description: "Created", schema: testNotificationResultSchema } }, errors: [403, 404, 429] },
  { method: "get", path: "/api/notifications/stream", tag: "notifications", auth: "person", summary: "Server-Sent Events: notification.created / updated / deleted, notifications.count", responses: { 200: { description: "text/event-stream" } } },

  { method: "get", path: "/api/preferences", tag: "preferences", auth: "person", summary: "Your notification settings, defaults filled in", responses: ok(preferencesSchema) },
  { method: "put", path: "/api/preferences", tag: "preferences", auth: "person", summary: "Change settings; fields left out are kept", body: updatePreferencesSchema, responses: ok(preferencesSchema) },
  { method: "get", path: "/api/push/vapid-public-key", tag: "push", auth: "person", summary: "The VAPID public key for pushManager.subscribe()", responses: ok(vapidKeySchema), errors: [503] },
  { method: "get", path: "/api/push/subscriptions", tag: "push", auth: "person", summary: "Your devices with push on", responses: ok(pushDeviceListSchema) },
  { method: "post", path: "/api/push/subscriptions", tag: "push", auth: "person", summary: "Turn push on for this browser: its PushSubscription.toJSON()", description: "The endpoint must be https on a known push service (HERALD_PUSH_SERVICES: by default the hosts Chrome, Firefox, Safari and Edge use), at most 1 KB; anything else is 400 `validation_error`. The same endpoint again answers 200 and updates it; another account's endpoint moves to you only with the same keys (the same browser profile), else 409 `push_endpoint_taken`. `name` defaults to one made from the User-Agent. Up to 10 devices each; an 11th replaces the least recently used.", body: pushSubscriptionSchema, responses: { 201: { description: "Created", schema: pushDeviceSchema }, 200: { description: "Already saved (updated)", schema: pushDeviceSchema } }, errors: [409] },
  { method: "delete", path: "/api/push/subscriptions/{id}", tag: "push", auth: "person", summary: "Remove a device", pathParams: { id: pushSubscriptionIdSchema }, responses: { 204: { description: "Removed" } }, errors: [404] },
  { method: "post", path: "/api/presence", tag: "push", auth: "cookie", summary: "A tab is visible (for 45 s) or hidden; no push goes out while one of your tabs is visible", body: presenceSchema, responses: { 204: { description: "Noted" } } },
  { method: "post", path: "/api/email/unsubscribe/{token}", tag: "preferences", auth: "none", summary: "One-click unsubscribe (RFC 8058): the target of every email's List-Unsubscribe", description: "The signed token is the authority: no cookie and no Origin are needed (mail providers send neither). Turns email off for the token's category, or every email (`emailDigest: off`) for `all`. Any body is accepted (providers send `List-Unsubscribe=One-Click`).", pathParams: { token: unsubscribeTokenSchema }, responses: ok(unsubscribedSchema), errors: [400, 404] },
  { method: "get", path: "/api/email/unsubscribe/{token}", tag: "preferences", auth: "none", summary: "Changes nothing: redirects to the confirmation page (mail scanners open links)", pathParams: { token: unsubscribeTokenSchema }, responses: { 303: { description: "To /unsubscribe/{token}" } } },

  { method: "get", path: "/api/rooms", tag: "chat", auth: "cookie", summary: "Your conversations: the people you share a room with, most recent first", responses: ok(conversationListSchema) },
  { method: "post", path: "/api/rooms", tag: "chat", auth: "cookie", summary: "Start the direct room with whoever has this address (found if it exists)", description: "The same 202 whether or not an account has the address (no account probing); the room, if any, is then in `GET /api/rooms`. Starting a room counts against a per-user hourly limit (429 `rate_limited`), whether or not the account exists; one you already share is free.", body: openRoomSchema, responses: { 202: { description: "Accepted", schema: roomRequestSchema } }, errors: [429] },
  { method: "post", path: "/api/rooms/{roomId}/messages", tag: "chat", auth: "cookie", summary: "Send a message; the recipient is notified in the same transaction", pathParams: { roomId: roomIdSchema }, body: sendMessageSchema, responses: { 201: { description: "Sent", schema: messageResultSchema } }, errors: [404, 429] },

  { method: "get", path: "/api/tokens", tag: "tokens", auth: "cookie", summary: "Your service tokens (never their secrets)", responses: ok(tokenListSchema) },
  { method: "post", path: "/api/tokens", tag: "tokens", auth: "cookie", summary: "Create a service token; its secret is shown this once", description: "`scope: users` is for admins only (403 `scope_not_allowed`). At most 25 active tokens (409 `limit_reached`) and 20 creations per 24 hours, revoked ones included (429 `rate_limited`).", body: createTokenSchema, responses: { 201: { description: "Created", schema: createdTokenSchema } }, errors: [409, 429] },
  { method: "delete", path: "/api/tokens/{id}", tag: "tokens", auth: "cookie", summary: "Revoke a service token at once", pathParams: { id: tokenIdSchema }, responses: ok(tokenSchema, "Revoked (revoking again is harmless)"), errors: [404] },

  {
    method: "post",
    path: "/api/v1/notifications",
    tag: "service",
    auth: "token",
    summary: "Notify one user or up to 1,000: accounts by id or email, or an app's subscribers by external id",
    description:
      "All or nothing, in one transaction: an unknown recipient fails the request (422) and nothing is created. " +
      "A `self` token may address only its owner and name only its owner as actor (403 `recipient_not_allowed`, `actor_not_allowed`, " +
      "decided before any lookup); a token limited to categories refuses others (403 `category_not_allowed`). " +
      "Rate limits: requests per token owner across all their tokens, and notifications per recipient from one owner (429). " +
      "Each recipient's preferences apply as for any notification (a muted category is stored but not toasted).",
    headers: serviceHeadersSchema,
    body: z.union([createServiceNotificationSchema, createAppNotificationSchema]).meta({
      description: "With a `self` or `users` token: `to` names accounts by id or email (CreateServiceNotification). With an `app` token: `to` names the app's subscribers by external id, or as objects that identify them too, and `actorExternalId` the actor (CreateAppNotification); new ones are created on the spot.",
    }),
    bodyMaxBytes: SERVICE_BODY_MAX_BYTES,
    responses: { 201: { description: "Created (or replayed: see the Idempotent-Replayed header)", schema: createdNotificationsSchema, headers: { "Idempotent-Replayed": "`true` when this is the stored response of an earlier request with the same Idempotency-Key" } } },
    errors: [403, 409, 422],
  },
  { method: "get", path: "/api/v1/notifications/{id}", tag: "service", auth: "token", summary: "State of a notification this token created", pathParams: id, responses: ok(serviceNotificationSchema), errors: [404] },
  { method: "get", path: "/api/apps", tag: "apps", auth: "cookie", summary: "Every app (admins only), newest first, with its signing keys' ids", responses: ok(appListSchema), errors: [403] },
  { method: "post", path: "/api/apps", tag: "apps", auth: "cookie", summary: "Create an app; its first signing key's secret is shown this once", description: "Admins only. `allowedOrigins` are exact `scheme://host[:port]` origins (no wildcard, no path): the pages that may call the person routes with this app's subscriber tokens.", body: createAppSchema, responses: { 201: { description: "Created", schema: createdAppSchema } } },
  { method: "get", path: "/api/apps/{id}", tag: "apps", auth: "cookie", summary: "One app", pathParams: { id: appIdSchema }, responses: ok(appSchema), errors: [403, 404] },
  { method: "patch", path: "/api/apps/{id}", tag: "apps", auth: "cookie", summary: "Rename an app or change its allowed origins", pathParams: { id: appIdSchema }, body: updateAppSchema, responses: ok(appSchema), errors: [404] },
  { method: "delete", path: "/api/apps/{id}", tag: "apps", auth: "cookie", summary: "Delete an app with its keys, app tokens, subscribers and everything of theirs", pathParams: { id: appIdSchema }, responses: { 204: { description: "Deleted" } }, errors: [404] },
  { method: "post", path: "/api/apps/{id}/signing-keys", tag: "apps", auth: "cookie", summary: "Add a signing key (rotation: every key verifies until it is deleted); its secret is shown this once", description: "At most 5 keys per app (409 `limit_reached`).", pathParams: { id: appIdSchema }, responses: { 201: { description: "Created", schema: createdSigningKeySchema } }, errors: [404, 409] },
  { method: "delete", path: "/api/apps/{id}/signing-keys/{kid}", tag: "apps", auth: "cookie", summary: "Delete a signing key: every token it signed fails at once, and open streams end within seconds", pathParams: { id: appIdSchema, kid: kidSchema }, responses: { 204: { description: "Deleted" } }, errors: [404] },
  { method: "get", path: "/api/apps/{id}/webhooks", tag: "apps", auth: "cookie", summary: "The app's webhook endpoints (admins only)", pathParams: { id: appIdSchema }, responses: ok(webhookListSchema), errors: [403, 404] },
  { method: "post", path: "/api/apps/{id}/webhooks", tag: "apps", auth: "cookie", summary: "Add a webhook endpoint; its signing secret is shown this once", description: "https only, and not a literal loopback, private, link-local or metadata address (400 `validation_error`); the address a name resolves to is checked again at every connect. At most 10 per app (409 `limit_reached`). See the `webhooks` section for what each event carries and how it is signed.", pathParams: { id: appIdSchema }, body: createWebhookSchema, responses: { 201: { description: "Created", schema: createdWebhookSchema } }, errors: [404, 409] },
  { method: "get", path: "/api/apps/{id}/webhooks/{wid}", tag: "apps", auth: "cookie", summary: "One webhook endpoint", pathParams: { id: appIdSchema, wid: webhookIdSchema }, responses: ok(webhookSchema), errors: [403, 404] },
  { method: "patch", path: "/api/apps/{id}/webhooks/{wid}", tag: "apps", auth: "cookie", summary: "Change an endpoint's URL or events, or disable or enable it", description: "Enabling sends what was pending when it was disabled and starts its five failing days afresh.", pathParams: { id: appIdSchema, wid: webhookIdSchema }, body: updateWebhookSchema, responses: ok(webhookSchema), errors: [404] },
  { method: "delete", path: "/api/apps/{id}/webhooks/{wid}", tag: "apps", auth: "cookie", summary: "Delete an endpoint with its pending events and attempts", pathParams: { id: appIdSchema, wid: webhookIdSchema }, responses: { 204: { description: "Deleted" } }, errors: [404] },
  { method: "post", path: "/api/apps/{id}/webhooks/{wid}/test", tag: "apps", auth: "cookie", summary: "Send a `webhook.test` event to this endpoint", description: "Queued like any event (signed, retried); its attempts show how it went. 409 `conflict` while the endpoint is disabled.", pathParams: { id: appIdSchema, wid: webhookIdSchema }, responses: { 202: { description: "Queued", schema: replayedSchema } }, errors: [404, 409] },
  { method: "post", path: "/api/apps/{id}/webhooks/{wid}/rotate-secret", tag: "apps", auth: "cookie", summary: "A new signing secret, shown this once; the old one keeps signing beside it for 24 hours", description: "During those hours `webhook-signature` carries two signatures; a receiver accepts either.", pathParams: { id: appIdSchema, wid: webhookIdSchema }, responses: ok(rotatedSecretSchema), errors: [404] },
  { method: "get", path: "/api/apps/{id}/webhooks/{wid}/attempts", tag: "apps", auth: "cookie", summary: "The endpoint's send attempts, newest first, 50 a page", pathParams: { id: appIdSchema, wid: webhookIdSchema }, query: z.object({ cursor: attemptCursorSchema.meta({ description: "The previous page's `nextCursor`" }) }), responses: ok(webhookAttemptPageSchema), errors: [403, 404] },
  { method: "post", path: "/api/apps/{id}/webhooks/{wid}/events/{eventId}/replay", tag: "apps", auth: "cookie", summary: "Send one of the app's events to this endpoint again", description: "Same `webhook-id` (a receiver that has it dedupes), retried from attempt 1. 409 `conflict` while the endpoint is disabled.", pathParams: { id: appIdSchema, wid: webhookIdSchema, eventId: webhookEventIdSchema }, responses: { 202: { description: "Queued", schema: replayedSchema } }, errors: [404, 409] },

  { method: "get", path: "/api/v1/subscribers/{externalId}", tag: "service", auth: "token", summary: "One of the app's subscribers (`app` token)", pathParams: { externalId: externalIdSchema }, responses: ok(subscriberSchema), errors: [403, 404] },
  { method: "put", path: "/api/v1/subscribers/{externalId}", tag: "service", auth: "token", summary: "Identify a subscriber: create it (201) or update the fields given (200)", description: "A field left out keeps its value; null clears it. The email is the app's word: it counts as verified.", pathParams: { externalId: externalIdSchema }, body: upsertSubscriberSchema, responses: { 201: { description: "Created", schema: subscriberSchema }, 200: { description: "Updated", schema: subscriberSchema } }, errors: [403] },
  { method: "delete", path: "/api/v1/subscribers/{externalId}", tag: "service", auth: "token", summary: "Erase a subscriber and everything of theirs (notifications, deliveries, devices, preferences) in one transaction", pathParams: { externalId: externalIdSchema }, responses: { 204: { description: "Erased" } }, errors: [403, 404] },
  { method: "post", path: "/api/v1/subscribers/bulk", tag: "service", auth: "token", summary: "Identify up to 1,000 subscribers in one transaction", description: "The subscriber whose external id is `bulk` itself is reached by GET, PUT and DELETE on this path.", body: bulkSubscribersSchema, bodyMaxBytes: SERVICE_BODY_MAX_BYTES, responses: ok(bulkSubscribersResultSchema), errors: [403] },
];

const WEBHOOK_HEADERS = {
  "webhook-id": "The event's id (`msg_…`), the same on every retry and replay: dedupe on it",
  "webhook-timestamp": "Unix seconds when this attempt was signed: refuse ones far from now (replays of a captured request)",
  "webhook-signature": "`v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">` with the secret's base64-decoded key; two, space-separated, for 24 h after a rotation",
};

/** What Herald POSTs to an endpoint, per event type (OpenAPI 3.1 `webhooks`). */
function webhookDocs(components: Components) {
  return Object.fromEntries(
    [...WEBHOOK_EVENT_TYPES, "webhook.test"].map((type) => [
      type,
      {
        post: {
          summary: type,
          description: "Signed with Standard Webhooks; answer 2xx within 15 s. Anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; an endpoint failing for 5 days straight is disabled.",
          parameters: Object.entries(WEBHOOK_HEADERS).map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } })),
          requestBody: { required: true, content: { "application/json": { schema: components.jsonSchema(webhookEventSchema(type)) } } },
          responses: { "2XX": { description: "Received" } },
        },
      },
    ]),
  );
}

let cached: object | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas above (built once per process). */
export function openApiDocument() {
  if (cached) return cached;
  const components = new Components();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op, components);
  components.jsonSchema(errorSchema); // every error status narrows it
  const responses = errorResponses(components.jsonSchema);
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Herald",
      version: "1.0.0",
      description:
        "Self-hosted real-time notifications. People use the session cookie (unsafe requests must come from this site: " +
        "Origin / Sec-Fetch-Site are checked); other apps use a service token as `Authorization: Bearer <token>` on /api/v1; an app's users (subscribers) use a subscriber token on the person routes, from the app's pages (CORS) or its servers. " +
        "Errors are always `{error: {code, message, details?}}`.",
    },
    tags: ["notifications", "preferences", "push", "chat", "tokens", "apps", "service", "system"].map((name) => ({ name })),
    paths,
    webhooks: webhookDocs(components),
    components: {
      schemas: components.schemas(),
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "Auth.js session (sign in at /signin); named __Secure-authjs.session-token over https" },
        serviceToken: { type: "http", scheme: "bearer", description: "A service token created at /settings/tokens or POST /api/tokens" },
        subscriberToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A subscriber token minted by an app's server: HS256 with one of the app's signing keys (the secret's UTF-8 bytes), header `kid`, claims `sub` (the subscriber's external id), `aud: \"herald\"`, `iat`, `exp` (at most 24 h after `iat`). From a browser, the page's Origin must be one of the app's allowed origins (else 403 `origin_not_allowed`). Never in the URL.",
        },
      },
      responses,
    },
  };
  return cached;
}
