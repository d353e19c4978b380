import "server-only";
import { toItemRow, type Change, type Counts, type SeqRange, type Snapshot } from "@/db/queries/delivery";
import type { PreferencesDTO } from "@/lib/preferences/model";
import { rowBytes, type WalCounts, type WalRow } from "../feed/transaction";
import { Recent } from "./recent";

/** Rows kept per user, and the text kept in all: past these a range is read from the tables instead. */
const MAX_ROWS_PER_USER = 4_000;
const MAX_TEXT_BYTES = 32 * 1024 * 1024;
/** Longer than any commit takes to become visible after the WAL sent it. */
export const RECENT_MS = 10_000;
/** A count read from the counter alone must not be this close to a row's expiry (clocks of two hosts). */
const EXPIRY_MARGIN_MS = 10_000;
/** How the replication connection prints a timestamptz (feed/replication.ts sets ISO and UTC). */
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

/**
 * One number of the user. `row`: the new notification, when its frame can be built from it (null:
 * grouped, from a token, not whole). `xid`: its committed transaction, which a new snapshot must see
 * before the frame goes out (the dispatcher checks).
 */
type Entry = { row: WalRow | null; xid: number; bytes: number; expiresAt: number; mayExpireUnread: boolean };

class UserState {
  rows = new Map<number, Entry>();
  counts: (WalCounts & { xid: number }) | null = null;
  /** Known preferences (the defaults when the user saved none); undefined until read. */
  prefs: PreferencesDTO | undefined = undefined;
  /**
   * The earliest expiry (epoch ms) among the user's unread rows: until then no unread row has expired,
   * so the counter row is the count (herald_counts subtracts only expired unread rows). Infinity: none
   * expires; NaN: not known.
   */
  nextExpiry = NaN;
}

export type Taken = { changes: Change[]; counts: Counts; prefs: PreferencesDTO; xids: number[] };

/**
 * What the WAL told this process about the users with streams here, so a delivery round can build
 * their frames without reading the tables. A new notification's row does not change until a later,
 * numbered change (which the round reads), and its user's counter row is written in the same
 * transaction; so for a range (watermark, upTo] made only of new, ungrouped notifications the WAL
 * carried (the feed hands over whole committed transactions only), with the counter row numbered upTo, known
 * preferences and no unread row about to expire, the frames are the ones a read would produce.
 * Anything else (a change to existing rows, a group, a token's name, a number the WAL did not bring
 * here, an older publication without the columns) is read as before. The dispatcher is the only
 * caller, and keeps state only for users with streams here.
 */
export class WalRows {
  private users = new Map<string, UserState>();
  private textBytes = 0;
  /** The transaction of each user's last preferences change, heard in the last seconds (any user: a joining one's first read is checked too). */
  private recentPrefs = new Recent<number>(RECENT_MS, 100_000);
  /** The last transaction that may have changed anyone's preferences (one too big for the feed to keep). */
  private everyonesPrefs = new Recent<number>(RECENT_MS, 1);

  /** A user's first stream here: start from nothing (what came before was not kept). */
  join(userId: string) {
    this.leave(userId);
    this.users.set(userId, new UserState());
  }

  /** The user's last stream here closed. */
  leave(userId: string) {
    const state = this.users.get(userId);
    if (!state) return;
    for (const entry of state.rows.values()) this.textBytes -= entry.bytes;
    this.users.delete(userId);
  }

  /** A new notification numbered `seq`, committed in transaction `xid`. */
  inserted(userId: string, seq: number, raw: WalRow, xid: number) {
    const state = this.users.get(userId);
    if (!state) return;
    const expiresAt = raw.expires_at === undefined ? NaN : raw.expires_at === null ? Infinity : parseStamp(raw.expires_at);
    // Unread, or not known to be read (a publication without the columns): its expiry may change a count.
    const mayExpireUnread = raw.read_at == null && raw.archived_at == null;
    if (mayExpireUnread) state.nextExpiry = Math.min(state.nextExpiry, expiresAt);
    if (state.rows.size >= MAX_ROWS_PER_USER || state.rows.has(seq)) return;
    const whole = raw.title !== undefined && raw.group_key === null && raw.source_token_id === null && stampsReadable(raw);
    const bytes = whole ? rowBytes(raw) : 0;
    const row = whole && this.textBytes + bytes <= MAX_TEXT_BYTES ? raw : null;
    state.rows.set(seq, { row, xid, bytes: row ? bytes : 0, expiresAt, mayExpireUnread });
    if (row) this.textBytes += bytes;
  }

  /** The user's counter row, committed in transaction `xid`. */
  counted(userId: string, counts: WalCounts, xid: number) {
    const state = this.users.get(userId);
    if (state && (!state.counts || counts.seq >= state.counts.seq)) state.counts = { ...counts, xid };
  }

