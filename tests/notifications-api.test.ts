import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

describe("notifications API", () => {
  it("lists newest first with cursor pagination and an unread count", async () => {
    const user = await createTestUser("list");
    for (let i = 1; i <= 5; i++) await testSql()`insert into notifications (user_id, title) values (${user.id}, ${"n" + i})`;
    const client = await Client.signedIn(user);
    const first = await client.json("/api/notifications?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.items.map((n: any) => n.title)).toEqual(["n5", "n4"]);
    expect(first.body.unreadCount).toBe(5);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await client.json(`/api/notifications?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((n: any) => n.title)).toEqual(["n3", "n2"]);
    const third = await client.json(`/api/notifications?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((n: any) => n.title)).toEqual(["n1"]);
    expect(third.body.nextCursor).toBeNull();
    for (const q of ["limit=0", "limit=101", "limit=abc", "cursor=garbage"]) {
      const bad = await client.json(`/api/notifications?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.code).toBe("validation_error");
    }
  });

  it("hides expired notifications from the list and the count", async () => {
    const user = await createTestUser("expiry");
    await testSql()`insert into notifications (user_id, title, expires_at) values (${user.id}, 'gone', now() - interval '1 minute')`;
    await testSql()`insert into notifications (user_id, title, expires_at) values (${user.id}, 'still here', now() + interval '1 hour')`;
    const res = await (await Client.signedIn(user)).json("/api/notifications");
    expect(res.body.items.map((n: any) => n.title)).toEqual(["still here"]);
    expect(res.body.unreadCount).toBe(1);
  });

  it("marks one of your own notifications read, and 404s for anyone else's", async () => {
    const [owner, other] = await Promise.all([createTestUser("owner"), createTestUser("other")]);
    const [row] = await testSql()<{ id: string }[]>`insert into notifications (user_id, title) values (${owner.id}, 'mine') returning id`;
    const otherClient = await Client.signedIn(other);
    const stolen = await otherClient.json(`/api/notifications/${row.id}/read`, { method: "POST" });
    expect(stolen.status).toBe(404);
    expect((await testSql()`select read_at from notifications where id = ${row.id}`)[0].read_at).toBeNull();
    const ownerClient = await Client.signedIn(owner);
    const res = await ownerClient.json(`/api/notifications/${row.id}/read`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: String(row.id), title: "mine", readAt: expect.any(String) });
    expect((await ownerClient.json("/api/notifications")).body.unreadCount).toBe(0);
    for (const id of ["0", "-1", "abc", "99999999999999999999", "1.5"]) {
      expect((await ownerClient.json(`/api/notifications/${id}/read`, { method: "POST" })).status, id).toBe(400);
    }
    expect((await ownerClient.json(`/api/notifications/999999999/read`, { method: "POST" })).status).toBe(404);
  });

  it("sends a test notification to yourself from the demo endpoint", async () => {
    const user = await createTestUser("demo");
    const client = await Client.signedIn(user);
    const res = await client.json("/api/notifications/test", {
      body: { title: "Server down", body: "<img src=x onerror=alert(1)>", category: "system", priority: "urgent" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: "Server down", body: "<img src=x onerror=alert(1)>", category: "system", priority: "urgent" });
    const [row] = await testSql()`select user_id from notifications where id = ${res.body.id}`;
    expect(row.user_id).toBe(user.id);
    const bad = await client.json("/api/notifications/test", { body: { title: "x", priority: "critical" } });
    expect(bad.status).toBe(400);
    const wrongType = await client.fetch("/api/notifications/test", { method: "POST", body: "title=x", headers: { "Content-Type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect((await new Client().json("/api/notifications/test", { body: { title: "x" } })).status).toBe(401);
    expect((await new Client().json("/api/notifications")).status).toBe(401);
  });
});

describe("GET /api/health", () => {
  it("reports the database and the listener", async () => {
    const res = await new Client().json("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", db: "ok", listener: "ok", realtime: { streams: expect.any(Number) } });
  });
});
