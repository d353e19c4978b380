import { afterAll, describe, expect, it } from "vitest";
import { createdNotificationsSchema, serviceNotificationSchema } from "@/lib/validations/service-api";
import { createAdminToken, service, snapshot } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

/** Every test here notifies other people: that takes an admin's `users` token. */
async function tokenFor(prefix: string) {
  const { owner, token } = await createAdminToken(prefix);
  return { owner, token };
}

/** Many recipients at once: one statement, sharing one password hash (they never sign in). */
async function bulkUsers(n: number) {
  return testSql()<{ id: string; email: string }[]>`
    insert into users (email, name, password_hash)
    select 'bulk-' || gen_random_uuid() || '@test.example', 'Bulk ' || i, 'x' from generate_series(1, ${n}::int) i
    returning id, email`;
}

async function fanOut(token: { id: string; secret: string }, users: { id: string; email: string }[]) {
  const to = users.map((u, i) => (i % 2 ? u.email : u.id));
  to[999] = users[0].email; // the same person twice (by id and by email) is notified once
  const res = await service("/api/v1/notifications", { token: token.secret, body: { to, title: "Maintenance at 02:00", category: "system" } });
  expect(res.status).toBe(201);
  expect(res.body.created).toBe(999);
  expect(res.body.notifications.map((n: any) => n.userId)).toEqual(users.slice(0, 999).map((u) => u.id));
  const [{ n }] = await testSql()`select count(*)::int as n from notifications where source_token_id = ${token.id}`;
  expect(n).toBe(999);

  const tooMany = await service("/api/v1/notifications", { token: token.secret, body: { to: [...to, users[999].id, users[1].id], title: "x" } });
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.error.message).toContain("at most 1000");
}

