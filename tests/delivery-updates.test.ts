import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { SseReader, type SseEvent } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

async function seed(user: TestUser, n: number) {
  const rows = await testSql()<{ id: string }[]>`
    insert into notifications (user_id, title) select ${user.id}, 'n' || g from generate_series(1, ${n}) g returning id::text`;
  return rows.map((r) => r.id);
}

/**
 * Inserts a marker notification and waits, on each stream, for it and the count that follows it. Events of one user
 * go out in commit order, so once the marker is here nothing earlier is still in flight. Returns the
 * change events before the marker (counts left out: the dispatcher may batch several changes into
 * one count) and the unread count after it.
 */
async function untilMarker(streams: SseReader[], starts: number[], user: TestUser) {
  const title = `marker ${Math.random()}`;
  await testSql()`insert into notifications (user_id, title) values (${user.id}, ${title})`;
  return Promise.all(
    streams.map(async (stream, i) => {
      const isMarker = (e: SseEvent) => e.event === "notification.created" && e.data.title === title;
      await stream.waitFor(isMarker);
      const at = stream.events.findIndex(isMarker);
      const count = await stream.waitFor((e) => e.event === "notifications.count" && stream.events.indexOf(e) > at);
      const changes = stream.events.slice(starts[i], at).filter((e) => e.event !== "notifications.count");
      return { changes, unreadAfterMarker: count.data.unreadCount as number };
    }),
  );
}

describe("updates reach every stream of the user", () => {
  it("sends updated/deleted events and the server's unread count to every device", async () => {
    const user = await createTestUser("sync");
    const ids = await seed(user, 3);
    // Expired ones count nowhere: not in the API's count, not in the stream's.
    await testSql()`insert into notifications (user_id, title, expires_at) values (${user.id}, 'gone', now() - interval '1 minute')`;
    const [phone, laptop] = await Promise.all([Client.signedIn(user), Client.signedIn(user)]);
    const streams = await Promise.all([SseReader.open(phone), SseReader.open(laptop)]);
    try {
      const starts = streams.map((s) => s.events.length);
      await laptop.json(`/api/notifications/${ids[0]}`, { method: "PATCH", body: { read: true } });
      await laptop.json(`/api/notifications/${ids[1]}`, { method: "PATCH", body: { archived: true } });
      await laptop.json(`/api/notifications/${ids[0]}`, { method: "PATCH", body: { read: false } });
      await laptop.json(`/api/notifications/${ids[2]}`, { method: "DELETE" });
      for (const { changes, unreadAfterMarker } of await untilMarker(streams, starts, user)) {
        expect(changes.map((e) => [e.event, e.data.id])).toEqual([
          ["notification.updated", ids[0]],
          ["notification.updated", ids[1]],
          ["notification.updated", ids[0]],
          ["notification.deleted", ids[2]],
        ]);
        expect(changes[0].data.readAt).toEqual(expect.any(String));
        expect(changes[1].data.archivedAt).toEqual(expect.any(String));
        expect(changes[2].data.readAt).toBeNull();
        // ids[0] unread again, ids[1] archived, ids[2] gone, plus the marker; the same as the API says.
        expect(unreadAfterMarker).toBe(2);
        expect((await laptop.json("/api/notifications/unread-count")).body).toMatchObject({ unreadCount: unreadAfterMarker });
      }
    } finally {
      for (const s of streams) s.close();
    }
  });

  it("turns one bulk action into one event per stream, not one per row", async () => {
    const user = await createTestUser("bulk");
    const ids = await seed(user, 40);
    const client = await Client.signedIn(user);
    const streams = await Promise.all([SseReader.open(client), SseReader.open(await Client.signedIn(user))]);
    try {
      const starts = streams.map((s) => s.events.length);
      expect((await client.json("/api/notifications/batch", { body: { ids: ids.slice(0, 20), action: "read" } })).body.updated).toBe(20);
      expect((await client.json("/api/notifications/read-all", { body: {} })).body.updated).toBe(20);
      expect((await client.json("/api/notifications/batch", { body: { ids: ids.slice(0, 30), action: "delete" } })).body.updated).toBe(30);
      // Nothing changes: no event at all.
      expect((await client.json("/api/notifications/batch", { body: { ids: ids.slice(30), action: "read" } })).body.updated).toBe(0);
      for (const { changes, unreadAfterMarker } of await untilMarker(streams, starts, user)) {
        expect(changes.map((e) => e.event)).toEqual(["notifications.updated", "notifications.updated", "notifications.deleted"]);
        expect(changes[0].data.ids).toEqual(ids.slice(0, 20));
        expect(changes[1].data.ids).toEqual(ids.slice(20));
        expect(changes[2].data.ids).toEqual(ids.slice(0, 30));
        expect(unreadAfterMarker).toBe(1);
      }
    } finally {
      for (const s of streams) s.close();
    }
  });
});
