import { describe, expect, it } from "vitest";
import { TransactionCollector, type FeedChange } from "@/lib/realtime/feed/transaction";

const U = "00000000-0000-4000-8000-000000000001";
const numbered = (seq: number, row?: Record<string, string | null>): FeedChange => ({ kind: "numbered", userId: U, seq, op: "insert", row });

describe("the change feed's transactions", () => {
  it("are handed over whole at their commit, and dropped if the connection is lost before it", () => {
    const c = new TransactionCollector(1_000);
    c.begin(7, 1_000);
    c.add(numbered(1));
    c.add({ kind: "counts", userId: U, counts: { seq: 1, unread: 1, unseen: 1 } });
    expect(c.commit()).toEqual({ xid: 7, committedAt: 1_000, changes: [numbered(1), { kind: "counts", userId: U, counts: { seq: 1, unread: 1, unseen: 1 } }] });
    c.begin(8, 2_000);
    c.add(numbered(2));
    c.reset();
    c.add(numbered(3)); // the rest of the lost transaction, had it come: nothing is open
    expect(c.commit()).toBeNull();
  });

  it("keep rows without their text past the text budget, so the rest is read from the tables", () => {
    const c = new TransactionCollector(1_000);
    const text = "x".repeat(4 * 1024 * 1024); // about 8 MB as counted (two bytes a character)
    c.begin(9, 0);
    for (let seq = 1; seq <= 5; seq++) c.add(numbered(seq, { title: text, expires_at: null, read_at: null, archived_at: null }));
    const changes = c.commit()!.changes!;
    expect(changes.map((ch) => ch.kind === "numbered" && ch.row?.title !== undefined)).toEqual([true, true, true, false, false]);
    // What the dispatcher needs of a row it will read: that it is unread and never expires.
    expect(changes[4]).toEqual(numbered(5, { expires_at: null, read_at: null, archived_at: null }));
  });

  it("are marked too big past HERALD_FEED_MAX_TRANSACTION_CHANGES, holding none of them", () => {
    const c = new TransactionCollector(1_000);
    c.begin(10, 0);
    for (let seq = 1; seq <= 1_000; seq++) c.add(numbered(seq));
    expect(c.commit()!.changes).toHaveLength(1_000);
    c.begin(10, 0);
    for (let seq = 1; seq <= 1_001; seq++) c.add(numbered(seq));
    expect(c.commit()).toEqual({ xid: 10, committedAt: 0, changes: null });
  });
});
