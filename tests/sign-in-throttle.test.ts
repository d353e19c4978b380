import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bucketOf, rules } from "@/lib/rate-limit";
import { fillRateLimit } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { attemptSignIn } from "./support/sign-in";
import { createTestUser, TEST_PASSWORD } from "./support/users";

// Every request of these tests comes from 127.0.0.1, so they also share that address's budget: it
// is emptied after each test, so the rest of the suite signs in as usual.
const clearIpBuckets = () => testSql()`delete from rate_limits where bucket like 'signin-ip:%'`;
afterEach(clearIpBuckets);
afterAll(closeTestSql);

function expectThrottled(res: Awaited<ReturnType<typeof attemptSignIn>>) {
  expect(res.signedIn).toBe(false);
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  expect(res.body.error.message).toMatch(/^Too many sign-in attempts; try again in \d+ minutes?\.$/);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(rules.signInPerAccount().windowSeconds);
}

const wrong = (email: string) => attemptSignIn(email, "not the password");

describe("sign-in throttle", () => {
  it("after 25 wrong passwords the right one is refused, with Retry-After; another account is unaffected", async () => {
    const [alice, bob] = await Promise.all([createTestUser("throttled"), createTestUser("bystander")]);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await wrong(alice.email)).status);
    const limit = rules.signInPerAccount().limit;
    // Wrong passwords are refused as before (a redirect back to sign-in), until the limit; then 429.
    expect(statuses.slice(0, limit).every((s) => s === 302)).toBe(true);
    expect(statuses.slice(limit).every((s) => s === 429)).toBe(true);
    expectThrottled(await attemptSignIn(alice.email, TEST_PASSWORD));
    // The email is normalised: other casing is the same account.
    expectThrottled(await attemptSignIn(alice.email.toUpperCase(), TEST_PASSWORD));
    expect((await attemptSignIn(bob.email, TEST_PASSWORD)).signedIn).toBe(true);
  });

  it("after the window the right password works again", async () => {
    const user = await createTestUser("window");
    const rule = rules.signInPerAccount();
    await fillRateLimit(bucketOf(rule, user.email), rule.limit, rule.windowSeconds);
    expectThrottled(await attemptSignIn(user.email, TEST_PASSWORD));
    // Time passes: the window the failures were counted in is over.
    await testSql()`update rate_limits set window_start = window_start - make_interval(secs => ${2 * rule.windowSeconds})
                     where bucket = ${bucketOf(rule, user.email)}`;
    expect((await attemptSignIn(user.email, TEST_PASSWORD)).signedIn).toBe(true);
  });

  it("does not reveal whether an email has an account: an unknown one is throttled the same way", async () => {
    const user = await createTestUser("known");
    const unknown = `nobody-${user.email}`;
    const limit = rules.signInPerAccount().limit;
    for (let i = 0; i < limit; i++) {
      const [a, b] = [await wrong(user.email), await wrong(unknown)];
      expect([a.status, a.body]).toEqual([b.status, b.body]);
    }
    const [a, b] = [await wrong(user.email), await wrong(unknown)];
    expectThrottled(a);
    expectThrottled(b);
    expect(a.body.error.message).toBe(b.body.error.message);
  });

  it("successful sign-ins do not count", async () => {
    const user = await createTestUser("regular");
    const rule = rules.signInPerAccount();
    for (let i = 0; i < rule.limit + 2; i++) expect((await attemptSignIn(user.email, TEST_PASSWORD)).signedIn).toBe(true);
    const [{ n }] = await testSql()`select coalesce(sum(count), 0)::int as n from rate_limits where bucket = ${bucketOf(rule, user.email)}`;
    expect(n).toBe(0);
  });

  it("limits failures per client address, which a forged X-Forwarded-For does not change", async () => {
    const user = await createTestUser("sameip");
    const rule = rules.signInPerIp();
    await fillRateLimit(bucketOf(rule, "127.0.0.1"), rule.limit, rule.windowSeconds);
    expectThrottled(await attemptSignIn(user.email, TEST_PASSWORD));
    expectThrottled(await attemptSignIn(user.email, TEST_PASSWORD, { "X-Forwarded-For": "203.0.113.7" }));
    await clearIpBuckets();
    expect((await attemptSignIn(user.email, TEST_PASSWORD)).signedIn).toBe(true);
  });
});
