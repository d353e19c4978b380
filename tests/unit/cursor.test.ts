import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  process.env.AUTH_SECRET ??= "unit-test-secret-0123456789abcdef";
  process.env.DATABASE_URL ??= "postgres://unit@127.0.0.1:1/unit";
});

const ALICE = "6f1c1d1e-0000-4000-8000-000000000001";
const BOB = "6f1c1d1e-0000-4000-8000-000000000002";

describe("resume cursors", async () => {
  const { decodeCursor, encodeCursor, planResume, MAX_REPLAY } = await import("@/lib/realtime/cursor");

  it.each([0, 1, 42, 9_999_999, Number.MAX_SAFE_INTEGER])("round-trips seq %d for its own user", (seq) => {
    expect(decodeCursor(ALICE, encodeCursor(ALICE, seq))).toBe(seq);
  });

  it("is refused for another user", () => {
    expect(decodeCursor(BOB, encodeCursor(ALICE, 7))).toBeNull();
  });

  it("is refused when the number is changed under the same signature", () => {
    const [, mac] = encodeCursor(ALICE, 7).split(".");
    expect(decodeCursor(ALICE, `8.${mac}`)).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["no signature", "12"],
    ["no number", ".abcdefghijklmnop"],
    ["leading zero", "012.abcdefghijklmnop"],
    ["negative", "-1.abcdefghijklmnop"],
    ["short signature", "12.abc"],
    ["long signature", "12.abcdefghijklmnopq"],
    ["bad alphabet", "12.abcdefghijklmn+/"],
    ["too many digits", "12345678901234567.abcdefghijklmnop"],
    ["spaces", " 12.abcdefghijklmnop"],
    ["a notification id", "57"],
  ])("refuses a malformed cursor (%s)", (_why, cursor) => {
    expect(decodeCursor(ALICE, cursor)).toBeNull();
  });

  it("plans a fresh start without a Last-Event-ID", () => {
    expect(planResume(ALICE, null, 10)).toEqual({ kind: "fresh" });
    expect(planResume(ALICE, "", 10)).toEqual({ kind: "fresh" });
  });

  it("replays from the given number", () => {
    expect(planResume(ALICE, encodeCursor(ALICE, 4), 10)).toEqual({ kind: "replay", from: 4 });
    expect(planResume(ALICE, encodeCursor(ALICE, 10), 10)).toEqual({ kind: "replay", from: 10 });
  });

  it("resets for a cursor of another user, a forged one, one from the future or one too old", () => {
    expect(planResume(ALICE, encodeCursor(BOB, 4), 10)).toEqual({ kind: "reset", reason: "invalid" });
    expect(planResume(ALICE, "4.AAAAAAAAAAAAAAAA", 10)).toEqual({ kind: "reset", reason: "invalid" });
    expect(planResume(ALICE, encodeCursor(ALICE, 11), 10)).toEqual({ kind: "reset", reason: "future" });
    expect(planResume(ALICE, encodeCursor(ALICE, 0), MAX_REPLAY + 1)).toEqual({ kind: "reset", reason: "too-old" });
    expect(planResume(ALICE, encodeCursor(ALICE, 1), MAX_REPLAY + 1)).toEqual({ kind: "replay", from: 1 });
  });
});
