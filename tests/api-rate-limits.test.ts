import { afterAll, describe, expect, it } from "vitest";
import { bucketOf, rules } from "@/lib/rate-limit";
import { createAdminToken, createToken, fillRateLimit, openRoom, service, snapshot } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

// The counters live in Postgres: filling a bucket from this test's own connection is exactly what
// another app instance's traffic would do, so these tests also show the limits hold across instances.

function expect429(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

const bucketCount = async (bucket: string) =>
  (await testSql()`select coalesce(max(count), 0)::int as n from rate_limits where bucket = ${bucket} and window_start <= now()
                    and window_start > now() - interval '60 seconds'`)[0].n as number;

describe("rate limits", () => {
  it("limits the service API per owner across all their tokens, with Retry-After, and creates nothing when refused", async () => {
    const [owner, stranger] = await Promise.all([createTestUser("rlapi"), createTestUser("rlapistranger")]);
    const client = await Client.signedIn(owner);
    const [busy, fresh] = [await createToken(client, "busy"), await createToken(client, "quiet")];
    const rule = rules.serviceApi();
    await fillRateLimit(bucketOf(rule, owner.id), rule.limit);
    const body = { to: owner.id, title: "over the limit?" };
    expect429(await service("/api/v1/notifications", { token: busy.secret, body }));
    expect429(await service("/api/v1/notifications/1", { token: busy.secret }));
    // A new token is no way around it: the budget is the person's, not the token's.
    expect429(await service("/api/v1/notifications", { token: fresh.secret, body }));
    const [{ n }] = await testSql()`select count(*)::int as n from notifications where user_id = ${owner.id}`;
    expect(n).toBe(0);
    // Someone else's token has its own budget.
    const theirs = await createToken(await Client.signedIn(stranger));
    expect((await service("/api/v1/notifications", { token: theirs.secret, body: { to: stranger.id, title: "mine" } })).status).toBe(201);
  });

  it("limits notifications to one recipient from one owner, all or nothing, in one statement per request", async () => {
    const { owner, token } = await createAdminToken("rlrcpt");
    const [flooded, spared] = await Promise.all([createTestUser("rlflooded"), createTestUser("rlspared")]);
    const rule = rules.perRecipient();
    await fillRateLimit(bucketOf(rule, `${owner.id}:${flooded.id}`), rule.limit);
    const before = await snapshot([flooded.id, spared.id]);
    const refused = await service("/api/v1/notifications", { token: token.secret, body: { to: [spared.email, flooded.email], title: "flood" } });
    expect429(refused);
    expect(refused.body.error.details.over).toEqual([flooded.id]);
    expect(await snapshot([flooded.id, spared.id])).toEqual(before);
    // The refused request used nothing up: the spared recipient's counter was rolled back with it.
    expect(await bucketCount(bucketOf(rule, `${owner.id}:${spared.id}`))).toBe(0);

    // Other recipients of the same owner, and other owners to the same recipient, are not held back.
    expect((await service("/api/v1/notifications", { token: token.secret, body: { to: spared.id, title: "fine" } })).status).toBe(201);
    expect(await bucketCount(bucketOf(rule, `${owner.id}:${spared.id}`))).toBe(1);
    const other = await createAdminToken("rlrcptother");
    expect((await service("/api/v1/notifications", { token: other.token.secret, body: { to: flooded.id, title: "from elsewhere" } })).status).toBe(201);
  });

  it("counts a fan-out once for each of its recipients", async () => {
    const { owner, token } = await createAdminToken("rlfan");
    const people = await Promise.all(Array.from({ length: 5 }, (_, i) => createTestUser(`rlfan${i}`)));
    const res = await service("/api/v1/notifications", { token: token.secret, body: { to: people.map((p) => p.id), title: "all hands" } });
    expect(res.status).toBe(201);
    const rule = rules.perRecipient();
    for (const p of people) expect(await bucketCount(bucketOf(rule, `${owner.id}:${p.id}`))).toBe(1);
  });

  it("limits sending messages per user", async () => {
    const [sender, recipient] = await Promise.all([createTestUser("rlmsg"), createTestUser("rlmsgto")]);
    const client = await Client.signedIn(sender);
    const room = await openRoom(client, recipient.email);
    expect((await client.json(`/api/rooms/${room}/messages`, { body: { body: "first" } })).status).toBe(201);

    const rule = rules.messages();
    await fillRateLimit(bucketOf(rule, sender.id), rule.limit);
    expect429(await client.json(`/api/rooms/${room}/messages`, { body: { body: "one too many" } }));
    const [{ n }] = await testSql()`select count(*)::int as n from messages where sender_id = ${sender.id}`;
    expect(n).toBe(1);
    // The recipient is not limited by the sender's budget.
    const other = await Client.signedIn(recipient);
    expect((await other.json(`/api/rooms/${room}/messages`, { body: { body: "reply" } })).status).toBe(201);
  });

  it("limits test notifications per user, counting each request once", async () => {
    const user = await createTestUser("rltest");
    const client = await Client.signedIn(user);
    const rule = rules.testNotifications();
    const bucket = bucketOf(rule, user.id);
    expect((await client.json("/api/notifications/test", { body: { title: "counted once" } })).status).toBe(201);
    expect(await bucketCount(bucket)).toBe(1);

    await fillRateLimit(bucket, rule.limit - 1);
    expect((await client.json("/api/notifications/test", { body: { title: "the last one" } })).status).toBe(201);
    expect429(await client.json("/api/notifications/test", { body: { title: "refused" } }));
    const titles = (await testSql()`select title from notifications where user_id = ${user.id} order by id`).map((r) => r.title);
    expect(titles).toEqual(["counted once", "the last one"]);
  });

  it("does not count requests that fail validation", async () => {
    const user = await createTestUser("rlinvalid");
    const client = await Client.signedIn(user);
    for (let i = 0; i < 3; i++) expect((await client.json("/api/notifications/test", { body: { title: "" } })).status).toBe(400);
    expect(await bucketCount(bucketOf(rules.testNotifications(), user.id))).toBe(0);
  });
});
