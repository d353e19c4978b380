import { describe, expect, it } from "vitest";
import { badgeText, expiryText, plural, preview, relativeTime } from "@/components/notifications/format";

describe("formatting", () => {
  it.each([
    [0, "0"],
    [1, "1"],
    [99, "99"],
    [100, "99+"],
    [12_345, "99+"],
  ])("badge for %d is %s", (n, text) => {
    expect(badgeText(n)).toBe(text);
  });

  it.each([
    [1, "1 message"],
    [0, "0 messages"],
    [2, "2 messages"],
  ])("plural of %d", (n, text) => {
    expect(plural(n, "message")).toBe(text);
  });

  it("keeps short previews whole and cuts long ones", () => {
    expect(preview("hello")).toBe("hello");
    const long = "x".repeat(500);
    const cut = preview(long, 160);
    expect(cut.length).toBeLessThanOrEqual(161);
    expect(cut.startsWith("x".repeat(100))).toBe(true);
  });

  it.each([
    [5_000, "just now"],
    [44_000, "just now"],
    [5 * 60_000, "5 min. ago"],
    [5 * 3600_000, "5 hr. ago"],
    [86400_000, "yesterday"],
    [5 * 86400_000, "5 days ago"],
    [14 * 86400_000, "2 wk. ago"],
    [-5 * 60_000, "in 5 min."],
  ])("%d ms ago reads %s", (ms, text) => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(relativeTime(new Date(now - ms).toISOString(), now)).toBe(text);
  });

  it.each([
    [0, "Expired"],
    [-1_000, "Expired"],
    [9_000, "Expires in 9s"],
    [90_000, "Expires in 1m 30s"],
    [3 * 3600_000 + 10 * 60_000, "Expires in 3h 10m"],
    [2 * 86400_000 + 5_000, "Expires in 2d"],
  ])("an expiry %d ms ahead reads %s", (ms, text) => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(expiryText(new Date(now + ms).toISOString(), now)).toBe(text);
  });

  it("flattens white space in previews", () => {
    expect(preview("  a\n\n b\t c ")).toBe("a b c");
    expect(preview("x".repeat(200), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
