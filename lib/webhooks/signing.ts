import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Standard Webhooks' form: `whsec_` and the base64 of the HMAC key (192 random bits). */
export function generateWebhookSecret() {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * The three Standard Webhooks headers: `webhook-signature` holds one `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` per secret (the current one, and during a rotation the previous one), so a
 * receiver still on the old secret keeps verifying.
 */
export function signedHeaders(secrets: string[], messageId: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(" "),
  };
}
