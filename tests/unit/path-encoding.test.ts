import { describe, expect, it } from "vitest";
import { repairedTarget } from "@/lib/http/path-encoding";

describe("repairedTarget", () => {
  it("leaves well-formed paths alone", () => {
    for (const t of ["/", "/unsubscribe/abc.def", "/a%20b/%E2%82%AC?q=%ZZ", "/api/notifications?x=1"]) expect(repairedTarget(t)).toBeNull();
  });

  it("escapes the segments that do not decode, so they decode to what was sent", () => {
    expect(repairedTarget("/unsubscribe/%E0%A4%A")).toBe("/unsubscribe/%25E0%25A4%25A");
    expect(repairedTarget("/unsubscribe/%ZZ?x=%ZZ")).toBe("/unsubscribe/%25ZZ?x=%ZZ");
    expect(repairedTarget("/api/email/unsubscribe/a%2")).toBe("/api/email/unsubscribe/a%252");
    expect(decodeURIComponent(repairedTarget("/x/%C0%AF/%20")!)).toBe("/x/%C0%AF/ ");
  });
});