  /** The user's preferences changed in transaction `xid` (a read must see it before its answer is kept). */
  preferencesChanged(userId: string, xid: number) {
    this.recentPrefs.set(userId, xid);
    const state = this.users.get(userId);
    if (state) state.prefs = undefined;
  }

  /** Transaction `xid` may have changed anyone's preferences (the feed could not keep its changes). */
  everyonesPreferencesChanged(xid: number) {
    this.everyonesPrefs.set("", xid);
    for (const state of this.users.values()) state.prefs = undefined;
  }

  knowsPreferences(userId: string) {
    return this.users.get(userId)?.prefs !== undefined;
  }

  /**
   * What a read found in `snapshot`, where the user's last number was `seq`: their preferences (kept
   * unless a change the WAL announced is not in that snapshot) and their earliest unread expiry
   * (lowered by the rows the WAL brought after that snapshot).
   */
  learned(userId: string, found: { seq: number; snapshot: Snapshot; prefs?: PreferencesDTO; nextExpiry?: number }) {
    const state = this.users.get(userId);
    if (!state) return;
    const sees = (xid: number | undefined) => xid === undefined || found.snapshot.sees(xid);
    if (found.prefs && sees(this.recentPrefs.get(userId)) && sees(this.everyonesPrefs.get(""))) state.prefs = found.prefs;
    if (found.nextExpiry === undefined) return;
    let next = found.nextExpiry;
    for (const [seq, entry] of state.rows) {
      if (seq > found.seq && entry.mayExpireUnread) next = Math.min(next, entry.expiresAt);
    }
    state.nextExpiry = next;
  }

  /**
   * The changes of `range`, their counts and the preferences to decide their delivery by, when the
   * WAL brought all of them (see the class comment); null: read them.
   */
  take(range: SeqRange, now: number): Taken | null {
    const state = this.users.get(range.userId);
    if (!state) return null;
    const counts = state.counts;
    if (state.prefs === undefined || counts?.seq !== range.upTo) return null;
    if (!(state.nextExpiry > now + EXPIRY_MARGIN_MS)) return null;
    const changes: Change[] = [];
    const xids = new Set<number>();
    for (let seq = range.after + 1; seq <= range.upTo; seq++) {
      const entry = state.rows.get(seq);
      if (!entry?.row) return null;
      xids.add(entry.xid);
      changes.push({ kind: "created", userId: range.userId, seq, row: toItemRow(camelRow(entry.row)) });
    }
    return { changes, counts: { unreadCount: Math.max(0, counts.unread), unseenCount: Math.max(0, counts.unseen) }, prefs: state.prefs, xids: [...xids] };
  }

  /** Everything up to `watermark` has been published: its rows are no longer needed. */
  published(userId: string, watermark: number) {
    const state = this.users.get(userId);
    if (!state) return;
    for (const [seq, entry] of state.rows) {
      if (seq > watermark) continue;
      state.rows.delete(seq);
      this.textBytes -= entry.bytes;
    }
  }
}

function parseStamp(text: string) {
  return TIMESTAMP.test(text) ? new Date(text).getTime() : NaN;
}

const STAMP_COLUMNS = ["created_at", "read_at", "archived_at", "expires_at", "seen_at", "snoozed_until", "clicked_at"];

function stampsReadable(raw: WalRow) {
  return raw.created_at !== null && STAMP_COLUMNS.every((c) => raw[c] === null || (raw[c] !== undefined && TIMESTAMP.test(raw[c]!)));
}

/** The WAL's columns under the names a read gives them (db/queries/delivery.ts ROW_COLUMNS). */
function camelRow(raw: WalRow): Record<string, unknown> {
  return {
    id: raw.id,
    userId: raw.user_id,
    seq: raw.seq,
    category: raw.category,
    priority: raw.priority,
    title: raw.title,
    body: raw.body,
    actionUrl: raw.action_url,
    actionLabel: raw.action_label,
    sourceTokenId: raw.source_token_id,
    subjectType: raw.subject_type,
    subjectId: raw.subject_id,
    metadata: raw.metadata === null ? {} : JSON.parse(raw.metadata!),
    createdAt: raw.created_at,
    readAt: raw.read_at,
    archivedAt: raw.archived_at,
    expiresAt: raw.expires_at,
    groupKey: raw.group_key,
    seenAt: raw.seen_at,
    snoozedUntil: raw.snoozed_until,
    clickedAt: raw.clicked_at,
    source: raw.source,
    actorId: raw.actor_id,
    actorName: raw.actor_name,
    sourceTokenName: null,
  };
}
