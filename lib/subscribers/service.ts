import "server-only";
import { db, type DatabaseOrTransaction } from "@/db";
import { deleteSubscriber, getSubscriber, upsertSubscribers, type SubscriberRow, type SubscriberValues } from "@/db/queries/subscribers";
import { withTransaction } from "@/db/transaction";
import type { TokenPrincipal } from "@/lib/auth/token";
import { AppError, notFound } from "@/lib/errors";
import type { BulkSubscriberInput, SubscriberDTO, SubscriberFields } from "@/lib/validations/subscribers";

export function toSubscriberDTO(row: SubscriberRow): SubscriberDTO {
  return {
    id: row.id,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    avatarUrl: row.avatarUrl,
    locale: row.locale,
    timeZone: row.timeZone,
    data: (row.data as Record<string, unknown> | null) ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The app an `app` token speaks for; every other token, or one whose owner is no longer an admin, is refused. */
export function appOf(token: TokenPrincipal): string {
  if (!token.appId) throw new AppError("scope_not_allowed", "Only an `app` token may manage subscribers");
  if (!token.reachesOthers) throw new AppError("scope_not_allowed", "This app token's owner is no longer an admin; create a new token");
  return token.appId;
}

const FIELD_NAMES = ["email", "name", "avatarUrl", "locale", "timeZone", "data"] as const;
const givenFields = (fields: SubscriberFields) => FIELD_NAMES.filter((f) => fields[f] !== undefined);

/** PUT: creates the subscriber (201) or updates the fields given (200). */
export async function identifySubscriber(token: TokenPrincipal, externalId: string, fields: SubscriberFields) {
  const appId = appOf(token);
  const [row] = await withTransaction((tx) => upsertSubscribers(tx, { appId, given: givenFields(fields), rows: [{ externalId, ...fields }] }));
  return { created: row.created, subscriber: toSubscriberDTO(row) };
}

/** Up to 1,000 in one transaction; every row names the fields it sets (the union is applied to all). */
export async function identifySubscribers(token: TokenPrincipal, subscribers: BulkSubscriberInput[]) {
  const appId = appOf(token);
  const groups = new Map<string, BulkSubscriberInput[]>();
  for (const s of subscribers) {
    const key = givenFields(s).join(",");
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const rows = await withTransaction(async (tx) => {
    const out = new Map<string, SubscriberRow & { created: boolean }>();
    // Rows that set the same fields share one statement; a field one row leaves out is kept for it.
    for (const group of groups.values()) {
      for (const r of await upsertSubscribers(tx, { appId, given: givenFields(group[0]), rows: group })) out.set(r.externalId, r);
    }
    return subscribers.map((s) => out.get(s.externalId)!);
  });
  const created = rows.filter((r) => r.created).length;
  return { created, updated: rows.length - created, items: rows.map(toSubscriberDTO) };
}

export async function readSubscriber(token: TokenPrincipal, externalId: string) {
  const row = await getSubscriber(db, { appId: appOf(token), externalId });
  if (!row) throw notFound("Subscriber");
  return toSubscriberDTO(row);
}

/** GDPR erasure: the subscriber and everything of theirs, in one transaction. */
export async function eraseSubscriber(token: TokenPrincipal, externalId: string) {
  const appId = appOf(token);
  const id = await withTransaction((tx) => deleteSubscriber(tx, { appId, externalId }));
  if (!id) throw notFound("Subscriber");
}

/**
 * Recipients of an app token's send, as the host knows them: each an external id or an object
 * that also identifies them. Unknown ones are created on the spot (inline identify), in the
 * sender's transaction. Returns the subscribers in the order given, each once.
 */
export async function resolveSubscribers(tx: DatabaseOrTransaction, appId: string, given: (string | SubscriberValues)[]) {
  const asValues = given.map((g) => (typeof g === "string" ? { externalId: g } : g));
  const groups = new Map<string, SubscriberValues[]>();
  const seen = new Set<string>();
  for (const v of asValues) {
    if (seen.has(v.externalId)) continue;
    seen.add(v.externalId);
    const key = givenFields(v as SubscriberFields).join(",");
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const byExternal = new Map<string, SubscriberRow>();
  for (const group of groups.values()) {
    for (const r of await upsertSubscribers(tx, { appId, given: givenFields(group[0] as SubscriberFields), rows: group })) byExternal.set(r.externalId, r);
  }
  return [...seen].map((e) => byExternal.get(e)!);
}
