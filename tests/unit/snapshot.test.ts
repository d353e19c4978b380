import { describe, expect, it } from "vitest";
import { snapshotFrom } from "@/db/queries/delivery";

const EPOCH = 2n ** 32n;

describe("what a snapshot sees, for the 32-bit transaction ids of the WAL", () => {
  it("sees what committed before it, not what was running or came after", () => {
    const s = snapshotFrom("1000:1010:1000,1003,1007");
    expect([990, 999, 1001, 1002, 1009].map((x) => s.sees(x))).toEqual([true, true, true, true, true]);
    expect([1000, 1003, 1007, 1010, 1011, 5000].map((x) => s.sees(x))).toEqual([false, false, false, false, false, false]);
  });

  it("places an id in the epoch nearest the snapshot, on either side of a wraparound", () => {
    // xmax just past an epoch boundary: 0xfffffff0 is the previous epoch's, committed; 5 is running.
    const after = snapshotFrom(`${EPOCH * 3n - 20n}:${EPOCH * 3n + 10n}:${EPOCH * 3n + 5n}`);
    expect(after.sees(0xfffffff0)).toBe(true);
    expect(after.sees(5)).toBe(false);
    expect(after.sees(9)).toBe(true);
    expect(after.sees(10)).toBe(false);
    // xmax just before one: 3 is the next epoch's, not begun when the snapshot was taken.
    const before = snapshotFrom(`${EPOCH * 3n - 20n}:${EPOCH * 3n - 2n}:`);
    expect(before.sees(0xffffffe0)).toBe(true);
    expect(before.sees(0xfffffffe)).toBe(false);
    expect(before.sees(3)).toBe(false);
  });
});
