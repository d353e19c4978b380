import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminToken, createToken, service, snapshot } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

const send = (token: string, body: object) => service("/api/v1/notifications", { token, body: { title: "Hello", ...body } });

async function memberToken(prefix: string, options: { categories?: string[] } = {}) {
  const owner = await createTestUser(prefix);
  return { owner, token: await createToken(await Client.signedIn(owner), `${prefix}-ci`, options) };
}

const countFor = async (users: TestUser[]) =>
  (await testSql()`select count(*)::int as n from notifications where user_id = any(${users.map((u) => u.id)}::uuid[])`)[0].n as number;

describe("a member's token notifies only its owner", () => {
  it("refuses anyone else, by id or email, existing or not, alone or beside the owner, and creates nothing", async () => {
    const { owner, token } = await memberToken("selfonly");
    const victim = await createTestUser("selfvictim");
    const before = await snapshot([owner.id, victim.id]);
    for (const to of [victim.id, victim.email, [owner.id, victim.email], [victim.id, owner.email], randomUUID(), "nobody@test.example"]) {
      const res = await send(token.secret, { to, priority: "urgent", actionUrl: "https://phish.example/login" });
      expect(res.status, JSON.stringify(to)).toBe(403);
      expect(res.body.error.code).toBe("recipient_not_allowed");
    }
    expect(await snapshot([owner.id, victim.id])).toEqual(before);

    // Scripts and CI jobs notify their owner: by id, or by email in any case.
    expect((await send(token.secret, { to: owner.id })).status).toBe(201);
    expect((await send(token.secret, { to: [owner.email.toUpperCase(), owner.id] })).body.created).toBe(1);
    expect(await countFor([owner])).toBe(2);
  });

  it("learns nothing about which emails exist: the answer is the same byte for byte", async () => {
    const { owner, token } = await memberToken("noprobe");
    const someone = await createTestUser("noprobetarget");
    const existing = await send(token.secret, { to: [someone.email] });
    const missing = await send(token.secret, { to: [`ghost-${randomUUID().slice(0, 8)}@test.example`] });
    expect(existing.status).toBe(403);
    expect(missing.status).toBe(existing.status);
    expect(missing.body).toEqual(existing.body);
    expect(JSON.stringify(existing.body)).not.toContain(someone.email);
    // A well-formed actor id does not tell either: not `unknown_actor`, whoever it is.
    const real = await send(token.secret, { to: owner.id, actorId: someone.id });
    const fake = await send(token.secret, { to: owner.id, actorId: randomUUID() });
    expect(real.body.error.code).toBe("actor_not_allowed");
    expect(fake.body).toEqual(real.body);
  });

  it("names only its owner as the actor", async () => {
    const { owner, token } = await memberToken("selfactor");
    const other = await createTestUser("selfactorother");
    const before = await snapshot([owner.id, other.id]);
    for (const actorId of [other.id, randomUUID()]) {
      const res = await send(token.secret, { to: owner.id, actorId });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("actor_not_allowed");
    }
    expect(await snapshot([owner.id, other.id])).toEqual(before);
    expect((await send(token.secret, { to: owner.id, actorId: owner.id.toUpperCase() })).status).toBe(201);
  });

  it("is bound by its owner's role when used, not only when made: a `users` row of a member reaches nobody else", async () => {
    // However such a row came to be (an admin taken off HERALD_ADMIN_EMAILS, a row written by hand),
    // the token's reach is decided from its owner's role at each request.
    const [owner, victim] = await Promise.all([createTestUser("demoted"), createTestUser("demotedvictim")]);
    const secret = `hrld_${randomBytes(32).toString("base64url")}`;
    await testSql()`
      insert into api_tokens (user_id, name, token_hash, prefix, scope)
      values (${owner.id}, 'legacy', ${createHash("sha256").update(secret).digest("hex")}, ${secret.slice(0, 11)}, 'users')`;
    const res = await send(secret, { to: victim.id, actorId: victim.id });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("recipient_not_allowed");
    expect(await countFor([victim])).toBe(0);
  });
});

describe("an admin's `users` token", () => {
  it("notifies anyone with any actor, and a token limited to categories sends only those", async () => {
    const { owner, token } = await createAdminToken("broadcast", { categories: ["system"] });
    const [a, b] = await Promise.all([createTestUser("bcasta"), createTestUser("bcastb")]);
    const ok = await send(token.secret, { to: [a.id, b.email], category: "system", actorId: a.id });
    expect(ok.status).toBe(201);
    expect(ok.body.created).toBe(2);

    const before = await snapshot([a.id, b.id, owner.id]);
    for (const category of ["report", "general"]) {
      const res = await send(token.secret, { to: a.id, category });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("category_not_allowed");
      expect(res.body.error.details.allowed).toEqual(["system"]);
    }
    // Left out, the category is `general`: outside this token's list too.
    expect((await send(token.secret, { to: a.id })).body.error.code).toBe("category_not_allowed");
    expect(await snapshot([a.id, b.id, owner.id])).toEqual(before);
  });

  it("still reports unknown recipients to an admin, who may address anyone", async () => {
    const { token } = await createAdminToken("adminunknown");
    const res = await send(token.secret, { to: ["ghost-admin@test.example"] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.unknown).toEqual(["ghost-admin@test.example"]);
  });

  it("also binds a member's own token to its categories", async () => {
    const { owner, token } = await memberToken("selfcats", { categories: ["task"] });
    expect((await send(token.secret, { to: owner.id, category: "task" })).status).toBe(201);
    expect((await send(token.secret, { to: owner.id, category: "system" })).body.error.code).toBe("category_not_allowed");
    expect(await countFor([owner])).toBe(1);
  });
});
