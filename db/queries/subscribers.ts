import { and, eq, inArray, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { users } from "@/db/schema";

/** What may leave the database about a subscriber. */
export const subscriberColumns = {
  id: users.id,
  externalId: sql<string>`${users.externalId}`,
  email: users.email,
  name: users.name,
  avatarUrl: users.avatarUrl,
  locale: users.locale,
  timeZone: users.timeZone,
  data: users.data,
  createdAt: users.createdAt,
};

export type SubscriberRow = {
  id: string;
  externalId: string;
  email: string | null;
  name: string;
  avatarUrl: string | null;
  locale: string | null;
  timeZone: string | null;
  data: unknown;
  createdAt: Date;
};

export type SubscriberValues = {
  externalId: string;
  email?: string | null;
  name?: string | null;
  avatarUrl?: string | null;
  locale?: string | null;
  timeZone?: string | null;
  data?: Record<string, unknown> | null;
};

const FIELDS = ["email", "name", "avatarUrl", "locale", "timeZone", "data"] as const;
const COLUMN: Record<(typeof FIELDS)[number], string> = {
  email: "email",
  name: "name",
  avatarUrl: "avatar_url",
  locale: "locale",
  timeZone: "time_zone",
  data: "data",
};

/**
 * Creates or updates subscribers of one app in one statement. A field left out keeps its value on
 * update (the list of fields is the same for every row, so `given` names them); `name` falls back
 * to the external id. Rows come back in the order given, `created` telling new from old.
 */
export async function upsertSubscribers(
  db: DatabaseOrTransaction,
  params: { appId: string; given: (typeof FIELDS)[number][]; rows: SubscriberValues[] },
): Promise<(SubscriberRow & { created: boolean })[]> {
  if (params.rows.length === 0) return [];
  const values = params.rows.map(
    (r) =>
      sql`(${r.externalId}, ${r.email ?? null}, ${r.name ?? null}, ${r.avatarUrl ?? null}, ${r.locale ?? null}, ${r.timeZone ?? null}, ${r.data == null ? null : JSON.stringify(r.data)}::jsonb)`,
  );
  // The app vouches for the addresses it gives: they count as verified (email and digests go there).
  const updates = params.given.map((f) =>
    f === "name"
      ? sql.raw(`name = coalesce(excluded.name, users.external_id)`)
      : f === "email"
        ? sql.raw(`email = excluded.email, email_verified_at = excluded.email_verified_at`)
        : sql.raw(`${COLUMN[f]} = excluded.${COLUMN[f]}`),
  );
  // Nothing to change for existing rows: no write (no lock, no dead tuple); they are read below.
  const onConflict = updates.length ? sql`do update set ${sql.join(updates, sql`, `)}` : sql`do nothing`;
  const result = await db.execute<{
    id: string;
    external_id: string;
    email: string | null;
    name: string;
    avatar_url: string | null;
    locale: string | null;
    time_zone: string | null;
    data: unknown;
    created_at: Date | string;
    created: boolean;
  }>(sql`
    insert into users (app_id, external_id, email, email_verified_at, name, avatar_url, locale, time_zone, data)
    select ${params.appId}::uuid, v.external_id, v.email, case when v.email is not null then now() end,
           coalesce(v.name, v.external_id), v.avatar_url, v.locale, v.time_zone, v.data
      from (values ${sql.join(values, sql`, `)}) as v(external_id, email, name, avatar_url, locale, time_zone, data)
     order by v.external_id
    on conflict (app_id, external_id) where app_id is not null ${onConflict}
    returning id, external_id, email, name, avatar_url, locale, time_zone, data, created_at, (xmax = 0) as created`);
  const byExternal = new Map(
    [...result].map((r) => [
      r.external_id,
      {
        id: r.id,
        externalId: r.external_id,
        email: r.email,
        name: r.name,
        avatarUrl: r.avatar_url,
        locale: r.locale,
        timeZone: r.time_zone,
        data: r.data,
        createdAt: new Date(r.created_at),
        created: r.created,
      },
    ]),
  );
  const missing = params.rows.map((r) => r.externalId).filter((e) => !byExternal.has(e));
  if (missing.length) {
    const existing = await db
      .select(subscriberColumns)
      .from(users)
      .where(and(eq(users.appId, params.appId), inArray(users.externalId, missing)));
    for (const r of existing) byExternal.set(r.externalId, { ...r, created: false });
  }
  return params.rows.map((r) => byExternal.get(r.externalId)!);
}

export async function getSubscriber(db: DatabaseOrTransaction, params: { appId: string; externalId: string }): Promise<SubscriberRow | null> {
  const [row] = await db
    .select(subscriberColumns)
    .from(users)
    .where(and(eq(users.appId, params.appId), eq(users.externalId, params.externalId)));
  return row ?? null;
}

export async function getSubscriberById(db: DatabaseOrTransaction, params: { appId: string; id: string }): Promise<SubscriberRow | null> {
  const [row] = await db
    .select(subscriberColumns)
    .from(users)
    .where(and(eq(users.appId, params.appId), eq(users.id, params.id)));
  return row ?? null;
}

/**
 * Erases the subscriber: the row and, by ON DELETE CASCADE in the same statement, their
 * notifications, deliveries, push subscriptions, preferences and counters.
 */
export async function deleteSubscriber(db: DatabaseOrTransaction, params: { appId: string; externalId: string }) {
  const rows = await db
    .delete(users)
    .where(and(eq(users.appId, params.appId), eq(users.externalId, params.externalId)))
    .returning({ id: users.id });
  return rows[0]?.id ?? null;
}
