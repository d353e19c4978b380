import { sql, type SQL } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { CLASS, GROUP_COLUMNS, GROUP_JOIN, ROW, toItemRow } from "@/db/queries/delivery";
import type { NotificationRow } from "@/db/queries/notifications";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";

// The inbox as items. A row with a group key shows with the newest of its class: the members of its
// group in the same state (read_at, archived_at and snoozed_until all equal). So the unread members
// of a group are ONE item, and so are the members read (or archived, or snoozed) by one action;
// the triggers count a group with unread members once (db/migrations/0012).

/** What an item adds to its row: how many members its class has, up to three actors, the newest time. */
export type GroupInfo = { groupCount: number; groupActors: { id: string; name: string }[]; groupLatestAt: Date };
export type ItemRow = NotificationRow & Partial<GroupInfo>;

export type ItemStatus = "unread" | "read" | "all" | "archived" | "snoozed";
export type ItemFilter = {
  userId: string;
  limit: number;
  status?: ItemStatus;
  category?: NotificationCategory;
  priority?: NotificationPriority;
  /** Only this group's rows, one by one (the expander). */
  groupKey?: string;
  beforeId?: number;
  afterId?: number;
};

const alive = (a: string) => sql.raw(`(${a}.expires_at is null or ${a}.expires_at > now())`);

/** `m` is in the class of `n`: same user and group, same state, not expired. */
const sameClass = (m: string) => sql.raw(CLASS(m));

function statusSql(a: string, status: ItemStatus): SQL {
  switch (status) {
    case "unread":
      return sql.raw(`${a}.read_at is null and ${a}.archived_at is null and ${a}.snoozed_until is null`);
    case "read":
      return sql.raw(`${a}.read_at is not null and ${a}.archived_at is null and ${a}.snoozed_until is null`);
    case "archived":
      return sql.raw(`${a}.archived_at is not null`);
    case "snoozed":
      return sql.raw(`${a}.snoozed_until is not null and ${a}.archived_at is null`);
    default:
      return sql.raw(`${a}.archived_at is null and ${a}.snoozed_until is null`);
  }
}

/** The filters of a list, on alias `a` (the rows listed, and the members a head is chosen among). */
function filterSql(a: string, f: ItemFilter): SQL {
  const parts: SQL[] = [sql.raw(`${a}.user_id = `), sql`${f.userId}`, sql.raw(` and `), alive(a), sql.raw(" and "), statusSql(a, f.status ?? "all")];
  if (f.category) parts.push(sql.raw(` and ${a}.category = `), sql`${f.category}`);
  if (f.priority) parts.push(sql.raw(` and ${a}.priority = `), sql`${f.priority}`);
  if (f.groupKey) parts.push(sql.raw(` and ${a}.group_key = `), sql`${f.groupKey}`);
  return sql.join(parts, sql``);
}

const SELECT_ITEM = sql.raw(`select ${ROW}${GROUP_COLUMNS}
  from notifications n
  left join users a on a.id = n.actor_id
  left join api_tokens t on t.id = n.source_token_id
  ${GROUP_JOIN}`);

/**
 * A page of items, newest first (oldest first with `afterId`). A grouped row is listed only when
 * no newer row of its class passes the same filters; with `groupKey` every member is listed.
 */
export async function listItemsForUser(db: DatabaseOrTransaction, f: ItemFilter): Promise<ItemRow[]> {
  const where: SQL[] = [filterSql("n", f)];
  if (!f.groupKey) {
    where.push(sql`(n.group_key is null or not exists (select 1 from notifications h where ${sameClass("h")} and h.id > n.id and ${filterSql("h", f)}))`);
  }
  if (f.beforeId) where.push(sql`n.id < ${f.beforeId}`);
  if (f.afterId) where.push(sql`n.id > ${f.afterId}`);
  const order = f.afterId ? sql.raw("n.id asc") : sql.raw("n.id desc");
  const rows = await db.execute<Record<string, unknown>>(
    sql`${SELECT_ITEM} where ${sql.join(where, sql` and `)} order by ${order} limit ${f.limit}`,
  );
  return rows.map(toItemRow);
}

/** One of the user's notifications as an item (its class's size and actors); null if absent or expired. */
export async function getItemForUser(db: DatabaseOrTransaction, id: number, userId: string): Promise<ItemRow | null> {
  const rows = await db.execute<Record<string, unknown>>(
    sql`${SELECT_ITEM} where n.id = ${id} and n.user_id = ${userId} and ${alive("n")}`,
  );
  return rows[0] ? toItemRow(rows[0]) : null;
}

/** The ids an item stands for: the row and, when grouped, the rest of its class. */
export const itemIds = (id: number, userId: string) =>
  sql`(select m.id from notifications n join notifications m on m.id = n.id or (n.group_key is not null and ${sameClass("m")})
        where n.id = ${id} and n.user_id = ${userId} and ${alive("n")})`;

/** The ids these items stand for (each with the rest of its class when grouped): what a batch acts on. */
export const itemIdsOf = (ids: number[], userId: string) =>
  sql`(select m.id from notifications n join notifications m on m.id = n.id or (n.group_key is not null and ${sameClass("m")})
        where n.id in ${ids} and n.user_id = ${userId})`;

