import { and, asc, desc, eq, gt, ilike, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { clientOf, prepared, type DatabaseOrTransaction } from "@/db";
import { ROW, toRow } from "@/db/queries/delivery";
import { itemIdsOf } from "@/db/queries/inbox";
import { MESSAGE_CATEGORY, ROOM_ID_SQL_KEY } from "@/lib/notifications/kinds/message";
import type { BatchAction } from "@/lib/validations/notifications";
import {
  apiTokens,
  notificationCounters,
  notifications,
  users,
  type NewNotification,
  type Notification,
  type NotificationCategory,
  type NotificationPriority,
} from "@/db/schema";

const actor = alias(users, "actor");
const sourceToken = alias(apiTokens, "source_token");

/** Columns of a notification plus its actor's public fields and its token's name: what the DTO is built from. */
export const notificationWithActor = {
  id: notifications.id,
  userId: notifications.userId,
  seq: notifications.seq,
  category: notifications.category,
  priority: notifications.priority,
  title: notifications.title,
  body: notifications.body,
  actionUrl: notifications.actionUrl,
  actionLabel: notifications.actionLabel,
  sourceTokenId: notifications.sourceTokenId,
  subjectType: notifications.subjectType,
  subjectId: notifications.subjectId,
  metadata: notifications.metadata,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
  archivedAt: notifications.archivedAt,
  expiresAt: notifications.expiresAt,
  groupKey: notifications.groupKey,
  seenAt: notifications.seenAt,
  snoozedUntil: notifications.snoozedUntil,
  clickedAt: notifications.clickedAt,
  source: notifications.source,
  actorId: actor.id,
  actorName: actor.name,
  sourceTokenName: sourceToken.name,
};
export type NotificationRow = Omit<Notification, "search"> & { actorName: string | null; sourceTokenName: string | null };

/** Expired notifications are hidden everywhere at once, before the cleanup job deletes them. */
export const notExpired = () => or(isNull(notifications.expiresAt), gt(notifications.expiresAt, sql`now()`))!;
const unread = () => and(isNull(notifications.readAt), isNull(notifications.archivedAt))!;

/**
 * The condition of a multi-row UPDATE or DELETE: its rows, locked first and in id order. A
 * statement's own scan locks rows in plan order, so two of them over the same rows ("mark all read"
 * in one tab, a batch archive in another) could each hold a row the other waits for.
 */
function lockedInIdOrder(db: DatabaseOrTransaction, where: SQL | undefined) {
  const rows = db.select({ id: notifications.id }).from(notifications).where(where).orderBy(asc(notifications.id)).for("update");
  return inArray(notifications.id, rows);
}

function selectWithActor(db: DatabaseOrTransaction) {
  return db
    .select(notificationWithActor)
    .from(notifications)
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .leftJoin(sourceToken, eq(sourceToken.id, notifications.sourceTokenId));
}

// Every column a writer may set, in one fixed statement: it is prepared once per connection (the
// server parses and plans it once), and the row comes back joined to its actor and token, so there is
// no read-back query. Unset fields take the schema's defaults.
const INSERT_SQL = `
  with n as (
    insert into notifications (user_id, category, priority, title, body, action_url, action_label, actor_id, source_token_id,
                               subject_type, subject_id, metadata, created_at, read_at, archived_at, expires_at, group_key,
                               seen_at, snoozed_until, clicked_at, source, actor_name)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, coalesce($13::timestamptz, now()), $14, $15, $16, $17,
            $18, $19, $20, $21, $22)
    returning *
  )
  select ${ROW} from n left join users a on a.id = n.actor_id left join api_tokens t on t.id = n.source_token_id`;

const stampParam = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** A field the writer left out: the column's default from the schema (one source of truth). */
const orDefault = <T>(value: T | undefined, column: { default: unknown }) => (value ?? column.default) as T;

/**
 * Inserts a notification and returns it as the DTO is built from, actor and token names included, in
 * ONE prepared statement: one round trip, and atomic on its own (or part of the transaction `db` is).
 */
export async function insertNotification(db: DatabaseOrTransaction, v: NewNotification): Promise<NotificationRow> {
  const [raw] = await clientOf(db).unsafe<Record<string, unknown>[]>(
    INSERT_SQL,
    [
      v.userId, orDefault(v.category, notifications.category), orDefault(v.priority, notifications.priority), v.title,
      orDefault(v.body, notifications.body), v.actionUrl ?? null, v.actionLabel ?? null, v.actorId ?? null, v.sourceTokenId ?? null,
      v.subjectType ?? null, v.subjectId ?? null, JSON.stringify(orDefault(v.metadata, notifications.metadata)),
      stampParam(v.createdAt), stampParam(v.readAt), stampParam(v.archivedAt), stampParam(v.expiresAt), v.groupKey ?? null,
      stampParam(v.seenAt), stampParam(v.snoozedUntil), stampParam(v.clickedAt), orDefault(v.source, notifications.source), v.actorName ?? null,
    ],
    { prepare: prepared() },
  );
  return toRow(raw);
}

export async function getNotificationForUser(db: DatabaseOrTransaction, id: number, userId: string) {
  const [row] = await selectWithActor(db).where(and(eq(notifications.id, id), eq(notifications.userId, userId), notExpired()));
  return row ?? null;
}

/** Unread, unarchived, unexpired: from the counter the triggers keep (herald_unread_count, db/migrations/0010). */
export async function countUnread(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db.execute<{ n: number }>(sql`select herald_unread_count(${userId}) as n`);
  return Number(row.n);
}

export type StateChange = { read?: boolean; archived?: boolean };

function stateSet(change: StateChange) {
  const set: Partial<Record<"readAt" | "archivedAt", SQL | null>> = {};
  if (change.read !== undefined) set.readAt = change.read ? sql`coalesce(${notifications.readAt}, now())` : null;
  if (change.archived !== undefined) {
    set.archivedAt = change.archived ? sql`coalesce(${notifications.archivedAt}, now())` : null;
  }
  return set;
}

/** Applies read/archived to one of the user's notifications; false if there is no such notification. */
export async function updateNotificationState(db: DatabaseOrTransaction, id: number, userId: string, change: StateChange) {
  const rows = await db
    .update(notifications)
    .set(stateSet(change))
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), notExpired()))
    .returning({ id: notifications.id });
  return rows.length > 0;
}

