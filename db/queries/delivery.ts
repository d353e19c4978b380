import type postgres from "postgres";
import { prepared } from "@/db";
import type { ItemRow } from "@/db/queries/inbox";
import type { NotificationRow } from "@/db/queries/notifications";
import type { UserPreferences } from "@/db/schema";

// Reads for live delivery and resume. They take postgres.js directly: any number of users' ranges
// go in as parallel arrays through unnest() (one bind parameter each, whatever the count), and one
// round of delivery is ONE statement (prepared once per connection while it is small): the changes,
// each user's unread count and preferences.

/** Changes of one user with after < seq <= upTo. Every number in such a range is committed. */
export type SeqRange = { userId: string; after: number; upTo: number; withPreferences?: boolean };

export type Change =
  | { kind: "created"; userId: string; seq: number; row: ItemRow }
  | { kind: "update" | "delete"; userId: string; seq: number; ids: string[]; row: ItemRow | null }
  /** Rows back from a snooze: announced like new ones, with `row` the newest of them. */
  | { kind: "resurface"; userId: string; seq: number; ids: string[]; row: ItemRow | null };

/** A user's counts: items unread, and unread items not yet seen (the badge). */
export type Counts = { unreadCount: number; unseenCount: number };

export type Round = {
  /** By user, then seq. */
  changes: Change[];
  counts: Map<string, Counts>;
  /** Each user's last number handed out, in the same snapshot as the changes. */
  current: Map<string, number>;
  /** Only for ranges asked `withPreferences`; null when the user never saved any. */
  preferences: Map<string, UserPreferences | null>;
  /** Each user's earliest expiry of an unread row (epoch ms; Infinity: none). */
  nextExpiry: Map<string, number>;
  /** The snapshot the round read in. */
  snapshot: Snapshot | null;
};

// The columns of NotificationRow, from `n` (notifications), `a` (its actor) and `t` (its service token).
const ROW_COLUMNS: [string, string][] = [
  ["id", "n.id::text"], ["userId", "n.user_id"], ["seq", "n.seq::text"], ["category", "n.category"],
  ["priority", "n.priority"], ["title", "n.title"], ["body", "n.body"], ["actionUrl", "n.action_url"],
  ["actionLabel", "n.action_label"], ["sourceTokenId", "n.source_token_id"], ["subjectType", "n.subject_type"],
  ["subjectId", "n.subject_id"], ["metadata", "n.metadata"], ["createdAt", "n.created_at"], ["readAt", "n.read_at"],
  ["archivedAt", "n.archived_at"], ["expiresAt", "n.expires_at"], ["groupKey", "n.group_key"], ["seenAt", "n.seen_at"],
  ["snoozedUntil", "n.snoozed_until"], ["clickedAt", "n.clicked_at"], ["source", "n.source"], ["actorId", "a.id"], ["actorName", "a.name"],
  ["sourceTokenName", "t.name"],
];
export const ROW = ROW_COLUMNS.map(([alias, expr]) => `${expr} as "${alias}"`).join(", ");
const NO_ROW = ROW_COLUMNS.map(([alias]) => `null as "${alias}"`).join(", ");

// Every branch reads rows of the range's own user only (n.user_id = r.user_id / c.user_id): a row a
// program moved to someone else since the change was recorded is no longer this user's to see.
// Counts are herald_counts (db/migrations/0015), as for countUnread (db/queries/notifications.ts):
// not read, not archived, not expired; tests/delivery-updates.test.ts compares them with the rows.
// Joined LATERAL, it is inlined into the round's plan; `cur` is null for a user who no longer exists.
// A grouped row `n`'s class (its group's rows in the same state, db/queries/inbox.ts): its size, newest
// time and three latest actors. Rounds read them with new rows, so a new member updates its group's
// item in place.
export const GROUP_COLUMNS = `, g.gc as "groupCount", g.gl as "groupLatestAt", g.ga as "groupActors"`;
const NO_GROUP = `, null::int as "groupCount", null::timestamptz as "groupLatestAt", null::json as "groupActors"`;
export const CLASS = (m: string) => `${m}.user_id = n.user_id and ${m}.group_key = n.group_key and ${m}.read_at is not distinct from n.read_at
  and ${m}.archived_at is not distinct from n.archived_at and ${m}.snoozed_until is not distinct from n.snoozed_until
  and (${m}.expires_at is null or ${m}.expires_at > now())`;