describe("POST /api/v1/notifications", () => {
  it("creates a notification with every field of the model and reads it back", async () => {
    const { owner, token } = await tokenFor("v1full");
    const recipient = await createTestUser("v1rcpt");
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await service("/api/v1/notifications", {
      token: token.secret,
      body: {
        to: recipient.email.toUpperCase(),
        title: "Invoice INV-42 paid",
        body: "€1,204.00 received",
        category: "report",
        priority: "high",
        actionUrl: "https://billing.example/invoices/42",
        actionLabel: "Open invoice",
        actorId: owner.id,
        subject: { type: "invoice", id: "INV-42" },
        metadata: { amount: 1204, currency: "EUR", tags: ["paid"] },
        expiresAt,
      },
    });
    expect(res.status).toBe(201);
    const created = createdNotificationsSchema.parse(res.body);
    expect(created).toEqual({ created: 1, notifications: [{ id: expect.any(String), userId: recipient.id }] });

    const got = await service(`/api/v1/notifications/${created.notifications[0].id}`, { token: token.secret });
    expect(got.status).toBe(200);
    expect(serviceNotificationSchema.parse(got.body)).toMatchObject({
      userId: recipient.id,
      title: "Invoice INV-42 paid",
      body: "€1,204.00 received",
      category: "report",
      priority: "high",
      actionUrl: "https://billing.example/invoices/42",
      actionLabel: "Open invoice",
      actor: { id: owner.id, name: owner.name },
      via: { tokenName: "v1full-bot" },
      subject: { type: "invoice", id: "INV-42" },
      metadata: { amount: 1204, currency: "EUR", tags: ["paid"] },
      expiresAt,
      readAt: null,
      archivedAt: null,
    });

    // The recipient sees it in their own inbox, and marking it read shows in the service's view.
    const inbox = await Client.signedIn(recipient);
    expect((await inbox.json("/api/notifications")).body.items[0]).toMatchObject({ title: "Invoice INV-42 paid", via: { tokenName: "v1full-bot" } });
    await inbox.json(`/api/notifications/${created.notifications[0].id}/read`, { method: "POST" });
    const state = await service(`/api/v1/notifications/${created.notifications[0].id}`, { token: token.secret });
    expect(state.body.readAt).toEqual(expect.any(String));
  });

  it("fans out to 1,000 users by id and email in one transaction, once per distinct user", async () => {
    const { token } = await tokenFor("v1bulk");
    const users = await bulkUsers(1000);
    try {
      await fanOut(token, users);
    } finally {
      // A thousand extra people would crowd other tests' user lists (the chat page shows 200).
      await testSql()`delete from users where id = any(${users.map((u) => u.id)}::uuid[])`;
    }
  });

  it("creates nothing when any recipient is unknown, and says which", async () => {
    const { token } = await tokenFor("v1unknown");
    const known = await createTestUser("v1known");
    const before = await snapshot([known.id]);
    const res = await service("/api/v1/notifications", {
      token: token.secret,
      body: { to: [known.id, "ghost@test.example", "00000000-0000-4000-8000-000000000000"], title: "x" },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("unknown_recipients");
    expect(res.body.error.message).toMatch(/2 recipients do not exist: ghost@test\.example, 00000000-/);
    expect(res.body.error.details.unknown).toEqual(["ghost@test.example", "00000000-0000-4000-8000-000000000000"]);
    expect(await snapshot([known.id])).toEqual(before);
  });

  it("delivers live, applying the recipient's preferences: a muted category is stored but not toasted", async () => {
    const { token } = await tokenFor("v1live");
    const recipient = await createTestUser("v1muted");
    const client = await Client.signedIn(recipient);
    expect((await client.json("/api/preferences", { method: "PUT", body: { categories: { report: { muted: true } } } })).status).toBe(200);
    const stream = await SseReader.open(client);
    try {
      const send = (category: string, title: string) =>
        service("/api/v1/notifications", { token: token.secret, body: { to: recipient.id, title, category } });
      const muted = await send("report", "Muted report");
      const loud = await send("task", "Loud task");
      const mutedEvent = await stream.waitFor((e) => e.event === "notification.created" && e.data.id === muted.body.notifications[0].id);
      const loudEvent = await stream.waitFor((e) => e.event === "notification.created" && e.data.id === loud.body.notifications[0].id);
      expect(mutedEvent.data.delivery).toMatchObject({ inApp: true, toast: false });
      expect(mutedEvent.data.via).toEqual({ tokenName: "v1live-bot" }); // the live event names its token too
      expect(loudEvent.data.delivery).toMatchObject({ inApp: true, toast: true });
      expect((await client.json("/api/notifications?category=report")).body.items.map((n: any) => n.title)).toEqual(["Muted report"]);
    } finally {
      stream.close();
    }
  });

  it("stores script and SQL payloads as plain text and returns them verbatim", async () => {
    const { token } = await tokenFor("v1payload");
    const recipient = await createTestUser("v1payloadrcpt");
    const title = `<script>alert("x")</script>'); drop table notifications; --`;
    const res = await service("/api/v1/notifications", {
      token: token.secret,
      body: { to: recipient.id, title, body: "<img src=x onerror=alert(1)>", metadata: { "'; --": "<b>" } },
    });
    expect(res.status).toBe(201);
    const got = await service(`/api/v1/notifications/${res.body.notifications[0].id}`, { token: token.secret });
    expect(got.body).toMatchObject({ title, body: "<img src=x onerror=alert(1)>", metadata: { "'; --": "<b>" } });
    expect(got.headers.get("content-type")).toMatch(/^application\/json/);
    const [{ n }] = await testSql()`select count(*)::int as n from notifications where user_id = ${recipient.id}`;
    expect(n).toBe(1);
  });
});

describe("GET /api/v1/notifications/{id}", () => {
  it("answers only for the token's own notifications, and hides expired ones at once", async () => {
    const [a, b] = await Promise.all([tokenFor("v1geta"), tokenFor("v1getb")]);
    const recipient = await createTestUser("v1getrcpt");
    const res = await service("/api/v1/notifications", { token: a.token.secret, body: { to: recipient.id, title: "from A" } });
    const id = res.body.notifications[0].id;
    expect((await service(`/api/v1/notifications/${id}`, { token: a.token.secret })).status).toBe(200);
    const foreign = await service(`/api/v1/notifications/${id}`, { token: b.token.secret });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    // One the app itself wrote (no token): not any token's to read.
    const [own] = await testSql()`insert into notifications (user_id, title) values (${recipient.id}, 'app') returning id`;
    expect((await service(`/api/v1/notifications/${own.id}`, { token: a.token.secret })).status).toBe(404);

    await testSql()`update notifications set expires_at = now() - interval '1 second' where id = ${id}`;
    expect((await service(`/api/v1/notifications/${id}`, { token: a.token.secret })).status).toBe(404);
  });
});