/** The user's counts as the badge and the lists show them: items unread, and unread items unseen. */
export async function countItems(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db.execute<{ unread: number; unseen: number }>(
    sql`select herald_unread_count(${userId}) as unread, herald_unseen_count(${userId}) as unseen`,
  );
  return { unreadCount: Math.max(0, Number(row.unread)), unseenCount: Math.max(0, Number(row.unseen)) };
}

/**
 * `clicked`: its action was opened (click-through). It stamps clicked_at on the row the id names only
 * (the head whose action was followed, not the rest of its group), and only the first time.
 */
export type ItemChange = { read?: boolean; archived?: boolean; snoozedUntil?: string | null; clicked?: boolean };

function itemSet(change: ItemChange, id?: number): SQL {
  const set: SQL[] = [];
  if (change.clicked && id !== undefined) set.push(sql`clicked_at = case when id = ${id} then coalesce(clicked_at, now()) else clicked_at end`);
  if (change.read !== undefined) {
    set.push(change.read ? sql`read_at = coalesce(read_at, now()), seen_at = coalesce(seen_at, now())` : sql`read_at = null`);
  }
  if (change.archived !== undefined) set.push(change.archived ? sql`archived_at = coalesce(archived_at, now())` : sql`archived_at = null`);
  if (change.snoozedUntil !== undefined) set.push(sql`snoozed_until = ${change.snoozedUntil}::timestamptz`);
  return sql.join(set, sql`, `);
}

/** Row locks in id order (as lockedInIdOrder in notifications.ts), then the update. */
const lockThenUpdate = (ids: SQL, set: SQL) =>
  sql`update notifications set ${set} where id in (select id from notifications where id in ${ids} order by id for update) returning id`;

/** Applies a change to the item `id` stands for (all of its class); the ids changed, [] if there is no such item. */
export async function updateItemForUser(db: DatabaseOrTransaction, id: number, userId: string, change: ItemChange) {
  const rows = await db.execute<{ id: string }>(lockThenUpdate(itemIds(id, userId), itemSet(change, id)));
  return rows.map((r) => Number(r.id));
}

export async function deleteItemForUser(db: DatabaseOrTransaction, id: number, userId: string) {
  const ids = itemIds(id, userId);
  const rows = await db.execute<{ id: string }>(
    sql`delete from notifications where id in (select id from notifications where id in ${ids} order by id for update) returning id`,
  );
  return rows.map((r) => Number(r.id));
}

/** Marks seen the user's unread, unseen rows up to `upTo` (what the bell or inbox showed). */
export async function markSeenForUser(db: DatabaseOrTransaction, userId: string, upTo?: number) {
  const upToSql = upTo ? sql` and id <= ${upTo}` : sql``;
  const rows = await db.execute<{ id: string }>(
    lockThenUpdate(
      sql`(select id from notifications where user_id = ${userId} and seen_at is null and read_at is null and archived_at is null${upToSql})`,
      sql`seen_at = now()`,
    ),
  );
  return rows.map((r) => Number(r.id));
}

/**
 * A snooze's wake-up: every row of its user snoozed to the same time comes back together, unread
 * and unseen (the triggers record one `resurface` change for them). Nothing when the snooze was
 * changed or lifted since, so a job that runs twice, or late, changes nothing.
 */
export async function wakeSnoozed(db: DatabaseOrTransaction, { id, until }: { id: number; until: string }) {
  const rows = await db.execute<{ id: string }>(
    lockThenUpdate(
      sql`(select m.id from notifications n join notifications m on m.user_id = n.user_id and m.snoozed_until = n.snoozed_until
            where n.id = ${id} and n.snoozed_until = ${until}::timestamptz and n.snoozed_until <= now())`,
      sql`snoozed_until = null, read_at = null, seen_at = null`,
    ),
  );
  return rows.map((r) => Number(r.id));
}

/** The members of these groups that `action` changes (by state, as a batch of ids would). */
export function groupMembers(userId: string, groupKeys: string[], action: "read" | "unread" | "archive" | "unarchive" | "delete", upTo?: number) {
  const state = {
    read: "read_at is null",
    unread: "read_at is not null",
    archive: "archived_at is null",
    unarchive: "archived_at is not null",
    delete: "true",
  }[action];
  const upToSql = upTo ? sql` and id <= ${upTo}` : sql``;
  return sql`(select id from notifications where user_id = ${userId} and group_key in ${groupKeys} and ${sql.raw(state)}
              and (expires_at is null or expires_at > now())${upToSql})`;
}

export async function changeGroupsForUser(
  db: DatabaseOrTransaction,
  userId: string,
  groupKeys: string[],
  action: "read" | "unread" | "archive" | "unarchive" | "delete",
  upTo?: number,
) {
  const ids = groupMembers(userId, groupKeys, action, upTo);
  const change: ItemChange =
    action === "read" ? { read: true } : action === "unread" ? { read: false } : { archived: action === "archive" };
  const statement =
    action === "delete"
      ? sql`delete from notifications where id in (select id from notifications where id in ${ids} order by id for update) returning id`
      : lockThenUpdate(ids, itemSet(change));
  const rows = await db.execute<{ id: string }>(statement);
  return rows.map((r) => Number(r.id));
}
