import { SignJWT } from "jose";
import createClient from "openapi-fetch";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { components, paths } from "./api.js";

export type Subscriber = components["schemas"]["Subscriber"];
export type SubscriberFields = components["schemas"]["SubscriberFields"];
export type BulkSubscriber = components["schemas"]["BulkSubscriber"];
export type AppNotification = components["schemas"]["CreateAppNotification"];
export type CreatedNotifications = components["schemas"]["CreatedNotifications"];
export type ServiceNotification = components["schemas"]["ServiceNotification"];
export type ErrorBody = components["schemas"]["Error"];

/** A non-2xx answer from Herald, with its `{error: {code, message}}`. */
export class HeraldError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HeraldError";
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

function unwrap<T>({ data, error, response }: Result<T>): T {
  if (response.ok) return data as T;
  const e = (error as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  throw new HeraldError(response.status, e?.code ?? "http_error", e?.message ?? `Herald answered ${response.status}`, e?.details);
}

export type HeraldOptions = {
  /** Herald's base URL, e.g. https://herald.example */
  url: string;
  /** An `app` token (POST /api/tokens {scope: "app", appId}). */
  token: string;
  /** A fetch of your own (tests, proxies). */
  fetch?: typeof fetch;
};

/** Herald's API for a host app's servers: its subscribers and their notifications. */
export class Herald {
  private readonly api: ReturnType<typeof createClient<paths>>;

  constructor(options: HeraldOptions) {
    this.api = createClient<paths>({
      baseUrl: options.url.replace(/\/+$/, ""),
      headers: { Authorization: `Bearer ${options.token}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  readonly subscribers = {
    /** Creates the subscriber or updates the fields given (left out: kept; null: cleared). */
    identify: async (externalId: string, fields: SubscriberFields = {}): Promise<Subscriber> =>
      unwrap(await this.api.PUT("/api/v1/subscribers/{externalId}", { params: { path: { externalId } }, body: fields })),
    get: async (externalId: string): Promise<Subscriber> =>
      unwrap(await this.api.GET("/api/v1/subscribers/{externalId}", { params: { path: { externalId } } })),
    /** Erases the subscriber and everything of theirs. */
    delete: async (externalId: string): Promise<void> => {
      unwrap(await this.api.DELETE("/api/v1/subscribers/{externalId}", { params: { path: { externalId } } }));
    },
    /** Up to 1,000 in one transaction. */
    bulk: async (subscribers: BulkSubscriber[]) => unwrap(await this.api.POST("/api/v1/subscribers/bulk", { body: { subscribers } })),
  };

  readonly notifications = {
    /** Sends to subscribers by external id (new ones are created); `idempotencyKey` makes a retry safe. */
    send: async (notification: AppNotification, options: { idempotencyKey?: string } = {}): Promise<CreatedNotifications> =>
      unwrap(
        await this.api.POST("/api/v1/notifications", {
          body: notification,
          ...(options.idempotencyKey ? { params: { header: { "Idempotency-Key": options.idempotencyKey } } } : {}),
        }),
      ),
    get: async (id: string): Promise<ServiceNotification> => unwrap(await this.api.GET("/api/v1/notifications/{id}", { params: { path: { id } } })),
  };
}

export type SubscriberTokenOptions = {
  /** The signing key's id and secret (POST /api/apps or /api/apps/{id}/signing-keys). */
  kid: string;
  secret: string;
  /** Your user's id: the subscriber's external id. */
  externalId: string;
  /** Seconds; at most 86,400 (Herald refuses longer). Default 3,600. */
  expiresIn?: number;
};

/** Mints the token your page hands to Herald's inbox for the signed-in user (HS256, `aud: "herald"`). */
export async function subscriberToken({ kid, secret, externalId, expiresIn = 3600 }: SubscriberTokenOptions): Promise<string> {
  if (!(expiresIn > 0 && expiresIn <= 86_400)) throw new RangeError("expiresIn must be between 1 and 86,400 seconds");
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", kid, typ: "JWT" })
    .setSubject(externalId)
    .setAudience("herald")
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresIn)
    .sign(new TextEncoder().encode(secret));
}

type Schemas = components["schemas"];
type Event<T extends string, D> = { type: T; timestamp: string; data: D };
/** What Herald POSTs to a webhook endpoint, by `type`. */
export type WebhookEvent =
  | Event<
      | "notification.created"
      | "notification.seen"
      | "notification.read"
      | "notification.unread"
      | "notification.clicked"
      | "notification.archived"
      | "notification.snoozed"
      | "notification.deleted",
      Schemas["WebhookNotificationData"]
    >
  | Event<"delivery.sent" | "delivery.failed", Schemas["WebhookDeliveryData"]>
  | Event<"subscriber.created" | "subscriber.deleted", Schemas["WebhookSubscriberData"]>
  | Event<"preferences.updated", Schemas["WebhookPreferencesData"]>
  | Event<"webhook.test", Schemas["WebhookTestData"]>;

export { WebhookVerificationError };

/**
 * Checks a webhook request (Standard Webhooks: `webhook-id`, `webhook-timestamp` within 5 minutes,
 * `webhook-signature`) against the endpoint's secret and returns its event; throws
 * `WebhookVerificationError` otherwise. Pass the body exactly as received (the raw text, not
 * re-serialised JSON). Dedupe on `webhook-id`: an event may come more than once.
 */
export function verifyWebhook(secret: string, headers: Headers | Record<string, string | string[] | undefined>, body: string | Uint8Array): WebhookEvent {
  const get = (name: string) => {
    if (headers instanceof Headers) return headers.get(name) ?? "";
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return (Array.isArray(value) ? value[0] : value) ?? "";
  };
  const wanted = { "webhook-id": get("webhook-id"), "webhook-timestamp": get("webhook-timestamp"), "webhook-signature": get("webhook-signature") };
  return new Webhook(secret).verify(body, wanted) as WebhookEvent;
}
