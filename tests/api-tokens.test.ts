import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createdTokenSchema, tokenListSchema, tokenSchema } from "@/lib/validations/tokens";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

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
    const other = await createTestUser("cookieother");
    const token = await createToken(await Client.signedIn(other));
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

    await testSql()`
      insert into api_tokens (user_id, name, token_hash, prefix)
      select ${owner.id}, 'bulk ' || i, md5(random()::text || i), 'hrld_x' from generate_series(1, 24) i`;
    const capped = await client.json("/api/tokens", { body: { name: "one too many" } });
    expect(capped.status).toBe(409);
    expect(capped.body.error.code).toBe("limit_reached");
    await client.json(`/api/tokens/${token.id}`, { method: "DELETE" });
    expect((await client.json("/api/tokens", { body: { name: "after revoking one" } })).status).toBe(201);
  });
});
