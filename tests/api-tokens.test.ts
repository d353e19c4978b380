import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createdTokenSchema, tokenListSchema, tokenSchema } from "@/lib/validations/tokens";
import { createAdminToken, createToken, service, snapshot } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createAdminUser, createTestUser } from "./support/users";

afterAll(closeTestSql);

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const note = { to: "nobody-needed@test.example", title: "x" };

describe("service tokens", () => {
  it("creates a token whose secret is shown once and stored only as a hash", async () => {
    const user = await createTestUser("tokens");
    const client = await Client.signedIn(user);
    const res = await client.json("/api/tokens", { body: { name: "  billing  " } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const created = createdTokenSchema.parse(res.body);
    expect(created.token.name).toBe("billing");
    expect(created.secret).toMatch(/^hrld_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.token.prefix)).toBe(true);

    const [row] = await testSql()`select token_hash, prefix from api_tokens where id = ${created.token.id}`;
    expect(row.token_hash).toBe(sha256(created.secret));
    const everything = JSON.stringify(await testSql()`select * from api_tokens where id = ${created.token.id}`);
    expect(everything).not.toContain(created.secret);

    const list = await client.json("/api/tokens");
    expect(list.status).toBe(200);
    expect(tokenListSchema.parse(list.body).items.map((t) => t.id)).toEqual([created.token.id]);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
  });

  it("authenticates the service API with the token alone, and revocation takes effect at once", async () => {
    const user = await createTestUser("revoke");
    const client = await Client.signedIn(user);
    const token = await createToken(client);
    const send = () => service("/api/v1/notifications", { token: token.secret, body: { ...note, to: user.email } });

    const first = await send();
    expect(first.status).toBe(201);
    const [used] = await testSql()`select last_used_at from api_tokens where id = ${token.id}`;
    expect(used.last_used_at).not.toBeNull();

    const revoked = await client.json(`/api/tokens/${token.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(tokenSchema.parse(revoked.body).revokedAt).toEqual(expect.any(String));
    const again = await client.json(`/api/tokens/${token.id}`, { method: "DELETE" });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt); // revoking twice keeps the first time

    const after = await send();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("invalid_token");
    expect(after.headers.get("www-authenticate")).toContain("Bearer");
    const [{ n }] = await testSql()`select count(*)::int as n from notifications where source_token_id = ${token.id}`;
    expect(n).toBe(1);
    expect((await client.json("/api/tokens")).body.items[0].revokedAt).toEqual(expect.any(String));
  });

  it("ignores the session cookie on the service API: a signed-in browser without a token gets 401", async () => {
    const user = await createTestUser("cookieonly");
    const client = await Client.signedIn(user);
    const res = await client.json("/api/v1/notifications", { body: { ...note, to: user.email } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    // With a token, a stray cookie (someone else's session) changes nothing: the token decides.
    const { token } = await createAdminToken("cookieother");
    const withBoth = await client.fetch("/api/v1/notifications", {
      method: "POST",
      headers: { Authorization: `Bearer ${token.secret}`, "Content-Type": "application/json", Origin: "https://elsewhere.example" },
      body: JSON.stringify({ ...note, to: user.id }),
    });
    expect(withBoth.status).toBe(201);
    const [row] = await testSql()`select source_token_id from notifications where user_id = ${user.id}`;
    expect(row.source_token_id).toBe(token.id);
  });

  it("keeps each person's tokens to themselves and caps active tokens", async () => {
    const [owner, stranger] = await Promise.all([createTestUser("capowner"), createTestUser("capstranger")]);
    const client = await Client.signedIn(owner);
    const token = await createToken(client);
    const strangerClient = await Client.signedIn(stranger);
    expect((await strangerClient.json(`/api/tokens/${token.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await strangerClient.json("/api/tokens")).body.items).toEqual([]);

    // Made two days ago, so the cap on creations per day is not what stops the next one.
    await testSql()`
      insert into api_tokens (user_id, name, token_hash, prefix, created_at)
      select ${owner.id}, 'bulk ' || i, md5(random()::text || i), 'hrld_x', now() - interval '2 days' from generate_series(1, 24) i`;
    const capped = await client.json("/api/tokens", { body: { name: "one too many" } });
    expect(capped.status).toBe(409);
    expect(capped.body.error.code).toBe("limit_reached");
    await client.json(`/api/tokens/${token.id}`, { method: "DELETE" });
    expect((await client.json("/api/tokens", { body: { name: "after revoking one" } })).status).toBe(201);
  });

  it("counts every token created in the last 24 hours against 20 a day, revoked ones included", async () => {
    const owner = await createTestUser("dailycap");
    const client = await Client.signedIn(owner);
    // 19 made and revoked today, and older ones that no longer count.
    await testSql()`
      insert into api_tokens (user_id, name, token_hash, prefix, created_at, revoked_at)
      select ${owner.id}::uuid, 'churn ' || i, md5(random()::text || i), 'hrld_x', now() - interval '1 hour', now()
        from generate_series(1, 19) i
      union all
      select ${owner.id}::uuid, 'old ' || i, md5(random()::text || i), 'hrld_x', now() - interval '25 hours', null
        from generate_series(1, 3) i`;
    expect((await client.json("/api/tokens", { body: { name: "the twentieth" } })).status).toBe(201);
    const before = await snapshot([owner.id]);
    const refused = await client.json("/api/tokens", { body: { name: "the twenty-first" } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(22 * 3600); // the oldest of today's leaves the window in ~23 h
    expect(retryAfter).toBeLessThanOrEqual(23 * 3600);
    expect(await snapshot([owner.id])).toEqual(before);
  });

  it("gives members `self` tokens only; an admin may create `users` tokens, limited to categories", async () => {
    const member = await createTestUser("scopemember");
    const memberClient = await Client.signedIn(member);
    const before = await snapshot([member.id]);
    const refused = await memberClient.json("/api/tokens", { body: { name: "reach everyone", scope: "users" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("scope_not_allowed");
    expect(await snapshot([member.id])).toEqual(before);

    const own = await memberClient.json("/api/tokens", { body: { name: "ci", categories: ["system"] } });
    expect(own.status).toBe(201);
    expect(own.body.token).toMatchObject({ scope: "self", categories: ["system"] });

    const admin = await createAdminUser("scopeadmin");
    const adminClient = await Client.signedIn(admin);
    const wide = await adminClient.json("/api/tokens", { body: { name: "broadcaster", scope: "users", categories: ["system", "report"] } });
    expect(wide.status).toBe(201);
    const byDefault = await adminClient.json("/api/tokens", { body: { name: "just me" } });
    expect(byDefault.body.token).toMatchObject({ scope: "self", categories: null });
    const listed = tokenListSchema.parse((await adminClient.json("/api/tokens")).body).items;
    expect(listed.map((t) => [t.name, t.scope, t.categories])).toEqual([
      ["just me", "self", null],
      ["broadcaster", "users", ["system", "report"]],
    ]);
    for (const body of [
      { name: "x", scope: "everyone" },
      { name: "x", categories: [] },
      { name: "x", categories: ["spam"] },
      { name: "x", categories: ["system", "system"] },
    ]) {
      expect((await adminClient.json("/api/tokens", { body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});
