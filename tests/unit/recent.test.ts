import { describe, expect, it } from "vitest";
import { Recent } from "@/lib/realtime/dispatch/recent";

describe("Recent: what was heard lately, by key", () => {
  it("answers for a while, then forgets; a newer value replaces the older", () => {
    const recent = new Recent<number>(1_000, 10);
    recent.set("a", 1, 0);
    recent.set("a", 2, 500);
    expect(recent.get("a", 1_400)).toBe(2);
    expect(recent.get("a", 1_500)).toBeUndefined();
    expect(recent.get("b", 0)).toBeUndefined();
  });

  it("stays within its size, dropping the oldest first", () => {
    const recent = new Recent<number>(60_000, 3);
    for (const [i, key] of ["a", "b", "c", "d"].entries()) recent.set(key, i, i);
    expect(["a", "b", "c", "d"].map((k) => recent.get(k, 10))).toEqual([undefined, 1, 2, 3]);
  });
});
