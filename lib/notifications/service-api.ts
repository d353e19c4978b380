import "server-only";
import { createHash } from "node:crypto";
import { db, type DatabaseOrTransaction } from "@/db";
import { withTransaction } from "@/db/transaction";
import { claimIdempotencyKey, saveIdempotentResponse } from "@/db/queries/idempotency";
import { getNotificationForToken, insertNotifications } from "@/db/queries/notifications";
import { findUsersByIdsOrEmails } from "@/db/queries/recipients";
import { getUserById } from "@/db/queries/users";
import type { TokenPrincipal } from "@/lib/auth/token";
import { AppError, notFound } from "@/lib/errors";
import { countCreated } from "@/lib/metrics";
import { enforceRateLimits, rules } from "@/lib/rate-limit";
import { appOf, resolveSubscribers } from "@/lib/subscribers/service";
import type { CreateAppNotificationInput, CreateServiceNotificationInput, CreatedNotifications } from "@/lib/validations/service-api";
import { toNotificationDTO } from "./dto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Recipients as given -> distinct user ids in the order given; every unknown one is reported. */
async function resolveRecipients(tx: DatabaseOrTransaction, to: string | string[]) {
  const given = Array.isArray(to) ? to : [to];
  const ids = given.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const emails = given.filter((r) => !UUID.test(r)).map((r) => r.toLowerCase());
  const found = await findUsersByIdsOrEmails(tx, ids, emails);
  const byKey = new Map<string, string>();
  for (const u of found) {
    byKey.set(u.id, u.id);
    byKey.set(u.email, u.id);
  }
  const unknown = given.filter((r) => !byKey.has(r.toLowerCase()));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).join(", ");
    throw new AppError("unknown_recipients", `${unknown.length} recipient${unknown.length > 1 ? "s do" : " does"} not exist: ${shown}${unknown.length > 5 ? ", …" : ""}. Nothing was sent`, { details: { unknown } });
  }
  return [...new Set(given.map((r) => byKey.get(r.toLowerCase())!))];
}

/**
 * What this token may send, decided from the request alone, before any query: a token that may not
 * address other people gets the same answer whether or not the addresses it tried exist.
 */
function authorize(token: TokenPrincipal, input: SendInput) {
  if (token.appId) appOf(token);
  else if (!token.reachesOthers) {
    const accounts = input as CreateServiceNotificationInput;
    const given = Array.isArray(accounts.to) ? accounts.to : [accounts.to];
    const self = (r: string) => {
      const v = r.toLowerCase();
      return v === token.userId || v === token.ownerEmail;
    };
    if (!given.every(self)) {
      throw new AppError("recipient_not_allowed", "This token can notify only its owner (its scope is `self`); only an admin can create a token that reaches other users. Nothing was sent");
    }
    if (accounts.actorId && accounts.actorId.toLowerCase() !== token.userId) {
      throw new AppError("actor_not_allowed", "actorId: this token may name only its owner as the actor. Nothing was sent");
    }
  }
  if (token.categories && !token.categories.includes(input.category)) {
    throw new AppError("category_not_allowed", `category: this token may send only ${token.categories.join(", ")}. Nothing was sent`, { details: { allowed: token.categories } });
  }
}

type Recipients = { userIds: string[]; externalIds?: Map<string, string>; actorId: string | null };

/** Accounts by id or email (a `self` or `users` token). */
async function accountRecipients(tx: DatabaseOrTransaction, input: CreateServiceNotificationInput): Promise<Recipients> {
  const userIds = await resolveRecipients(tx, input.to);
  if (input.actorId && !(await getUserById(tx, input.actorId))) {
    throw new AppError("unknown_actor", "actorId: no user has this id. Nothing was sent");
  }
  return { userIds, actorId: input.actorId ?? null };
}

