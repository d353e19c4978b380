import { describe, expect, it } from "vitest";
import { toPreferencesDTO } from "@/lib/preferences/model";
import { WalState, type WalRow } from "@/lib/realtime/wal-state";

const U = "00000000-0000-4000-8000-000000000001";
const NOW = Date.parse("2026-12-06T12:00:00Z");
const prefs = toPreferencesDTO(null);

/** A new notification as pgoutput prints it (the replication connection runs in UTC, ISO). */
function row(seq: number, over: Partial<WalRow> = {}): WalRow {
  return {
    id: String(100 + seq), user_id: U, seq: String(seq), category: "system", priority: "normal", title: `n${seq}`, body: "",
    action_url: null, action_label: null, actor_id: null, source_token_id: null, subject_type: null, subject_id: null,
    metadata: '{"a": [1, "x"]}', created_at: "2026-12-06 11:59:59.123456+00", read_at: null, archived_at: null, expires_at: null,
    group_key: null, seen_at: null, snoozed_until: null, clicked_at: null, source: "sql", actor_name: null, ...over,
  };
}

/** A user who joined with known preferences and nothing expiring, then got `seqs` with their counter rows. */
function joined(seqs: number[], after = 0) {
  const wal = new WalState();
  wal.join(U);
  wal.learned(U, { seq: after, prefsVersion: wal.preferencesVersion(U), prefs, nextExpiry: Infinity });
  for (const seq of seqs) {
    wal.counted(U, { seq, unread: seq, unseen: seq });
    wal.inserted(U, seq, row(seq), 7);
  }
  return wal;
}

describe("frames from the WAL's rows", () => {
  it("takes a whole run of new rows with the counter row of its last number", () => {
    const taken = joined([1, 2, 3]).take({ userId: U, after: 0, upTo: 3 }, NOW);
    expect(taken?.changes.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(taken?.counts).toEqual({ unreadCount: 3, unseenCount: 3 });
    expect(taken?.xids).toEqual([7]);
    const first = taken!.changes[0];
    expect(first.kind === "created" && first.row).toMatchObject({ id: 101, seq: 1, metadata: { a: [1, "x"] }, sourceTokenName: null });
    expect(first.kind === "created" && first.row.createdAt.toISOString()).toBe("2026-12-06T11:59:59.123Z");
  });

  it("reads instead when a number is missing, the counts are of another number, or the row is not whole", () => {
    const gap = joined([1, 3]);
    expect(gap.take({ userId: U, after: 0, upTo: 3 }, NOW)).toBeNull();
    const behind = joined([1, 2]);
    behind.counted(U, { seq: 3, unread: 3, unseen: 3 }); // a change numbered 3 that is not a new row
    expect(behind.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    for (const over of [{ group_key: "room:1" }, { source_token_id: "t" }, { created_at: "06/12/2026 11:59" }]) {
      const wal = joined([]);
      wal.counted(U, { seq: 1, unread: 1, unseen: 1 });
      wal.inserted(U, 1, row(1, over), 7);
      expect(wal.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
    }
    // An older publication carries ids and numbers only.
    const old = joined([]);
    old.counted(U, { seq: 1, unread: 1, unseen: 1 });
    old.inserted(U, 1, { id: "101", user_id: U, seq: "1" }, 7);
    expect(old.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
  });

  it("reads while the preferences are not known, or changed since a read began", () => {
    const wal = joined([1]);
    wal.preferencesChanged(U);
    expect(wal.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
    const version = wal.preferencesVersion(U);
    wal.preferencesChanged(U); // changed again while that read was in flight
    wal.learned(U, { seq: 1, prefsVersion: version, prefs });
    expect(wal.knowsPreferences(U)).toBe(false);
    wal.learned(U, { seq: 1, prefsVersion: wal.preferencesVersion(U), prefs });
    expect(wal.take({ userId: U, after: 0, upTo: 1 }, NOW)).not.toBeNull();
  });

  it("reads while an unread row is about to expire, counting the ones the WAL brought after the read", () => {
    const soon = joined([1]);
    soon.counted(U, { seq: 2, unread: 2, unseen: 2 });
    soon.inserted(U, 2, row(2, { expires_at: "2026-12-06 12:00:05+00" }), 8);
    expect(soon.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    // A read whose snapshot stopped at 1 cannot vouch for row 2.
    soon.learned(U, { seq: 1, prefsVersion: soon.preferencesVersion(U), nextExpiry: Infinity });
    expect(soon.take({ userId: U, after: 0, upTo: 2 }, NOW)).toBeNull();
    // Far enough ahead, or already read: the counter is the count.
    const later = joined([1]);
    later.counted(U, { seq: 2, unread: 2, unseen: 2 });
    later.inserted(U, 2, row(2, { expires_at: "2026-12-06 13:00:00+00" }), 8);
    later.counted(U, { seq: 3, unread: 2, unseen: 2 });
    later.inserted(U, 3, row(3, { expires_at: "2026-12-06 12:00:01+00", read_at: "2026-12-06 11:59:00+00" }), 8);
    expect(later.take({ userId: U, after: 0, upTo: 3 }, NOW)?.changes).toHaveLength(3);
    // A user whose state was never read is never taken from the WAL.
    const unknown = new WalState();
    unknown.join(U);
    unknown.counted(U, { seq: 1, unread: 1, unseen: 1 });
    unknown.inserted(U, 1, row(1), 7);
    expect(unknown.take({ userId: U, after: 0, upTo: 1 }, NOW)).toBeNull();
  });

  it("keeps rows only for users with streams here, until their numbers are published", () => {
    const wal = joined([1, 2, 3]);
    wal.published(U, 2);
    expect(wal.take({ userId: U, after: 0, upTo: 3 }, NOW)).toBeNull();
    expect(wal.take({ userId: U, after: 2, upTo: 3 }, NOW)?.changes.map((c) => c.seq)).toEqual([3]);
    wal.leave(U);
    wal.inserted(U, 4, row(4), 9);
    expect(wal.take({ userId: U, after: 3, upTo: 4 }, NOW)).toBeNull();
  });
});
