import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

// Sending to someone else takes an admin's `users` token.
async function setup(prefix: string) {
  const recipient = await createTestUser(`${prefix}rcpt`);
  return { recipient, token: (await createAdminToken(prefix)).token };
}

const count = async (recipient: TestUser) =>
  (await testSql()`select count(*)::int as n from notifications where user_id = ${recipient.id}`)[0].n as number;

const post = (token: string, key: string, body: unknown) =>
  service("/api/v1/notifications", { token, body, headers: { "Idempotency-Key": key } });

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body, creating nothing new", async () => {
    const { recipient, token } = await setup("idem");
    const key = randomUUID();
    const first = await post(token.secret, key, { to: recipient.id, title: "Once", priority: "high" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // Same request with its keys in another order: the same request.
    const second = await post(token.secret, key, { priority: "high", title: "Once", to: recipient.id });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect(await count(recipient)).toBe(1);
    // Without a key, every request creates.
    await service("/api/v1/notifications", { token: token.secret, body: { to: recipient.id, title: "Once" } });
    expect(await count(recipient)).toBe(2);
  });

  it("refuses the same key with a different body", async () => {
    const { recipient, token } = await setup("idemdiff");
    const key = randomUUID();
    expect((await post(token.secret, key, { to: recipient.id, title: "First" })).status).toBe(201);
    const other = await post(token.secret, key, { to: recipient.id, title: "Second" });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
    expect(other.body.error.message).toMatch(/different request body/);
    expect(await count(recipient)).toBe(1);
  });

  it("is safe under concurrent duplicates: one creation, every response the same", async () => {
    const { recipient, token } = await setup("idemrace");
    const key = randomUUID();
    const body = { to: recipient.id, title: "Exactly once" };
    const results = await Promise.all(Array.from({ length: 8 }, () => post(token.secret, key, body)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(7);
    expect(await count(recipient)).toBe(1);
  });

  it("scopes keys to their token, forgets failed requests, and expires keys after 24 h", async () => {
    const { recipient, token } = await setup("idemscope");
    const otherToken = (await createAdminToken("idemscope2")).token;
    const key = randomUUID();
    const body = { to: recipient.id, title: "Scoped" };
    await post(token.secret, key, body);
    expect((await post(otherToken.secret, key, body)).headers.get("idempotent-replayed")).toBeNull();
    expect(await count(recipient)).toBe(2);

    // A request that failed (unknown recipient) created nothing and did not use its key up.
    const retryKey = randomUUID();
    expect((await post(token.secret, retryKey, { to: "ghost@test.example", title: "x" })).status).toBe(422);
    expect((await post(token.secret, retryKey, { to: "ghost@test.example", title: "x" })).status).toBe(422);
    const [{ n }] = await testSql()`select count(*)::int as n from idempotency_keys where key = ${retryKey}`;
    expect(n).toBe(0);

    await testSql()`update idempotency_keys set created_at = now() - interval '25 hours' where token_id = ${token.id} and key = ${key}`;
    const later = await post(token.secret, key, { ...body, title: "A day later" });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect(await count(recipient)).toBe(3);
  });
});
