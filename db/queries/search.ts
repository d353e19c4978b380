import { sql, type SQL } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { ROW, toItemRow } from "@/db/queries/delivery";
import type { ItemRow, ItemStatus } from "@/db/queries/inbox";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";

// Full-text search over one user's notifications (db/migrations/0013): each row on its own (a group's
// members are found one by one), archived and snoozed ones included unless a status narrows it.

export type SearchFilter = {
  userId: string;
  text: string;
  limit: number;
  offset: number;
  status?: ItemStatus;
  category?: NotificationCategory;
  priority?: NotificationPriority;
  groupKey?: string;
};

/** Where ts_headline marks each match; chosen per search so no stored text can fake one. */
export type Marks = { start: string; stop: string };

/** Bodies up to this long (about three lines of the inbox) come back whole. */
const SHORT_BODY = 280;

export type SearchRow = ItemRow & { rank: number; titleMarked: string; bodyMarked: string };

function statusSql(status: ItemStatus): SQL | null {
  switch (status) {
    case "unread":
      return sql.raw("n.read_at is null and n.archived_at is null and n.snoozed_until is null");
    case "read":
      return sql.raw("n.read_at is not null and n.archived_at is null");
    case "archived":
      return sql.raw("n.archived_at is not null");
    case "snoozed":
      return sql.raw("n.snoozed_until is not null and n.archived_at is null");
    default:
      return null;
  }
}

/**
 * One page of matches, best first (ts_rank; newest first among equals). The query text is parsed once
 * per statement (an InitPlan), the GIN index finds the user's matches, and only the page's rows are
 * highlighted: the title whole, and the body whole when it is short (what the inbox shows of it)
 * or else as up to two fragments around its matches.
 */
export function searchStatement(f: SearchFilter, marks: Marks): SQL {
  const query = sql`(select herald_search_query(${f.text}))`;
  const where: SQL[] = [sql`n.user_id = ${f.userId}`, sql`n.search @@ ${query}`, sql.raw("(n.expires_at is null or n.expires_at > now())")];
  const status = statusSql(f.status ?? "all");
  if (status) where.push(status);
  if (f.category) where.push(sql`n.category = ${f.category}`);
  if (f.priority) where.push(sql`n.priority = ${f.priority}`);
  if (f.groupKey) where.push(sql`n.group_key = ${f.groupKey}`);
  const sel = `StartSel=${marks.start}, StopSel=${marks.stop}`;
  return sql`
    with hits as (
      select n.id, ts_rank(n.search, ${query}) as rank
        from notifications n
       where ${sql.join(where, sql` and `)}
       order by rank desc, n.id desc
       limit ${f.limit} offset ${f.offset}
    )
    select ${sql.raw(ROW)}, hits.rank,
           ts_headline('english', n.title, ${query}, ${`${sel}, HighlightAll=true`}) as "titleMarked",
           case when length(n.body) <= ${SHORT_BODY}
                then ts_headline('english', n.body, ${query}, ${`${sel}, HighlightAll=true`})
                else ts_headline('english', n.body, ${query}, ${`${sel}, MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … "`})
           end as "bodyMarked"
      from hits
      join notifications n on n.id = hits.id
      left join users a on a.id = n.actor_id
      left join api_tokens t on t.id = n.source_token_id
     order by hits.rank desc, n.id desc`;
}

export async function searchNotificationsForUser(db: DatabaseOrTransaction, f: SearchFilter, marks: Marks): Promise<SearchRow[]> {
  const rows = await db.execute<Record<string, unknown>>(searchStatement(f, marks));
  return rows.map((raw) => ({
    ...toItemRow(raw),
    rank: Number(raw.rank),
    titleMarked: String(raw.titleMarked ?? ""),
    bodyMarked: String(raw.bodyMarked ?? ""),
  }));
}
