import "server-only";
import { toItemRow, type Change, type Counts, type SeqRange } from "@/db/queries/delivery";
import type { PreferencesDTO } from "@/lib/preferences/model";

/** A new notification as the WAL carries it: column name -> PostgreSQL's text output (null for NULL). */
export type WalRow = Record<string, string | null>;

/** A user's counter row as the WAL carries it, written in the same transaction as the change numbered `seq`. */
export type WalCounts = { seq: number; unread: number; unseen: number };

/** Rows kept per user and in all: past these a range is read from the tables instead. */
const MAX_ROWS_PER_USER = 4_000;
const MAX_ROWS = 50_000;
/** A count read from the counter alone must not be this close to a row's expiry (clocks of two hosts). */
const EXPIRY_MARGIN_MS = 10_000;
/** How the replication connection prints a timestamptz (lib/realtime/replication.ts sets ISO and UTC). */
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

/** `xid`: the transaction that committed it, which a new snapshot must see before the frame goes out. */
type Entry = { raw: WalRow; xid: number | null; deliverable: boolean; expiresAt: number };

class UserState {
  rows = new Map<number, Entry>();
  counts: WalCounts | null = null;
  /** Known preferences (the defaults when the user saved none); undefined until read. */
  prefs: PreferencesDTO | undefined = undefined;
  /** Bumped by every change of the preferences, so a read that started before one does not store what it saw. */
  prefsVersion = 0;
  /**
   * The earliest expiry (epoch ms) among the user's unread rows: until then no unread row has expired,
   * so the counter row is the count (herald_counts subtracts only expired unread rows). Infinity: none
   * expires; NaN: not known.
   */
  nextExpiry = NaN;
}

/**
 * What the WAL told this process about the users with streams here, so a delivery round can build
 * their frames without reading the tables. A new notification's row does not change until a later,
 * numbered change (which the round reads), and its user's counter row is written in the same
 * transaction; so for a range (watermark, upTo] made only of new, ungrouped notifications the WAL
 * carried, with the counter row numbered upTo, known preferences and no unread row about to expire,
 * the frames are the ones a read would produce (sent once a new snapshot sees the transaction: the
 * dispatcher checks). Anything else (a change to existing rows, a group, a
 * token's name, a number the WAL did not bring here, an older publication without the columns) is
 * read as before. The dispatcher is the only caller, and only for users with streams here.
 */
export class WalState {
  private users = new Map<string, UserState>();
  private rowCount = 0;

  /** A user's first stream here: start from nothing (what came before was not kept). */
  join(userId: string) {
    this.leave(userId);
    this.users.set(userId, new UserState());
  }

  /** The user's last stream here closed. */
  leave(userId: string) {
    const state = this.users.get(userId);
    if (!state) return;
    this.rowCount -= state.rows.size;
    this.users.delete(userId);
  }

  /** A new notification numbered `seq`, committed by transaction `xid`. */
  inserted(userId: string, seq: number, raw: WalRow, xid: number | null) {
    const state = this.users.get(userId);
    if (!state) return;
    const expiresAt = raw.expires_at === undefined ? NaN : raw.expires_at === null ? Infinity : parseStamp(raw.expires_at);
    if (mayExpireUnread(raw)) state.nextExpiry = Math.min(state.nextExpiry, expiresAt);
    if (state.rows.size >= MAX_ROWS_PER_USER || this.rowCount >= MAX_ROWS) return;
    const deliverable = raw.title !== undefined && raw.group_key === null && raw.source_token_id === null && stampsReadable(raw);
    if (!state.rows.has(seq)) this.rowCount++;
    state.rows.set(seq, { raw, xid, deliverable: deliverable && xid !== null, expiresAt });
  }

  /** The user's counter row as of the change numbered `seq`. */
  counted(userId: string, counts: WalCounts) {
    const state = this.users.get(userId);
    if (state && (!state.counts || counts.seq >= state.counts.seq)) state.counts = counts;
  }

  preferencesChanged(userId: string) {
    const state = this.users.get(userId);
    if (!state) return;
    state.prefs = undefined;
    state.prefsVersion++;
  }

  knowsPreferences(userId: string) {
    return this.users.get(userId)?.prefs !== undefined;
  }

  /** Taken before a read, handed back to `learned` with what it found. */
  preferencesVersion(userId: string) {
    return this.users.get(userId)?.prefsVersion ?? -1;
  }

  /**
   * What a read found in a snapshot where the user's last number was `seq`: their preferences
   * (stored unless they changed since `prefsVersion` was taken) and their earliest unread expiry
   * (lowered by the rows the WAL brought after that snapshot).
   */
  learned(userId: string, found: { seq: number; prefsVersion: number; prefs?: PreferencesDTO; nextExpiry?: number }) {
    const state = this.users.get(userId);
    if (!state) return;
    if (found.prefs && state.prefsVersion === found.prefsVersion) state.prefs = found.prefs;
    if (found.nextExpiry === undefined) return;
    let next = found.nextExpiry;
    for (const [seq, entry] of state.rows) {
      if (seq > found.seq && mayExpireUnread(entry.raw)) next = Math.min(next, entry.expiresAt);
    }
    state.nextExpiry = next;
  }

  /**
   * The changes of `range`, their counts and the preferences to decide their delivery by, when the
   * WAL brought all of them (see the class comment); null: read them.
   */
  take(range: SeqRange, now: number): { changes: Change[]; counts: Counts; prefs: PreferencesDTO; xids: number[] } | null {
    const state = this.users.get(range.userId);
    if (!state || state.prefs === undefined || state.counts?.seq !== range.upTo) return null;
    if (!(state.nextExpiry > now + EXPIRY_MARGIN_MS)) return null;
    const changes: Change[] = [];
    const xids = new Set<number>();
    for (let seq = range.after + 1; seq <= range.upTo; seq++) {
      const entry = state.rows.get(seq);
      if (!entry?.deliverable) return null;
      xids.add(entry.xid!);
      changes.push({ kind: "created", userId: range.userId, seq, row: toItemRow(camelRow(entry.raw)) });
    }
    const { unread, unseen } = state.counts;
    return { changes, counts: { unreadCount: Math.max(0, unread), unseenCount: Math.max(0, unseen) }, prefs: state.prefs, xids: [...xids] };
  }

  /** Everything up to `watermark` has been published: its rows are no longer needed. */
  published(userId: string, watermark: number) {
    const state = this.users.get(userId);
    if (!state) return;
    for (const seq of state.rows.keys()) {
      if (seq > watermark) continue;
      state.rows.delete(seq);
      this.rowCount--;
    }
  }
}

/** Unread, or not known to be read (a publication without the columns): its expiry may change a count. */
const mayExpireUnread = (raw: WalRow) => raw.read_at == null && raw.archived_at == null;

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