/** The app's subscribers by external id, created on the spot when new (an `app` token). */
async function subscriberRecipients(tx: DatabaseOrTransaction, appId: string, input: CreateAppNotificationInput): Promise<Recipients> {
  const given = Array.isArray(input.to) ? input.to : [input.to];
  const subscribers = await resolveSubscribers(tx, appId, input.actorExternalId ? [...given, input.actorExternalId] : given);
  const actor = input.actorExternalId ? subscribers.find((s) => s.externalId === input.actorExternalId)! : null;
  const recipients = new Set(given.map((g) => (typeof g === "string" ? g : g.externalId)));
  const chosen = subscribers.filter((s) => recipients.has(s.externalId));
  return { userIds: chosen.map((s) => s.id), externalIds: new Map(chosen.map((s) => [s.id, s.externalId])), actorId: actor?.id ?? null };
}

async function createNotifications(tx: DatabaseOrTransaction, token: TokenPrincipal, input: SendInput): Promise<CreatedNotifications> {
  const { userIds, externalIds, actorId } =
    token.appId ? await subscriberRecipients(tx, token.appId, input as CreateAppNotificationInput) : await accountRecipients(tx, input as CreateServiceNotificationInput);
  // Counted in this transaction: over the limit for any recipient, nothing is created or counted.
  await enforceRateLimits(tx, rules.perRecipient(), token.appId ?? token.userId, userIds);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  // One statement for every recipient; the trigger delivers each row live, and the realtime layer
  // applies each recipient's preferences (muted categories, quiet hours) as for any other notification.
  const rows = await insertNotifications(
    tx,
    userIds.map((userId) => ({
      userId,
      category: input.category,
      priority: input.priority,
      title: input.title,
      body: input.body,
      actionUrl: input.actionUrl ?? null,
      actionLabel: input.actionLabel ?? null,
      actorId,
      sourceTokenId: token.tokenId,
      source: "api" as const,
      groupKey: input.groupKey ?? null,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      metadata: input.metadata ?? {},
      expiresAt,
    })),
  );
  const idByUser = new Map(rows.map((r) => [r.userId, String(r.id)]));
  return {
    created: rows.length,
    notifications: userIds.map((userId) => ({ id: idByUser.get(userId)!, userId, ...(externalIds ? { externalId: externalIds.get(userId)! } : {}) })),
  };
}

/** Key order does not change a request's identity: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown) => createHash("sha256").update(canonical(body)).digest("hex");

export type SendResult = { status: number; body: unknown; replayed: boolean };

/**
 * Creates the notifications in one transaction. With an Idempotency-Key, the key is claimed in that
 * same transaction: a repeat within 24 h replays the first response and creates nothing; the same
 * key with another body is refused; concurrent repeats wait for the first and replay it. A failed
 * request (unknown recipient...) rolls the claim back too, so it can be retried with its key.
 */
type SendInput = CreateServiceNotificationInput | CreateAppNotificationInput;

export async function sendFromService(
  token: TokenPrincipal,
  input: SendInput,
  idempotency?: { key: string; hash: string },
): Promise<SendResult> {
  authorize(token, input);
  const result = await withTransaction(async (tx): Promise<SendResult> => {
    if (idempotency) {
      const existing = await claimIdempotencyKey(tx, token.tokenId, idempotency.key, idempotency.hash);
      if (existing) {
        if (existing.requestHash !== idempotency.hash) {
          throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body; use a new key for a new request");
        }
        if (existing.status === null) throw new AppError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly");
        return { status: existing.status, body: existing.response, replayed: true };
      }
    }
    const body = await createNotifications(tx, token, input);
    if (idempotency) await saveIdempotentResponse(tx, token.tokenId, idempotency.key, { status: 201, response: body });
    return { status: 201, body, replayed: false };
  });
  if (!result.replayed) countCreated("api", Array<string>((result.body as CreatedNotifications).created).fill(input.category));
  return result;
}

/** A notification this token created, with its recipient; 404 for anything else (or expired). */
export async function getServiceNotification(token: TokenPrincipal, id: number) {
  const row = await getNotificationForToken(db, id, token.tokenId);
  if (!row) throw notFound("Notification");
  return { ...toNotificationDTO(row), userId: row.userId };
}
