/**
 * The events an endpoint may subscribe to, and what each body carries. Written by the database
 * (db/migrations/0020) except `webhook.test`, which the test route sends; documented in the OpenAPI
 * document from lib/validations/webhooks.ts.
 */
export const WEBHOOK_EVENT_TYPES = [
  "notification.created",
  "notification.seen",
  "notification.read",
  "notification.unread",
  "notification.clicked",
  "notification.archived",
  "notification.snoozed",
  "notification.deleted",
  "delivery.sent",
  "delivery.failed",
  "subscriber.created",
  "subscriber.deleted",
  "preferences.updated",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number] | "webhook.test";

/** `webhook-id`: stable per event, so a receiver dedupes retries, crashes mid-send and replays on it. */
export const webhookMessageId = (eventId: number | string) => `msg_${eventId}`;

export function eventIdOf(messageId: string): number | null {
  const m = /^(?:msg_)?([1-9][0-9]{0,15})$/.exec(messageId);
  return m ? Number(m[1]) : null;
}
