import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { getAppRow } from "@/db/queries/apps";
import {
  countWebhookEndpoints,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  insertTestEvent,
  insertWebhookEndpoint,
  listWebhookAttempts,
  listWebhookEndpoints,
  requeueWebhookEvent,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "@/db/queries/webhooks";
import type { WebhookEndpoint } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { assertAdmin } from "@/lib/apps/service";
import { sealSecret } from "@/lib/apps/secrets";
import type { SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import {
  WEBHOOKS_PER_APP_MAX,
  type CreateWebhookInput,
  type UpdateWebhookInput,
  type WebhookAttemptDTO,
  type WebhookDTO,
} from "@/lib/validations/webhooks";
import { eventIdOf, webhookMessageId } from "./events";
import { generateWebhookSecret } from "./signing";
import { webhookUrlProblem } from "./url-policy";

/** After a rotation the old secret signs too for this long, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_HOURS = 24;
const ATTEMPTS_PAGE = 50;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWebhookDTO(row: WebhookEndpoint): WebhookDTO {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookDTO["events"],
    enabled: row.enabled,
    disabledAt: iso(row.disabledAt),
    failingSince: iso(row.failingSince),
    createdAt: row.createdAt.toISOString(),
  };
}

function checkUrl(url: string) {
  const problem = webhookUrlProblem(url, env().HERALD_WEBHOOK_ALLOW_PRIVATE);
  if (problem) throw new AppError("validation_error", `url ${problem}`, { details: [{ path: "url", message: problem }] });
}

async function endpointOf(appId: string, id: string) {
  const row = await getWebhookEndpoint(db, { appId, id });
  if (!row) throw notFound("Webhook");
  return row;
}

const wake = (endpointId: string) => db.execute(sql`select herald_webhook_wake(${endpointId}::uuid)`);

export async function createWebhook(user: SessionUser, appId: string, input: CreateWebhookInput) {
  assertAdmin(user);
  checkUrl(input.url);
  const secret = generateWebhookSecret();
  const row = await withTransaction(async (tx) => {
    // Serialises one app's endpoint changes so the cap holds under concurrent requests.
    await tx.execute(sql`select id from apps where id = ${appId} for update`);
    if (!(await getAppRow(tx, appId))) throw notFound("App");
    if ((await countWebhookEndpoints(tx, appId)) >= WEBHOOKS_PER_APP_MAX) {
      throw new AppError("limit_reached", `An app has at most ${WEBHOOKS_PER_APP_MAX} webhook endpoints`);
    }
    return insertWebhookEndpoint(tx, { appId, url: input.url, events: input.events, description: input.description ?? null, secretCiphertext: sealSecret(secret) });
  });
  return { ...toWebhookDTO(row), secret };
}

export async function listWebhooks(user: SessionUser, appId: string): Promise<WebhookDTO[]> {
  assertAdmin(user);
  if (!(await getAppRow(db, appId))) throw notFound("App");
  return (await listWebhookEndpoints(db, appId)).map(toWebhookDTO);
}

export async function getWebhook(user: SessionUser, appId: string, id: string) {
  assertAdmin(user);
  return toWebhookDTO(await endpointOf(appId, id));
}

/** Enabling sends what waited while it was off (and starts its five days afresh). */
export async function updateWebhook(user: SessionUser, appId: string, id: string, input: UpdateWebhookInput) {
  assertAdmin(user);
  if (input.url !== undefined) checkUrl(input.url);
  const row = await updateWebhookEndpoint(db, { appId, id, ...input });
  if (!row) throw notFound("Webhook");
  if (input.enabled) await wake(id);
  return toWebhookDTO(row);
}

export async function deleteWebhook(user: SessionUser, appId: string, id: string) {
  assertAdmin(user);
  if (!(await deleteWebhookEndpoint(db, { appId, id }))) throw notFound("Webhook");
}

export async function rotateSecret(user: SessionUser, appId: string, id: string) {
  assertAdmin(user);
  const secret = generateWebhookSecret();
  const previousUntil = new Date(Date.now() + PREVIOUS_SECRET_HOURS * 3600_000);
  if (!(await rotateWebhookSecret(db, { appId, id, secretCiphertext: sealSecret(secret), previousUntil }))) throw notFound("Webhook");
  return { secret, previousValidUntil: previousUntil.toISOString() };
}

/** Queues a `webhook.test` event for this endpoint alone (sent like any other, retries included). */
export async function sendTestEvent(user: SessionUser, appId: string, id: string) {
  assertAdmin(user);
  const endpoint = await endpointOf(appId, id);
  if (!endpoint.enabled) throw new AppError("conflict", "The endpoint is disabled: enable it first");
  const eventId = await withTransaction((tx) => insertTestEvent(tx, { appId, endpointId: id, data: { endpointId: id, message: "A test event from Herald" } }));
  return { eventId: webhookMessageId(eventId), queued: true as const };
}

export async function listAttempts(user: SessionUser, appId: string, id: string, cursor?: string) {
  assertAdmin(user);
  await endpointOf(appId, id);
  const rows = await listWebhookAttempts(db, { endpointId: id, before: cursor ? Number(cursor) : undefined, limit: ATTEMPTS_PAGE + 1 });
  const items: WebhookAttemptDTO[] = rows.slice(0, ATTEMPTS_PAGE).map((r) => ({
    id: String(r.id),
    eventId: webhookMessageId(r.eventId),
    type: r.type,
    attempt: r.attempt,
    statusCode: r.statusCode,
    error: r.error,
    responseBody: r.responseBody,
    durationMs: r.durationMs,
    nextRetryAt: iso(r.nextRetryAt),
    createdAt: r.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > ATTEMPTS_PAGE ? items[items.length - 1].id : null };
}

/** Sends the event again with the same `webhook-id` (receivers that saw it dedupe), from attempt 1. */
export async function replayEvent(user: SessionUser, appId: string, id: string, messageId: string) {
  assertAdmin(user);
  const endpoint = await endpointOf(appId, id);
  if (!endpoint.enabled) throw new AppError("conflict", "The endpoint is disabled: enable it first");
  const eventId = eventIdOf(messageId);
  if (eventId === null || !(await withTransaction((tx) => requeueWebhookEvent(tx, { appId, endpointId: id, eventId })))) throw notFound("Event");
  return { eventId: webhookMessageId(eventId), queued: true as const };
}
