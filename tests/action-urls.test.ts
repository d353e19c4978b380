import { afterAll, describe, expect, it } from "vitest";
import { safeActionTarget } from "@/components/notifications/safe-url";
import { actionUrlSchema } from "@/lib/validations/notifications";
import { HOSTILE_URLS, ORIGIN, type UrlCase } from "./fixtures/hostile-urls";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const label = (c: UrlCase) => `${JSON.stringify(c.url).slice(0, 60)} (${c.why})`;
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

  it("the demo endpoint and the service API answer 400 to each hostile URL and create nothing", async () => {
    const user = await createTestUser("hostile");
    const client = await Client.signedIn(user);
    const token = await createToken(client);
    let accepted = 0;
    for (const c of HOSTILE_URLS) {
      const title = `url ${HOSTILE_URLS.indexOf(c)}`;
      const demo = await client.json("/api/notifications/test", { body: { title, actionUrl: c.url, actionLabel: "Open" } });
      const api = await service("/api/v1/notifications", { token: token.secret, body: { to: user.id, title, actionUrl: c.url, actionLabel: "Open" } });
      if (c.verdict.kind === "refused") {
        expect([demo.status, demo.body?.error?.code], `demo ${label(c)}`).toEqual([400, "validation_error"]);
        expect([api.status, api.body?.error?.code], `v1 ${label(c)}`).toEqual([400, "validation_error"]);
      } else {
        expect([demo.status, api.status], label(c)).toEqual([201, 201]);
        accepted += 2;
      }
    }
    const [{ n }] = await testSql()`select count(*)::int as n from notifications where user_id = ${user.id}`;
    expect(n).toBe(accepted);
  });
});
