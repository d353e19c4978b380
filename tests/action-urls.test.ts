import { afterAll, describe, expect, it } from "vitest";
import { HOSTILE_URLS, caseLabel as label } from "./fixtures/hostile-urls";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

describe("action URLs: every writer refuses the hostile table", () => {
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
