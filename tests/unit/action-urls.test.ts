import { describe, expect, it } from "vitest";
import { safeActionTarget } from "@/components/notifications/safe-url";
import { actionUrlSchema } from "@/lib/validations/notifications";
import { HOSTILE_URLS, ORIGIN, caseLabel as label, type UrlCase } from "../fixtures/hostile-urls";

const expected = (c: UrlCase) => {
  const { verdict } = c;
  if (verdict.kind === "refused") return null;
  return verdict.kind === "internal" ? { kind: "internal", path: verdict.path } : { kind: "external", href: verdict.href };
};

describe("action URLs: one table of hostile and honest URLs", () => {
  it("has enough hostile entries to mean something", () => {
    expect(HOSTILE_URLS.filter((c) => c.verdict.kind === "refused").length).toBeGreaterThanOrEqual(30);
  });

  it("the browser guard gives each its verdict, with Node's URL and no DOM", () => {
    for (const c of HOSTILE_URLS) expect(safeActionTarget(c.url, ORIGIN), label(c)).toEqual(expected(c));
  });

  it("the schema every writer uses accepts exactly what the guard would follow", () => {
    for (const c of HOSTILE_URLS) expect(actionUrlSchema.safeParse(c.url).success, label(c)).toBe(c.verdict.kind !== "refused");
  });
});
