import type postgres from "postgres";
import type { NotificationRow } from "@/db/queries/notifications";

// Reads for live delivery and resume. They take postgres.js directly: they join per-user seq ranges
// passed as parallel arrays through unnest(), which keeps one round trip for any number of users.

/** Changes of one user with lo < seq <= hi. Every number in such a range is committed. */
export type SeqRange = { userId: string; lo: number; hi: number };

export type Change =
  | { kind: "created"; userId: string; seq: number; row: NotificationRow }
  | { kind: "update" | "delete"; userId: string; seq: number; ids: string[]; row: NotificationRow | null };

// The columns of NotificationRow, from `n` (notifications) and `a` (its actor).
const ROW_COLUMNS = `
  n.id::text as "id", n.user_id as "userId", n.seq::text as "seq", n.category, n.priority, n.title, n.body,
  n.action_url as "actionUrl", n.action_label as "actionLabel", n.source_token_id as "sourceTokenId",
  n.subject_type as "subjectType", n.subject_id as "subjectId", n.metadata, n.created_at as "createdAt",
  n.read_at as "readAt", n.archived_at as "archivedAt", n.expires_at as "expiresAt",
  a.id as "actorId", a.name as "actorName"`;

type Stamp = Date | string | null;
type RawRow = Omit<NotificationRow, "id" | "seq" | "createdAt" | "readAt" | "archivedAt" | "expiresAt"> & {
  id: string;
  seq: string;
  createdAt: Stamp;
  readAt: Stamp;
  archivedAt: Stamp;
  expiresAt: Stamp;
};

// The shared pool leaves timestamps as text (drizzle's postgres-js driver turns off date parsing).
const stamp = (v: Stamp) => (v === null ? null : v instanceof Date ? v : new Date(v));

function toRow(raw: RawRow): NotificationRow {
  return {
    ...raw,
    id: Number(raw.id),
    seq: Number(raw.seq),
    createdAt: stamp(raw.createdAt)!,
    readAt: stamp(raw.readAt),
    archivedAt: stamp(raw.archivedAt),
    expiresAt: stamp(raw.expiresAt),
  };
}

function rangeParams(ranges: SeqRange[]) {
  return [ranges.map((r) => r.userId), ranges.map((r) => String(r.lo)), ranges.map((r) => String(r.hi))];
}

/**
 * Every change in the given ranges, ordered by user then seq: created notifications (current state)
 * and the update/delete log. A one-row update carries the row's current state (null once deleted).
 */
export async function readChanges(sql: postgres.Sql, ranges: SeqRange[]): Promise<Change[]> {
  if (ranges.length === 0) return [];
  const [users, los, his] = rangeParams(ranges);
  const [created, logged] = await Promise.all([
    sql.unsafe<RawRow[]>(
      `select ${ROW_COLUMNS}
         from unnest($1::uuid[], $2::int8[], $3::int8[]) as r(user_id, lo, hi)
         join notifications n on n.user_id = r.user_id and n.seq > r.lo and n.seq <= r.hi
         left join users a on a.id = n.actor_id`,
      [users, los, his],
    ),
    sql.unsafe<(Partial<RawRow> & { cUser: string; cSeq: string; op: "update" | "delete"; ids: string[] })[]>(
      `select c.user_id as "cUser", c.seq::text as "cSeq", c.op, c.ids::text[] as ids, ${ROW_COLUMNS}
         from unnest($1::uuid[], $2::int8[], $3::int8[]) as r(user_id, lo, hi)
         join notification_changes c on c.user_id = r.user_id and c.seq > r.lo and c.seq <= r.hi
         left join notifications n on c.op = 'update' and cardinality(c.ids) = 1 and n.id = c.ids[1]
         left join users a on a.id = n.actor_id`,
      [users, los, his],
    ),
  ]);
  const changes: Change[] = created.map((raw) => ({ kind: "created", userId: raw.userId, seq: Number(raw.seq), row: toRow(raw) }));
  for (const c of logged) {
    const row = c.id ? toRow(c as RawRow) : null;
    changes.push({ kind: c.op, userId: c.cUser, seq: Number(c.cSeq), ids: c.ids, row });
  }
  return changes.sort((a, b) => (a.userId === b.userId ? a.seq - b.seq : a.userId < b.userId ? -1 : 1));
}

/** The last number handed out to each user (users absent from the table are absent from the map). */
export async function readCurrentSeqs(sql: postgres.Sql, userIds: string[]): Promise<Map<string, number>> {
  const seqs = new Map<string, number>();
  if (userIds.length === 0) return seqs;
  const rows = await sql.unsafe<{ id: string; seq: string }[]>(
    `select id, notification_seq::text as seq from users where id = any($1::uuid[])`,
    [userIds],
  );
  for (const r of rows) seqs.set(r.id, Number(r.seq));
  return seqs;
}
