import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const stateOf = async (id: string) =>
  (await testSql()<{ read_at: Date | null; clicked_at: Date | null }[]>`select read_at, clicked_at from notifications where id = ${id}`)[0];
const seqOf = async (userId: string) =>
  Number((await testSql()<{ seq: string }[]>`select seq from notification_counters where user_id = ${userId}`)[0]?.seq ?? 0);

describe("POST /api/notifications/{id}/click", () => {
  it("records the first click, reads it (counts and a live event follow), and keeps the first time after", async () => {
    const user = await createTestUser("clicker");
    const [row] = await testSql()<{ id: string }[]>`
      insert into notifications (user_id, category, title, action_url) values (${user.id}, 'report', 'Export ready', '/reports/1') returning id`;
    await testSql()`insert into notifications (user_id, title) values (${user.id}, 'still unread')`;
    const id = String(row.id);
    const client = await Client.signedIn(user);
    expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 2, unseenCount: 2 });

    const stream = await SseReader.open(client);
    try {
      const first = await client.json(`/api/notifications/${id}/click`, { method: "POST" });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id, title: "Export ready", clickedAt: expect.any(String), readAt: expect.any(String), seenAt: expect.any(String) });
      const clickedAt = first.body.clickedAt as string;
      expect((await stateOf(id)).clicked_at?.toISOString()).toBe(clickedAt);

      const updated = await stream.waitFor((e) => e.event === "notification.updated" && e.data.id === id);
      expect(updated.data).toMatchObject({ clickedAt, readAt: first.body.readAt });
      const count = await stream.waitFor((e) => e.event === "notifications.count" && stream.events.indexOf(e) > stream.events.indexOf(updated));
      expect(count.data).toEqual({ unreadCount: 1, unseenCount: 1 });
      expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 1, unseenCount: 1 });

      // Again: nothing changes, so no change is recorded (the user's change number stays put).
      const seq = await seqOf(user.id);
      const again = await client.json(`/api/notifications/${id}/click`, { method: "POST" });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ clickedAt, readAt: first.body.readAt });
      expect(await seqOf(user.id)).toBe(seq);

      // Marked unread since, a click reads it again and still keeps the first click's time.
      expect((await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: false } })).body.readAt).toBeNull();
      const later = await client.json(`/api/notifications/${id}/click`, { method: "POST" });
      expect(later.body).toMatchObject({ clickedAt, readAt: expect.any(String) });
      expect((await stateOf(id)).clicked_at?.toISOString()).toBe(clickedAt);
    } finally {
      stream.close();
    }

    // Every read of the notification carries it.
    expect((await client.json(`/api/notifications/${id}`)).body.clickedAt).toBe((await stateOf(id)).clicked_at?.toISOString());
    const list = await client.json("/api/notifications?status=all");
    expect(list.body.items.find((n: { id: string }) => n.id === id)?.clickedAt).toEqual(expect.any(String));
    expect(list.body.items.find((n: { id: string }) => n.id !== id)?.clickedAt).toBeNull();
  });

  it("on a grouped item reads its members and stamps only the one whose action was opened", async () => {
    const user = await createTestUser("groupclick");
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const [r] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, title, group_key, action_url) values (${user.id}, ${"member " + i}, 'room:clicks', '/chat') returning id`;
      ids.push(String(r.id));
    }
    const client = await Client.signedIn(user);
    const res = await client.json(`/api/notifications/${ids[2]}/click`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids[2], clickedAt: expect.any(String), group: { count: 3 } });
    const rows = await testSql()<{ id: string; read_at: Date | null; clicked_at: Date | null }[]>`
      select id::text, read_at, clicked_at from notifications where user_id = ${user.id} order by id`;
    expect(rows.map((r) => r.read_at !== null)).toEqual([true, true, true]);
    expect(rows.map((r) => r.clicked_at !== null)).toEqual([false, false, true]);
    expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(0);
  });

  it("404s for someone else's notification or an unknown or expired one, changing nothing; 400s a bad id", async () => {
    const [owner, other] = await Promise.all([createTestUser("clickowner"), createTestUser("clickother")]);
    const [row] = await testSql()<{ id: string }[]>`insert into notifications (user_id, title, action_url) values (${owner.id}, 'mine', '/x') returning id`;
    const [expired] = await testSql()<{ id: string }[]>`
      insert into notifications (user_id, title, expires_at) values (${owner.id}, 'gone', now() - interval '1 minute') returning id`;
    const id = String(row.id);
    const ownerSeq = await seqOf(owner.id);

    const otherClient = await Client.signedIn(other);
    const stolen = await otherClient.json(`/api/notifications/${id}/click`, { method: "POST" });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe("not_found");
    expect(await stateOf(id)).toEqual({ read_at: null, clicked_at: null });
    expect(await seqOf(owner.id)).toBe(ownerSeq);

    const ownerClient = await Client.signedIn(owner);
    for (const missing of ["999999999", String(expired.id)]) {
      const res = await ownerClient.json(`/api/notifications/${missing}/click`, { method: "POST" });
      expect(res.status, missing).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect(await stateOf(String(expired.id))).toEqual({ read_at: null, clicked_at: null });
    for (const bad of ["0", "-1", "abc", "99999999999999999999", "1.5"]) {
      const res = await ownerClient.json(`/api/notifications/${bad}/click`, { method: "POST" });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("validation_error");
    }

    expect((await new Client().json(`/api/notifications/${id}/click`, { method: "POST" })).status).toBe(401);
    const crossSite = await ownerClient.json(`/api/notifications/${id}/click`, { method: "POST", headers: { Origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect((await ownerClient.json(`/api/notifications/${id}/click`)).status).toBe(405);
    expect(await stateOf(id)).toEqual({ read_at: null, clicked_at: null });
  });
});
