import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { bucketOf, rules } from "@/lib/rate-limit";
import { fillRateLimit } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { until } from "./support/second-instance";
import { Client, createTestUser, type TestUser } from "./support/users";
import { caughtMail, hiddenFields, submitForm, submitFormFrom, verificationPath } from "./support/verification";

// Listed in HERALD_ADMIN_EMAILS by scripts/test.mjs, with no account until this file signs up as it.
const LISTED_ADMIN = "ops@verify.test.example";

afterAll(closeTestSql);

const signUp = (client: Client, email: string) => submitForm(client, "/signup", { name: "Someone", email, password: "long enough password" });
/** Presses the link page's button: it verifies and goes to /verified. */
async function expectVerified(client: Client, link: string) {
  const res = await submitForm(client, link);
  expect(res.status).toBe(303);
  expect(res.location).toMatch(/\/verified$/);
  expect(await (await client.fetch("/verified")).text()).toContain("Email verified");
}
const signedIn = (client: Client) => client.cookieHeader().includes("session-token");

/** Email on for General, sent as it comes. */
async function emailOn(userId: string, digest = "instant") {
  const categories = { general: { email: true, push: false } };
  await testSql()`insert into user_preferences (user_id, categories, email_digest) values (${userId}, ${testSql().json(categories)}, ${digest})`;
}

async function insertUrgent(userId: string, title: string) {
  const [row] = await testSql()<{ id: string }[]>`
    insert into notifications (user_id, title, priority, category) values (${userId}, ${title}, 'urgent', 'general') returning id`;
  return Number(row.id);
}

const emailDeliveries = (notificationId: number) =>
  testSql()<{ status: string }[]>`select status from notification_deliveries where notification_id = ${notificationId} and channel = 'email'`;

const untilSent = (notificationId: number) =>
  until(async () => (await emailDeliveries(notificationId)).some((d) => d.status === "sent"), `the email of notification ${notificationId}`);

