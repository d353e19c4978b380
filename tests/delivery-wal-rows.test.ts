import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { scrape } from "./support/metrics";
import { SseReader, type SseEvent } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

// Frames built from the rows the WAL carries (lib/realtime/wal-state.ts) must be the frames a read
// would give: the same DTO as the API, the same counts, the preferences as they are now. The server
// under test is on the replication path (scripts/test.mjs), so these rows go out without a read;
// the metric says which way each range went.

afterAll(closeTestSql);

const fromWal = async () => (await scrape()).value("herald_delivery_ranges_total", { source: "wal" });

/** Waits for the notification titled `title` on `stream` and the count that follows it. */
async function arrival(stream: SseReader, title: string) {
  const isIt = (e: SseEvent) => e.event === "notification.created" && e.data.title === title;
  const created = await stream.waitFor(isIt);
  const at = stream.events.indexOf(created);
  const count = await stream.waitFor((e) => e.event === "notifications.count" && stream.events.indexOf(e) > at);
  return { created, count: count.data };
}

async function openStream(user: TestUser) {
  const client = await Client.signedIn(user);
  return { client, stream: await SseReader.open(client) };
}

describe("live frames from the WAL's rows", () => {
  it("carry exactly what the API shows for the row, and the API's counts", async () => {
    const [user, actor] = await Promise.all([createTestUser("walrow"), createTestUser("walactor")]);
    const { client, stream } = await openStream(user);
    try {
      const before = await fromWal();
      const title = `Überweisung "42" <b>bold</b> ✓ ${Math.random()}`;
      const [row] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, category, priority, title, body, action_url, action_label, actor_id,
                                   subject_type, subject_id, metadata, expires_at, seen_at)
        values (${user.id}, 'report', 'high', ${title}, ${"line one\nline two\ttabbed \\ backslash"}, '/reports/7', 'Open',
                ${actor.id}, 'report', 'r-7', ${testSql().json({ nested: { list: [1, 2.5, "x"], nil: null }, emoji: "🎉" })},
                now() + interval '1 hour 0.123456 seconds', null)
        returning id::text`;
      const { created, count } = await arrival(stream, title);
      const { delivery, ...dto } = created.data;
      const api = await client.json(`/api/notifications/${row.id}`);
      expect(api.status).toBe(200);
      const { deliveries: _, ...shown } = api.body;
      expect(dto).toEqual(shown);
      expect(dto.actor).toEqual({ id: actor.id, name: actor.name });
      expect(dto.metadata).toEqual({ nested: { list: [1, 2.5, "x"], nil: null }, emoji: "🎉" });
      expect(delivery).toMatchObject({ inApp: true, toast: true });
      const counts = (await client.json("/api/notifications/unread-count")).body;
      expect(count).toEqual({ unreadCount: counts.unreadCount, unseenCount: counts.unseenCount });
      expect(await fromWal()).toBeGreaterThan(before);
    } finally {
      stream.close();
    }
  });

  it("decide delivery by the preferences as they are now, right after a change", async () => {
    const user = await createTestUser("walprefs");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'task', 'warm up')`;
      expect((await arrival(stream, "warm up")).created.data.delivery).toMatchObject({ inApp: true, toast: true });
      const put = await client.fetch("/api/preferences", {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ categories: { task: { toast: false } } }),
      });
      expect(put.status).toBe(200);
      await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'task', 'after the change')`;
      expect((await arrival(stream, "after the change")).created.data.delivery).toMatchObject({ inApp: true, toast: false });
    } finally {
      stream.close();
    }
  });

  it("count an unread row that expired out, as a read would", async () => {
    const user = await createTestUser("walexpiry");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'stays')`;
      await arrival(stream, "stays");
      await testSql()`insert into notifications (user_id, title, expires_at) values (${user.id}, 'short-lived', now() + interval '1.5 seconds')`;
      expect((await arrival(stream, "short-lived")).count.unreadCount).toBe(2);
      await new Promise((r) => setTimeout(r, 2_000));
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'after expiry')`;
      const { count } = await arrival(stream, "after expiry");
      expect(count.unreadCount).toBe(2);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(2);
    } finally {
      stream.close();
    }
  });

  it("show only committed states: a row inserted and read in one long transaction arrives read, without a toast", async () => {
    const [user, other] = await Promise.all([createTestUser("waltx"), createTestUser("waltxother")]);
    const { client, stream } = await openStream(user);
    try {
      const title = `read at once ${Math.random()}`;
      // Megabytes of other rows between the insert and the update, so the transaction reaches the
      // server over many reads and a round runs in the middle of it.
      await testSql().begin(async (tx) => {
        await tx`insert into notifications (user_id, title) values (${user.id}, ${title})`;
        await tx`insert into notifications (user_id, title, body) select ${other.id}, 'filler', repeat('x', 2000) from generate_series(1, 2000)`;
        await tx`update notifications set read_at = now() where user_id = ${user.id} and title = ${title}`;
      });
      const { created, count } = await arrival(stream, title);
      expect(created.data.readAt).toEqual(expect.any(String));
      expect(created.data.delivery).toMatchObject({ toast: false, browser: false, sound: false });
      expect(count.unreadCount).toBe(0);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(0);
    } finally {
      stream.close();
    }
  });

  it("keep the grouped and the token's rows, which the WAL does not carry whole, exactly as read", async () => {
    const user = await createTestUser("walgroup");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, category, title, group_key) values (${user.id}, 'message', 'g one', 'room:1')`;
      await arrival(stream, "g one");
      await testSql()`insert into notifications (user_id, category, title, group_key) values (${user.id}, 'message', 'g two', 'room:1')`;
      const { created, count } = await arrival(stream, "g two");
      expect(created.data.group).toMatchObject({ key: "room:1", count: 2 });
      expect(count.unreadCount).toBe(1);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(1);
    } finally {
      stream.close();
    }
  });
});
