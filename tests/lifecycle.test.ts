import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

const sorted = (ids: (string | number)[]) => ids.map(String).sort();

afterAll(closeTestSql);

async function seed(user: TestUser, titles: string[], extra: { category?: string } = {}) {
  const ids: string[] = [];
  for (const title of titles) {
    const [row] = await testSql()<{ id: string }[]>`
      insert into notifications (user_id, title, category) values (${user.id}, ${title}, ${extra.category ?? "general"}) returning id`;
    ids.push(String(row.id));
  }
  return ids;
}

describe("notification lifecycle", () => {
  it("reads, unreads, archives and deletes one notification, only for its owner", async () => {
    const [owner, other] = await Promise.all([createTestUser("life"), createTestUser("lifeother")]);
    const [id] = await seed(owner, ["one"]);
    const me = await Client.signedIn(owner);
    const them = await Client.signedIn(other);
    expect((await them.json(`/api/notifications/${id}`)).status).toBe(404);
    expect((await them.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: true } })).status).toBe(404);
    expect((await them.json(`/api/notifications/${id}`, { method: "DELETE" })).status).toBe(404);

    expect((await me.json(`/api/notifications/${id}`)).body.title).toBe("one");
    const read = await me.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: true } });
    expect(read.body.readAt).toEqual(expect.any(String));
    const unread = await me.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: false } });
    expect(unread.body.readAt).toBeNull();
    const archived = await me.json(`/api/notifications/${id}`, { method: "PATCH", body: { archived: true } });
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await me.json("/api/notifications")).body.items).toHaveLength(0);
    expect((await me.json("/api/notifications?status=archived")).body.items.map((n: any) => n.id)).toEqual([id]);
    expect((await me.json(`/api/notifications/${id}`, { method: "PATCH", body: {} })).status).toBe(400);
    expect((await me.json(`/api/notifications/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await me.json(`/api/notifications/${id}`)).status).toBe(404);
  });

  it("marks all read up to what the user saw, never what arrived later", async () => {
    const user = await createTestUser("readall");
    const ids = await seed(user, ["a", "b", "c"]);
    const client = await Client.signedIn(user);
    await seed(user, ["arrived after the click"]);
    const res = await client.json("/api/notifications/read-all", { body: { upTo: ids[2] } });
    expect(res.body).toMatchObject({ updated: 3, unreadCount: 1 });
    expect(sorted(res.body.ids)).toEqual(sorted(ids));
    expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 1, unseenCount: 1 });
    expect((await client.json("/api/notifications?status=unread")).body.items.map((n: any) => n.title)).toEqual([
      "arrived after the click",
    ]);
  });

  it("clears all (archives) up to what the user saw, and the ids it answers undo exactly that", async () => {
    const user = await createTestUser("clearall");
    const ids = await seed(user, ["a", "b"]);
    const client = await Client.signedIn(user);
    const [later] = await seed(user, ["arrived after the click"]);
    const res = await client.json("/api/notifications/archive-all", { body: { upTo: ids[1] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ updated: 2, unreadCount: 1 });
    expect(sorted(res.body.ids)).toEqual(sorted(ids));
    expect((await client.json("/api/notifications")).body.items.map((n: any) => n.id)).toEqual([String(later)]);
    const undo = await client.json("/api/notifications/batch", { body: { ids: res.body.ids, action: "unarchive" } });
    expect(undo.body).toMatchObject({ updated: 2, unreadCount: 3 });
    expect((await client.json("/api/notifications/archive-all", { body: { upTo: "latest" } })).status).toBe(400);
  });

  it("applies batch actions in one go and ignores other users' ids", async () => {
    const [user, other] = await Promise.all([createTestUser("batch"), createTestUser("batchother")]);
    const ids = await seed(user, ["1", "2", "3"]);
    const [foreign] = await seed(other, ["not yours"]);
    const client = await Client.signedIn(user);
    const res = await client.json("/api/notifications/batch", { body: { ids: [...ids, foreign], action: "read" } });
    expect(res.body).toMatchObject({ updated: 3, unreadCount: 0 });
    expect(sorted(res.body.ids)).toEqual(sorted(ids));
    expect((await testSql()`select read_at from notifications where id = ${foreign}`)[0].read_at).toBeNull();
    expect((await client.json("/api/notifications/batch", { body: { ids: [ids[0]], action: "delete" } })).body.updated).toBe(1);
    expect((await client.json("/api/notifications/batch", { body: { ids: [], action: "read" } })).status).toBe(400);
    expect((await client.json("/api/notifications/batch", { body: { ids: ids, action: "explode" } })).status).toBe(400);
  });

  it("filters by status, category, priority and text", async () => {
    const user = await createTestUser("filter");
    await seed(user, ["Invoice overdue"], { category: "task" });
    await seed(user, ["Standup moved"], { category: "appointment" });
    const client = await Client.signedIn(user);
    expect((await client.json("/api/notifications?category=task")).body.items.map((n: any) => n.title)).toEqual(["Invoice overdue"]);
    expect((await client.json("/api/notifications?q=standup")).body.items.map((n: any) => n.title)).toEqual(["Standup moved"]);
    expect((await client.json("/api/notifications?q=%25")).body.items).toHaveLength(0);
    expect((await client.json("/api/notifications?status=read")).body.items).toHaveLength(0);
    expect((await client.json("/api/notifications?category=nope")).status).toBe(400);
    expect((await client.json("/api/notifications?unknown=1")).status).toBe(400);
  });
});

describe("preferences", () => {
  it("returns defaults, merges updates, validates, and silences a muted category on the stream", async () => {
    const user = await createTestUser("prefs");
    const client = await Client.signedIn(user);
    const defaults = await client.json("/api/preferences");
    expect(defaults.body.categories.message).toEqual({ inApp: true, toast: true, browser: true, sound: true, email: false, push: true, muted: false });
    expect(defaults.body.quietHours).toEqual({ enabled: false, start: "22:00", end: "07:00", timeZone: "UTC" });
    const put = await client.json("/api/preferences", { method: "PUT", body: { categories: { report: { muted: true } }, quietHours: { timeZone: "Europe/Paris" } } });
    expect(put.status).toBe(200);
    expect(put.body.categories.report.muted).toBe(true);
    expect(put.body.categories.report.toast).toBe(true);
    expect(put.body.quietHours.timeZone).toBe("Europe/Paris");
    for (const body of [{ quietHours: { start: "25:00" } }, { quietHours: { timeZone: "Mars/Base" } }, { categories: { nope: {} } }, { extra: 1 }]) {
      expect((await client.json("/api/preferences", { method: "PUT", body })).status, JSON.stringify(body)).toBe(400);
    }
    const stream = await SseReader.open(client);
    try {
      await seed(user, ["muted report"], { category: "report" });
      await seed(user, ["loud task"], { category: "task" });
      const muted = await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "muted report");
      const loud = await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "loud task");
      expect(muted.data.delivery.toast).toBe(false);
      expect(loud.data.delivery.toast).toBe(true);
    } finally {
      stream.close();
    }
  });
});
