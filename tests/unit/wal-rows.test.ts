import { describe, expect, it } from "vitest";
import { toPreferencesDTO } from "@/lib/preferences/model";
import { snapshotFrom } from "@/db/queries/delivery";
import type { WalRow } from "@/lib/realtime/feed/transaction";
import { WalRows } from "@/lib/realtime/dispatch/wal-rows";

const U = "00000000-0000-4000-8000-000000000001";
const NOW = Date.parse("2026-12-06T12:00:00Z");
const prefs = toPreferencesDTO(null);
/** A snapshot that sees every transaction below 1,000. */
const SEES_ALL = snapshotFrom("1000:1000:");

/** A new notification as pgoutput prints it (the replication connection runs in UTC, ISO). */
function row(seq: number, over: Partial<WalRow> = {}): WalRow {
  return {
    id: String(100 + seq), user_id: U, seq: String(seq), category: "system", priority: "normal", title: `n${seq}`, body: "",
    action_url: null, action_label: null, actor_id: null, source_token_id: null, subject_type: null, subject_id: null,
    metadata: '{"a": [1, "x"]}', created_at: "2026-12-06 11:59:59.123456+00", read_at: null, archived_at: null, expires_at: null,
    group_key: null, seen_at: null, snoozed_until: null, clicked_at: null, source: "sql", actor_name: null, ...over,
  };
}

/** One committed transaction `xid` giving the user new rows (as pgoutput sends it: the counter row, then the row). */
function commit(wal: WalRows, xid: number, rows: [number, Partial<WalRow>?][]) {
  for (const [seq, over] of rows) {
    wal.counted(U, { seq, unread: seq, unseen: seq }, xid);
    wal.inserted(U, seq, row(seq, over), xid);
  }
}

/** A user who joined with known preferences and nothing expiring, then got `seqs`, one transaction each. */
function joined(seqs: number[], after = 0) {
  const wal = new WalRows();
  wal.join(U);
  wal.learned(U, { seq: after, snapshot: SEES_ALL, prefs, nextExpiry: Infinity });
  for (const seq of seqs) commit(wal, 7, [[seq]]);
  return wal;
}

/** The user's preferences saved in transaction `xid`, as the WAL brings it. */
function changePreferences(wal: WalRows, xid: number) {
  wal.preferencesChanged(U, xid);
}


describe("frames from the WAL's rows", () => {
  it("takes a whole run of new rows with the counter row of its last number", () => {
    const all = (joined([1, 2, 3]).take({ userId: U, after: 0, upTo: 3 }, NOW));
    expect(all?.changes.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(all?.counts).toEqual({ unreadCount: 3, unseenCount: 3 });
    expect(all?.xids).toEqual([7]);
    const first = all!.changes[0];
    expect(first.kind === "created" && first.row).toMatchObject({ id: 101, seq: 1, metadata: { a: [1, "x"] }, sourceTokenName: null });
    expect(first.kind === "created" && first.row.createdAt.toISOString()).toBe("2026-12-06T11:59:59.123Z");
  });

  it("reads instead when a number is missing, the counts are of another number, or the row is not whole", () => {
    const gap = joined([1, 3]);
    expect(gap.take({ userId: U, after: 0, upTo: 3 }, NOW)).toBeNull();
    const behind = joined([1, 2]);
    behind.counted(U, { seq: 3, unread: 3, unseen: 3 }, 8); // a change numbered 3 that is not a new row
    expect(behind.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    for (const over of [{ group_key: "room:1" }, { source_token_id: "t" }, { created_at: "06/12/2026 11:59" }]) {
      const wal = joined([]);
      commit(wal, 8, [[1, over]]);
      expect(wal.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
    }
    // An older publication carries ids and numbers only.
    const old = joined([]);
    old.counted(U, { seq: 1, unread: 1, unseen: 1 }, 8);
    old.inserted(U, 1, { id: "101", user_id: U, seq: "1" }, 8);
    expect(old.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
  });

  it("takes a run that spans transactions, naming each for the visibility check", () => {
    const wal = joined([1]);
    commit(wal, 8, [[2]]);
    expect(wal.take({ userId: U, after: 0, upTo: 2 }, NOW)?.xids).toEqual([7, 8]);
  });

  it("reads while the preferences are not known, and keeps a read's only if its snapshot saw the last change", () => {
    const wal = joined([1]);
    changePreferences(wal, 1005);
    expect(wal.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
    // A read whose snapshot does not see that change yet (announced a moment early) found the old ones.
    wal.learned(U, { seq: 1, snapshot: snapshotFrom("1003:1010:1003,1005"), prefs });
    expect(wal.knowsPreferences(U)).toBe(false);
    wal.learned(U, { seq: 1, snapshot: snapshotFrom("1011:1011:"), prefs });
    expect((wal.take({ userId: U, after: 0, upTo: 1 }, NOW))).not.toBeNull();
    // A change heard before the user's stream joined counts for their first read too.
    const late = new WalRows();
    changePreferences(late, 2000);
    late.join(U);
    late.learned(U, { seq: 0, snapshot: SEES_ALL, prefs, nextExpiry: Infinity });
    expect(late.knowsPreferences(U)).toBe(false);
    // A transaction too big for the feed to keep may have changed anyone's: the same holds for all.
    const all = joined([1]);
    all.everyonesPreferencesChanged(1005);
    expect(all.knowsPreferences(U)).toBe(false);
    all.learned(U, { seq: 1, snapshot: snapshotFrom("1003:1010:1003,1005"), prefs });
    expect(all.knowsPreferences(U)).toBe(false);
    all.learned(U, { seq: 1, snapshot: snapshotFrom("1011:1011:"), prefs });
    expect(all.knowsPreferences(U)).toBe(true);
  });

  it("reads while an unread row is about to expire, counting the ones the WAL brought after the read", () => {
    const soon = joined([1]);
    commit(soon, 8, [[2, { expires_at: "2026-12-06 12:00:05+00" }]]);
    expect(soon.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    // A read whose snapshot stopped at 1 cannot vouch for row 2.
    soon.learned(U, { seq: 1, snapshot: SEES_ALL, nextExpiry: Infinity });
    expect(soon.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    // Far enough ahead, or already read: the counter is the count.
    const later = joined([1]);
    commit(later, 8, [[2, { expires_at: "2026-12-06 13:00:00+00" }], [3, { expires_at: "2026-12-06 12:00:01+00", read_at: "2026-12-06 11:59:00+00" }]]);
    expect((later.take({ userId: U, after: 0, upTo: 3 }, NOW))?.changes).toHaveLength(3);
    // A user whose state was never read is never taken from the WAL.
    const unknown = new WalRows();
    unknown.join(U);
    commit(unknown, 7, [[1]]);
    expect(unknown.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
  });

  it("keeps rows only for users with streams here, until their numbers are published", () => {
    const wal = joined([1, 2, 3]);
    wal.published(U, 2);
    expect(wal.take({ userId: U, after: 0, upTo: 3 }, NOW)).toBeNull();
    expect((wal.take({ userId: U, after: 2, upTo: 3 }, NOW))?.changes.map((c) => c.seq)).toEqual([3]);
    wal.leave(U);
    commit(wal, 9, [[4]]);
    expect(wal.take({ userId: U, after: 3, upTo: 4 }, NOW)).toBeNull();
  });
});