export const GROUP_JOIN = `left join lateral (
    select count(*)::int as gc, max(m.created_at) as gl,
           (select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name) order by x.latest desc), '[]'::json)
              from (select u.id, u.name, max(m2.id) as latest from notifications m2 join users u on u.id = m2.actor_id
                     where ${CLASS("m2")} group by u.id, u.name order by latest desc limit 3) x) as ga
      from notifications m where n.group_key is not null and ${CLASS("m")}
    having n.group_key is not null
  ) g on true`;

// The earliest expiry among a user's unread rows, in epoch ms (null: none expires): until then the
// counter row alone is the count (lib/realtime/dispatch/wal-rows.ts). An index-only probe of the expiring index.
const NEXT_EXPIRY = (user: string) => `(select extract(epoch from min(x.expires_at)) * 1000 from notifications x
    where x.user_id = ${user} and x.read_at is null and x.archived_at is null and x.expires_at is not null)::float8 as nx`;

const ROUND_SQL = `
  with r(user_id, lo, hi, prefs) as (select * from unnest($1::uuid[], $2::int8[], $3::int8[], $4::text[]))
  select 'n' as k, n.user_id as u, n.seq::text as s, null as op, null::text[] as ids, ${ROW}${GROUP_COLUMNS}, null::int as unread, null::int as unseen, null::jsonb as prefs, null::text as cur, null::float8 as nx, null::text as snap
    -- OFFSET 0 keeps each branch a per-range index read, whatever the statistics say: joined flat,
    -- the planner may merge-join the whole table (working out every row's group before discarding the
    -- rows outside the ranges) or rescan the ranges for each row.
    from r cross join lateral (select * from notifications x where x.user_id = r.user_id and x.seq > r.lo and x.seq <= r.hi offset 0) n
    left join users a on a.id = n.actor_id
    left join api_tokens t on t.id = n.source_token_id
    ${GROUP_JOIN}
  union all
  select 'c', c.user_id, c.seq::text, c.op, c.ids::text[], ${ROW}${GROUP_COLUMNS}, null, null, null, null, null, null
    from r cross join lateral (select * from notification_changes y where y.user_id = r.user_id and y.seq > r.lo and y.seq <= r.hi offset 0) c
    left join notifications n on n.user_id = c.user_id
      and ((c.op = 'update' and cardinality(c.ids) = 1 and n.id = c.ids[1]) or (c.op = 'resurface' and n.id = c.ids[cardinality(c.ids)]))
    left join users a on a.id = n.actor_id
    left join api_tokens t on t.id = n.source_token_id
    ${GROUP_JOIN}
  union all
  select 'u', r.user_id, null, null, null, ${NO_ROW}${NO_GROUP}, k.unread, k.unseen,
    case when r.prefs = 't' then jsonb_build_object('row', (select to_jsonb(p) from user_preferences p where p.user_id = r.user_id)) end,
    k.seq::text, ${NEXT_EXPIRY("r.user_id")}, pg_current_snapshot()::text
    from r left join lateral herald_counts(r.user_id) k on true`;

type Stamp = Date | string | null;
type RawRow = {
  k: "n" | "c" | "u";
  u: string;
  s: string;
  op: "update" | "delete" | "resurface";
  ids: string[];
  unread: number;
  unseen: number;
  prefs: unknown;
  cur: string | null;
  nx: number | null;
  snap: string | null;
} & Record<
  string,
  unknown
>;

// The shared pool leaves timestamps as text (drizzle's postgres-js driver turns off date parsing).
const stamp = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));

export function toRow(raw: Record<string, unknown>): NotificationRow {
  return {
    ...(raw as unknown as NotificationRow),
    id: Number(raw.id),
    seq: Number(raw.seq),
    createdAt: stamp(raw.createdAt as Stamp)!,
    readAt: stamp(raw.readAt as Stamp),
    archivedAt: stamp(raw.archivedAt as Stamp),
    expiresAt: stamp(raw.expiresAt as Stamp),
    seenAt: stamp(raw.seenAt as Stamp),
    snoozedUntil: stamp(raw.snoozedUntil as Stamp),
    clickedAt: stamp(raw.clickedAt as Stamp),
  };
}

