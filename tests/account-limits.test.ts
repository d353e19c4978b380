import { afterAll, describe, expect, it } from "vitest";
import { MAX_TABS_PER_USER } from "@/db/queries/presence";
import { runCleanup } from "@/lib/cleanup/cleanup.mjs";
import { bucketOf, rules } from "@/lib/rate-limit";
import { fillRateLimit } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createAdminUser, createTestUser } from "./support/users";

afterAll(closeTestSql);

// Budgets are filled from this test's own connection, as another instance's traffic would fill them.

function expect429(res: { status: number; headers: Headers; body: any }, maxRetryAfter: number) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
}

const titlesOf = async (userId: string) =>
  (await testSql()`select title from notifications where user_id = ${userId} order by id`).map((r) => r.title);

describe("the test endpoint's daily budget", () => {
  it("caps the notifications a person stores in a day; a refused burst stores nothing and uses nothing up", async () => {
    const user = await createTestUser("daycount");
    const client = await Client.signedIn(user);
    const rule = rules.testNotificationsPerDay();
    await fillRateLimit(bucketOf(rule, user.id), rule.limit - 3, rule.windowSeconds);
    expect429(await client.json("/api/notifications/test", { body: { title: "Burst", count: 4 } }), 86_400);
    expect(await titlesOf(user.id)).toEqual([]);
    // The refused burst of 4 took nothing: 3 still fit, then the day is over.
    expect((await client.json("/api/notifications/test", { body: { title: "Burst", count: 3 } })).status).toBe(201);
    expect429(await client.json("/api/notifications/test", { body: { title: "one more" } }), 86_400);
    expect(await titlesOf(user.id)).toEqual(["Burst (1/3)", "Burst (2/3)", "Burst (3/3)"]);
  });

  it("caps the bytes of text a person stores in a day", async () => {
    const user = await createTestUser("daybytes");
    const client = await Client.signedIn(user);
    const rule = rules.testBytesPerDay();
    await fillRateLimit(bucketOf(rule, user.id), rule.limit - 1000, rule.windowSeconds);
    // 10 x ~200 bytes is over what is left; one of them is not.
    const body = "€".repeat(60); // 180 bytes
    const refused = await client.json("/api/notifications/test", { body: { title: "big", body, count: 10 } });
    expect429(refused, 86_400);
    expect(refused.body.error.message).toMatch(/text today/);
    expect((await client.json("/api/notifications/test", { body: { title: "small", body } })).status).toBe(201);
    expect(await titlesOf(user.id)).toEqual(["small"]);
  });

  it("keeps a daily window through the cleanup job (which drops ended minute windows)", async () => {
    const user = await createTestUser("daykept");
    const rule = rules.testNotificationsPerDay();
    const bucket = bucketOf(rule, user.id);
    const minute = bucketOf(rules.testNotifications(), user.id);
    await testSql()`insert into rate_limits (bucket, window_start, count) values
      (${bucket}, now() - interval '2 hours', 5), (${minute}, now() - interval '2 hours', 5)`;
    expect((await runCleanup(testSql(), { waitMs: 10_000 })).ran).toBe(true);
    const left = await testSql()`select bucket from rate_limits where bucket in (${bucket}, ${minute})`;
    expect(left.map((r) => r.bucket)).toEqual([bucket]);
  });
});

describe("admin demo sends", () => {
  it("are under the per-recipient limit, like the service API", async () => {
    const [admin, target] = await Promise.all([createAdminUser("demorcpt"), createTestUser("demorcpttarget")]);
    const client = await Client.signedIn(admin);
    const rule = rules.perRecipient();
    await fillRateLimit(bucketOf(rule, `${admin.id}:${target.id}`), rule.limit - 2);
    expect429(await client.json("/api/notifications/test", { body: { title: "flood", recipientEmail: target.email, count: 3 } }), 60);
    expect(await titlesOf(target.id)).toEqual([]);
    expect((await client.json("/api/notifications/test", { body: { title: "fits", recipientEmail: target.email, count: 2 } })).status).toBe(201);
    // Their own test notifications are not the recipient's budget.
    expect((await client.json("/api/notifications/test", { body: { title: "mine", count: 5 } })).status).toBe(201);
    expect(await titlesOf(target.id)).toEqual(["fits (1/2)", "fits (2/2)"]);
  });
});

describe("presence", () => {
  const tabsOf = async (userId: string) =>
    (await testSql()`select tab_id from tab_presence where user_id = ${userId} order by tab_id`).map((r) => r.tab_id as string);

  it("keeps at most a few tabs per user, the least recently renewed going first, and drops lapsed ones on write", async () => {
    const user = await createTestUser("tabs");
    const client = await Client.signedIn(user);
    await testSql()`insert into tab_presence (user_id, tab_id, visible_until) values (${user.id}, 'tab-lapsed00', now() - interval '1 second')`;
    const ids = Array.from({ length: MAX_TABS_PER_USER + 15 }, (_, i) => `tab-${String(i).padStart(8, "0")}`);
    for (const tabId of ids) expect((await client.json("/api/presence", { body: { tabId, visible: true } })).status).toBe(204);
    expect(await tabsOf(user.id)).toEqual(ids.slice(-MAX_TABS_PER_USER));
    // Another user's tabs are theirs.
    const other = await createTestUser("tabsother");
    expect((await (await Client.signedIn(other)).json("/api/presence", { body: { tabId: ids[0], visible: true } })).status).toBe(204);
    expect(await tabsOf(other.id)).toEqual([ids[0]]);
    expect(await tabsOf(user.id)).toHaveLength(MAX_TABS_PER_USER);
  });

  it("is swept by the cleanup job once lapsed, for users who stopped writing", async () => {
    const user = await createTestUser("tabsweep");
    await testSql()`insert into tab_presence (user_id, tab_id, visible_until) values
      (${user.id}, 'tab-gone0000', now() - interval '10 minutes'), (${user.id}, 'tab-here0000', now() + interval '45 seconds')`;
    expect((await runCleanup(testSql(), { waitMs: 10_000 })).ran).toBe(true);
    expect(await tabsOf(user.id)).toEqual(["tab-here0000"]);
  });
});

describe("search", () => {
  it("is rate limited per user, with Retry-After; plain lists are not", async () => {
    const user = await createTestUser("searchlimit");
    const client = await Client.signedIn(user);
    expect((await client.json("/api/notifications?q=deploy")).status).toBe(200);
    const rule = rules.search();
    await fillRateLimit(bucketOf(rule, user.id), rule.limit);
    expect429(await client.json("/api/notifications?q=deploy"), 60);
    expect((await client.json("/api/notifications")).status).toBe(200);
  });
});