export async function deleteNotificationForUser(db: DatabaseOrTransaction, id: number, userId: string) {
  const rows = await db
    .delete(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), notExpired()))
    .returning({ id: notifications.id });
  return rows.length > 0;
}

/** Marks every unread one read, up to `upToId` when given (never what arrived after the click). */
export async function markAllReadForUser(db: DatabaseOrTransaction, userId: string, upToId?: number) {
  const where = [eq(notifications.userId, userId), isNull(notifications.readAt), notExpired()];
  if (upToId) where.push(lte(notifications.id, upToId));
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(lockedInIdOrder(db, and(...where)))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

export type { BatchAction };

/**
 * One statement for the whole batch; ids that are not the user's are ignored. An id stands for its
 * item: a grouped one's whole class (db/queries/inbox.ts). Returns the ids changed.
 */
export async function batchUpdateForUser(db: DatabaseOrTransaction, userId: string, ids: number[], action: BatchAction) {
  if (ids.length === 0) return [];
  const mine = and(eq(notifications.userId, userId), inArray(notifications.id, itemIdsOf(ids, userId)));
  if (action === "delete") {
    // Expired rows count as gone already (the cleanup job deletes them), so they are not "updated".
    const deleted = await db.delete(notifications).where(lockedInIdOrder(db, and(mine, notExpired()))).returning({ id: notifications.id });
    return deleted.map((r) => r.id);
  }
  const change: StateChange =
    action === "read" ? { read: true } : action === "unread" ? { read: false } : { archived: action === "archive" };
  // Only rows whose state actually changes, so `updated` counts real changes and no empty events fire.
  const changes =
    action === "read"
      ? isNull(notifications.readAt)
      : action === "unread"
        ? isNotNull(notifications.readAt)
        : action === "archive"
          ? isNull(notifications.archivedAt)
          : isNotNull(notifications.archivedAt);
  const rows = await db
    .update(notifications)
    .set(stateSet(change))
    .where(lockedInIdOrder(db, and(mine, notExpired(), changes)))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

/** Several notifications in ONE statement (the service API's fan-out to up to 1,000 users). */
// The insert trigger locks each recipient's users row in insertion order (migration 0001), so the
// rows go in sorted by user id: the one order every writer takes users locks in (migration 0007).
// Two broadcasts with the same recipients in opposite orders would otherwise deadlock. Callers
// match the returned rows to recipients by userId, not by position.
export async function insertNotifications(db: DatabaseOrTransaction, values: NewNotification[]) {
  if (values.length === 0) return [];
  const key = (v: NewNotification) => v.userId.toLowerCase();
  const sorted = [...values].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return db.insert(notifications).values(sorted).returning({ id: notifications.id, userId: notifications.userId });
}

/** One notification created by this service token (and not expired); null otherwise. */
export async function getNotificationForToken(db: DatabaseOrTransaction, id: number, tokenId: string) {
  const [row] = await selectWithActor(db).where(
    and(eq(notifications.id, id), eq(notifications.sourceTokenId, tokenId), notExpired()),
  );
  return row ?? null;
}

/** Archives every notification not yet archived, up to `upToId` when given. Returns the ids changed (for Undo). */
export async function archiveAllForUser(db: DatabaseOrTransaction, userId: string, upToId?: number) {
  const where = [eq(notifications.userId, userId), isNull(notifications.archivedAt), notExpired()];
  if (upToId) where.push(lte(notifications.id, upToId));
  const rows = await db
    .update(notifications)
    .set({ archivedAt: sql`now()` })
    .where(lockedInIdOrder(db, and(...where)))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

const roomIdOf = sql<string>`${notifications.metadata}->>${sql.raw(ROOM_ID_SQL_KEY)}`;

/** Unread message notifications per chat room, for the conversation list. */
export async function countUnreadByRoom(db: DatabaseOrTransaction, userId: string) {
  const rows = await db
    .select({ roomId: roomIdOf, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.category, MESSAGE_CATEGORY), unread(), notExpired()))
    .groupBy(roomIdOf);
  return new Map(rows.filter((r) => r.roomId).map((r) => [r.roomId, r.n]));
}

/** Marks read the user's unread message notifications of one room (opening the room reads them). */
export async function markRoomNotificationsRead(db: DatabaseOrTransaction, { userId, roomId }: { userId: string; roomId: string }) {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      lockedInIdOrder(
        db,
        and(eq(notifications.userId, userId), eq(notifications.category, MESSAGE_CATEGORY), isNull(notifications.readAt), sql`${roomIdOf} = ${roomId}`),
      ),
    )
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

/**
 * The counts and the user's change number, read by ONE statement and so from one snapshot:
 * the number says exactly which changes the count includes (a page renders both, and its stream
 * resumes from that number).
 */
export async function countUnreadWithSeq(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db
    .select({
      seq: sql<number>`coalesce(${notificationCounters.seq}, 0)`.mapWith(Number),
      unreadCount: sql<number>`herald_unread_count(${users.id})`.mapWith(Number),
      unseenCount: sql<number>`herald_unseen_count(${users.id})`.mapWith(Number),
    })
    .from(users)
    .leftJoin(notificationCounters, eq(notificationCounters.userId, users.id))
    .where(eq(users.id, userId));
  return row ? { seq: row.seq, unreadCount: Math.max(0, Number(row.unreadCount)), unseenCount: Math.max(0, Number(row.unseenCount)) } : null;
}