/** A row with its class's figures (groupCount, groupLatestAt, groupActors), as db/queries/inbox.ts reads items. */
export function toItemRow(raw: Record<string, unknown>): ItemRow {
  const row: ItemRow = toRow(raw);
  if (raw.groupCount === null || raw.groupCount === undefined) return row;
  const actors = raw.groupActors;
  row.groupCount = Number(raw.groupCount);
  row.groupLatestAt = stamp(raw.groupLatestAt as Stamp)!;
  row.groupActors = (typeof actors === "string" ? JSON.parse(actors) : actors) as ItemRow["groupActors"];
  return row;
}

/** A user_preferences row as JSON (snake_case) -> the shape drizzle gives, whatever its columns. */
function toPreferences(json: Record<string, unknown>): UserPreferences {
  const row = Object.fromEntries(Object.entries(json).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
  return { ...(row as UserPreferences), updatedAt: stamp(row.updatedAt as Stamp)! };
}

const sortByUserThenSeq = (a: Change, b: Change) => (a.userId === b.userId ? a.seq - b.seq : a.userId < b.userId ? -1 : 1);

/**
 * Rounds of up to this many users run as a prepared statement (parsed and planned once per
 * connection, most rounds are a handful of users). Larger ones are planned for their own size: once
 * PostgreSQL settles on the generic plan, it assumes a hundred users whatever the array holds.
 */
const PREPARED_ROUND_MAX = 64;

export async function readRound(sql: postgres.Sql, ranges: SeqRange[]): Promise<Round> {
  const round: Round = { changes: [], counts: new Map(), current: new Map(), preferences: new Map(), nextExpiry: new Map(), snapshot: null };
  if (ranges.length === 0) return round;
  const rows = await sql.unsafe<RawRow[]>(ROUND_SQL, [
    ranges.map((r) => r.userId),
    ranges.map((r) => String(r.after)),
    ranges.map((r) => String(r.upTo)),
    ranges.map((r) => (r.withPreferences ? "t" : "f")), // text: postgres.js mis-sends boolean arrays
  ] as never[], { prepare: prepared() && ranges.length <= PREPARED_ROUND_MAX });
  for (const raw of rows) {
    if (raw.k === "n") round.changes.push({ kind: "created", userId: raw.u, seq: Number(raw.s), row: toItemRow(raw) });
    else if (raw.k === "c") round.changes.push({ kind: raw.op, userId: raw.u, seq: Number(raw.s), ids: raw.ids, row: raw.id ? toItemRow(raw) : null });
    else {
      round.counts.set(raw.u, { unreadCount: Math.max(0, raw.unread), unseenCount: Math.max(0, raw.unseen) });
      if (raw.cur !== null) round.current.set(raw.u, Number(raw.cur));
      round.nextExpiry.set(raw.u, raw.nx === null ? Infinity : Number(raw.nx));
      if (raw.snap && !round.snapshot) round.snapshot = snapshotFrom(raw.snap);
      if (raw.prefs !== null) {
        const { row } = (typeof raw.prefs === "string" ? JSON.parse(raw.prefs) : raw.prefs) as { row: Record<string, unknown> | null };
        round.preferences.set(raw.u, row ? toPreferences(row) : null);
      }
    }
  }
  round.changes.sort(sortByUserThenSeq);
  return round;
}

/** One read of a replay: the changes up to `upTo` after the previous piece, about `bytes` as frames. */
export type ReplayPiece = { upTo: number; bytes: number; created: number };

// What a change costs as a frame, estimated from stored sizes without reading the values (octet_length
// of a TOASTed text reads its header only): the texts, the metadata, plus a fixed part for the event
// line, the cursor, the dates and the field names.
const FRAME_BYTES = `(600 + octet_length(n.title) + octet_length(n.body) + coalesce(octet_length(n.action_url), 0)
  + coalesce(octet_length(n.action_label), 0) + coalesce(octet_length(n.subject_type), 0)
  + coalesce(octet_length(n.subject_id), 0) + pg_column_size(n.metadata))::int8`;

// Pieces of about $4 bytes: a change goes into the piece its running total starts in, so a piece is
// at most $4 plus one change. Changes are grouped in order of seq, so pieces are contiguous ranges.
// The running total is cast back to int8 (sum() of int8 is numeric): the division must be an integer one.
const PIECES_SQL = `
  with s(seq, b, created) as (
    select n.seq, ${FRAME_BYTES}, 1
      from notifications n where n.user_id = $1 and n.seq > $2 and n.seq <= $3
    union all
    select c.seq, 200 + 24 * cardinality(c.ids)::int8 + coalesce(${FRAME_BYTES}, 0), 0
      from notification_changes c
      left join notifications n on (c.op = 'update' and cardinality(c.ids) = 1 and n.id = c.ids[1]) or (c.op = 'resurface' and n.id = c.ids[cardinality(c.ids)])
     where c.user_id = $1 and c.seq > $2 and c.seq <= $3
  ), w as (select seq, b, created, (sum(b) over (order by seq))::int8 - b as before from s)
  select max(seq)::text as hi, sum(b)::text as bytes, sum(created)::int as created
    from w group by before / $4::int8 order by max(seq)`;

/**
 * Splits the replay of one user's changes after < seq <= upTo into reads of about `pieceBytes` each, with
 * their estimated size: one cheap statement, so a resume knows its size before it reads any row.
 */
export async function readReplayPieces(
  sql: postgres.Sql,
  { userId, after, upTo, pieceBytes }: { userId: string; after: number; upTo: number; pieceBytes: number },
): Promise<ReplayPiece[]> {
  const rows = await sql.unsafe<{ hi: string; bytes: string; created: number }[]>(PIECES_SQL, [userId, String(after), String(upTo), String(pieceBytes)], { prepare: prepared() });
  return rows.map((r) => ({ upTo: Number(r.hi), bytes: Number(r.bytes), created: r.created }));
}

/** A user's state when their first stream here joins: what a round would otherwise have to read first. */
export type JoinState = { seq: number; preferences: UserPreferences | null; nextExpiry: number; snapshot: Snapshot };

/**
 * Each user's last number handed out, preferences and earliest unread expiry, in one snapshot
 * (users absent from the table are absent from the map).
 */
export async function readJoinStates(sql: postgres.Sql, userIds: string[]): Promise<Map<string, JoinState>> {
  const states = new Map<string, JoinState>();
  if (userIds.length === 0) return states;
  const rows = await sql.unsafe<{ id: string; seq: string; prefs: unknown; nx: number | null; snap: string }[]>(
    `select u.id, coalesce(c.seq, 0)::text as seq, (select to_jsonb(p) from user_preferences p where p.user_id = u.id) as prefs, ${NEXT_EXPIRY("u.id")},
            pg_current_snapshot()::text as snap
       from users u left join notification_counters c on c.user_id = u.id where u.id = any($1::uuid[])`,
    [userIds],
  );
  for (const r of rows) {
    const prefs = (typeof r.prefs === "string" ? JSON.parse(r.prefs) : r.prefs) as Record<string, unknown> | null;
    states.set(r.id, { seq: Number(r.seq), preferences: prefs ? toPreferences(prefs) : null, nextExpiry: r.nx === null ? Infinity : Number(r.nx), snapshot: snapshotFrom(r.snap) });
  }
  return states;
}

/**
 * Which transactions a new snapshot sees: `sees(xid)` for a 32-bit transaction id as the WAL names it,
 * widened to the 64-bit id nearest the snapshot's xmax (a recent transaction is within 2^31 of it,
 * before or after). One trivial statement.
 */
const HALF_XID_SPACE = 1n << 31n;

export type Snapshot = { sees(xid: number): boolean };

export async function readSnapshot(sql: postgres.Sql): Promise<Snapshot> {
  const [row] = await sql.unsafe<{ s: string }[]>("select pg_current_snapshot()::text as s", [], { prepare: prepared() });
  return snapshotFrom(row.s);
}

/** A snapshot as PostgreSQL prints it (`xmin:xmax:xip,...`, 64-bit ids). */
export function snapshotFrom(text: string): Snapshot {
  const [xminText, xmaxText, xipText] = text.split(":");
  const xmin = BigInt(xminText);
  const xmax = BigInt(xmaxText);
  const running = new Set(xipText ? xipText.split(",") : []);
  const epoch = xmax >> 32n;
  return {
    sees(xid: number) {
      let full = (epoch << 32n) | BigInt(xid);
      if (full > xmax + HALF_XID_SPACE) full -= 1n << 32n;
      else if (full < xmax - HALF_XID_SPACE) full += 1n << 32n;
      return full < xmin || (full < xmax && !running.has(String(full)));
    },
  };
}