describe("email verification", () => {
  it("a sign-up as an address of HERALD_ADMIN_EMAILS is a member until its emailed link is followed", async () => {
    await testSql()`delete from users where lower(email) = ${LISTED_ADMIN}`;
    const client = new Client();
    await signUp(client, LISTED_ADMIN);
    expect(signedIn(client), "sign-up signs the person in").toBe(true);

    expect((await client.fetch("/api/admin/stats")).status).toBe(403);
    expect((await client.fetch("/api/metrics")).status).toBe(403);
    const token = await client.json("/api/tokens", { body: { name: "reach everyone", scope: "users" } });
    expect([token.status, token.body.error.code]).toEqual([403, "scope_not_allowed"]);

    const link = await verificationPath(LISTED_ADMIN);
    // Opening the link changes nothing (mail scanners open links); its button verifies.
    expect(await (await client.fetch(link)).text()).toContain("Verify your email");
    expect((await client.fetch("/api/admin/stats")).status).toBe(403);
    await expectVerified(client, link);

    expect((await client.fetch("/api/admin/stats")).status).toBe(200);
    const [row] = await testSql()`select email_verified_at from users where lower(email) = ${LISTED_ADMIN}`;
    expect(row.email_verified_at).not.toBeNull();
  });

  it("a link works once; used, expired, garbled and badly encoded ones get the invalid-link page", async () => {
    const [first, second] = [`once-${randomUUID().slice(0, 8)}@test.example`, `late-${randomUUID().slice(0, 8)}@test.example`];
    const [a, b] = [new Client(), new Client()];
    await signUp(a, first);
    await signUp(b, second);
    const link = await verificationPath(first);
    const page = await a.fetch(link);
    const html = await page.text();
    await expectVerified(a, link);
    // The same page again, and its form replayed as it was first served: both refused.
    expect(await (await a.fetch(link)).text()).toContain("Link not valid");
    const replay = await a.fetch(link, { method: "POST", body: hiddenFields(html) });
    expect(await replay.text()).toContain("Link not valid");

    const late = await verificationPath(second);
    const served = await (await b.fetch(late)).text();
    await testSql()`update email_verifications set expires_at = now() - interval '1 second' where lower(email) = ${second}`;
    expect(await (await b.fetch(late)).text()).toContain("Link not valid");
    // Its button, pressed after the expiry, verifies nothing.
    expect(await (await b.fetch(late, { method: "POST", body: hiddenFields(served) })).text()).toContain("Link not valid");
    const [row] = await testSql()`select email_verified_at from users where lower(email) = ${second}`;
    expect(row.email_verified_at).toBeNull();

    for (const path of ["/verify/%E0%A4%A", "/verify/%ZZ", "/verify/a%2", `/verify/${"A".repeat(43)}`, "/verify/x"]) {
      const res = await b.fetch(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toContain("Link not valid");
    }
  });

  it("email and digests go to verified addresses only, whoever inserts the row", async () => {
    const [unverified, digest, verified] = await Promise.all([createTestUser("unverified"), createTestUser("undigested"), createTestUser("verified", { verified: true })]);
    await emailOn(unverified.id);
    await emailOn(digest.id, "hourly");
    await emailOn(verified.id);
    const none = await insertUrgent(unverified.id, "Not for an unverified address");
    const noDigest = await insertUrgent(digest.id, "Not in a digest either");
    const sentinel = await insertUrgent(verified.id, "For a verified address");
    await untilSent(sentinel);
    expect(await emailDeliveries(none)).toEqual([]);
    expect(await emailDeliveries(noDigest)).toEqual([]);
    expect(await caughtMail(unverified.email)).toEqual([]);
    expect((await caughtMail(verified.email)).map((m) => m.subject)).toEqual(["For a verified address"]);
  });

  it("the sign-up throttle counts per client address, before any account is made", async () => {
    // Loopback addresses of their own, so the rest of the suite (on 127.0.0.1) is unaffected.
    const [full, other] = ["127.0.0.23", "127.0.0.24"];
    const rule = rules.signUpPerIp();
    await testSql()`delete from rate_limits where bucket in ${testSql()([bucketOf(rule, full), bucketOf(rule, other)])}`;
    await fillRateLimit(bucketOf(rule, full), rule.limit, rule.windowSeconds);
    const accounts = async (email: string) => (await testSql()`select 1 from users where lower(email) = ${email}`).length;
    const fields = (email: string) => ({ name: "Flood", email, password: "long enough password" });

    const refused = `flood-${randomUUID().slice(0, 8)}@test.example`;
    const res = await submitFormFrom(full, "/signup", fields(refused));
    expect(res.status).toBeLessThan(500);
    expect(res.text).toMatch(/Too many accounts created from your network; try again in \d+ minutes?\./);
    // A forged X-Forwarded-For is not another address.
    const forged = await submitFormFrom(full, "/signup", fields(refused), { "X-Forwarded-For": "203.0.113.9" });
    expect(forged.text).toContain("Too many accounts created from your network");
    expect(await accounts(refused)).toBe(0);

    const allowed = `fine-${randomUUID().slice(0, 8)}@test.example`;
    await submitFormFrom(other, "/signup", fields(allowed));
    expect(await accounts(allowed)).toBe(1);
    const [{ n }] = await testSql()`select coalesce(sum(count), 0)::int as n from rate_limits where bucket = ${bucketOf(rule, other)}`;
    expect(n).toBe(1);
    await testSql()`delete from rate_limits where bucket in ${testSql()([bucketOf(rule, full), bucketOf(rule, other)])}`;
  });
});

describe("snooze and wake", () => {
  const waitingWakeJobs = (id: number) =>
    testSql()<{ until: string }[]>`select data->>'until' as until from pgboss.job where name = 'herald-wake' and data->>'id' = ${String(id)} and state < 'active'`;

  it("10 snooze/unsnooze cycles send its email once", async () => {
    const user: TestUser = await createTestUser("cycles", { verified: true });
    await emailOn(user.id);
    const client = await Client.signedIn(user);
    const id = await insertUrgent(user.id, "Sent once");
    await untilSent(id);
    for (let i = 0; i < 10; i++) {
      const until = new Date(Date.now() + 3600_000 + i * 1000).toISOString();
      expect((await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { snoozedUntil: until } })).status).toBe(200);
      expect((await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { snoozedUntil: null } })).status).toBe(200);
    }
    const sentinel = await insertUrgent(user.id, "Sentinel");
    await untilSent(sentinel);
    expect((await caughtMail(user.email)).map((m) => m.subject)).toEqual(["Sent once", "Sentinel"]);
    expect(await emailDeliveries(id)).toEqual([{ status: "sent" }]);
  });

  it("200 snoozes leave one wake-up job, for the last snooze; lifting it leaves none; the one left wakes", async () => {
    const user = await createTestUser("snoozer");
    const id = await insertUrgent(user.id, "Snoozed often");
    for (let i = 1; i <= 200; i++) {
      await testSql()`update notifications set snoozed_until = now() + make_interval(hours => 1, secs => ${i}) where id = ${id}`;
    }
    const jobs = await waitingWakeJobs(id);
    expect(jobs).toHaveLength(1);
    const [row] = await testSql()<{ until: Date }[]>`select snoozed_until as until from notifications where id = ${id}`;
    expect(new Date(jobs[0].until).getTime()).toBe(row.until.getTime());

    await testSql()`update notifications set snoozed_until = null where id = ${id}`;
    expect(await waitingWakeJobs(id)).toEqual([]);

    await testSql()`update notifications set snoozed_until = now() + interval '1 second' where id = ${id}`;
    await until(async () => (await testSql()`select 1 from notifications where id = ${id} and snoozed_until is null`).length === 1, "the wake-up");
  });

  it("PATCH /api/notifications/{id} is rate limited: 429 rate_limited with Retry-After, changing nothing", async () => {
    const user = await createTestUser("patcher");
    const client = await Client.signedIn(user);
    const id = await insertUrgent(user.id, "Patched too often");
    const rule = rules.notificationUpdates();
    await fillRateLimit(bucketOf(rule, user.id), rule.limit, rule.windowSeconds);
    const res = await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: true } });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= rule.windowSeconds).toBe(true);
    const [row] = await testSql()`select read_at from notifications where id = ${id}`;
    expect(row.read_at).toBeNull();
  });
});
