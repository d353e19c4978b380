import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { requireEnv } from "./support/env";
import { ResumingStream, seqOf, sleep } from "./support/resuming-stream";
import { SseReader, type SseEvent } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

const created = (events: SseEvent[]) => events.filter((e) => e.event === "notification.created");

/** Inserts through a transaction that takes its id early and commits late, like a slow writer. */
async function slowInsert(sql: postgres.Sql, user: TestUser, title: string) {
  return sql.begin(async (tx) => {
    const [{ id }] = await tx<{ id: string }[]>`select nextval(pg_get_serial_sequence('notifications', 'id'))::text as id`;
    await tx`select pg_sleep(${Math.random() * 0.02})`;
    await tx`insert into notifications (id, user_id, title) overriding system value values (${id}, ${user.id}, ${title})`;
    await tx`select pg_sleep(${Math.random() * 0.01})`;
    return id;
  });
}

describe("gapless resume", () => {
  it("loses and repeats nothing across reconnects while many writers commit out of id order", async () => {
    const [user, other] = await Promise.all([createTestUser("resume"), createTestUser("resumeother")]);
    const stream = await ResumingStream.open(await Client.signedIn(user));
    const writers = postgres(requireEnv("DATABASE_URL"), { max: 8, onnotice: () => {} });
    const mine: string[] = [];
    try {
      const writing = Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < 20; i++) {
            // Every fourth write goes to someone else: their ids interleave with this user's.
            const target = i % 4 === 3 ? other : user;
            const id = await slowInsert(writers, target, `w${w}-${i}`);
            if (target === user) mine.push(id);
          }
        }),
      );
      // Drop the connection at random moments during the burst; each time it resumes from its last id.
      let done = false;
      void writing.finally(() => (done = true));
      while (!done) {
        await sleep(50 + Math.random() * 150);
        stream.reconnect();
      }
      await writing;
      await stream.waitFor(() => created(stream.events).length >= mine.length, 20_000, "every notification delivered");
      expect(stream.segments.length).toBeGreaterThan(2);
      const got = created(stream.events);
      expect(got.map((e) => e.data.id).sort()).toEqual([...mine].sort());
      // In commit order: each user's numbers strictly increase across all the segments together.
      const seqs = got.map(seqOf);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      await stream.close();
      await writers.end({ timeout: 1 });
    }
  });

  it("replays missed updates and deletions in order, single and bulk, then goes live", async () => {
    const user = await createTestUser("replay");
    const client = await Client.signedIn(user);
    const first = await SseReader.open(client);
    const cursor = first.lastId!;
    first.close();
    const sql = testSql();
    const ids = (await sql<{ id: string }[]>`
      insert into notifications (user_id, title) select ${user.id}, 'n' || g from generate_series(1, 5) g returning id::text`).map((r) => r.id);
    expect((await client.json(`/api/notifications/${ids[0]}`, { method: "PATCH", body: { read: true } })).status).toBe(200);
    expect((await client.json("/api/notifications/batch", { body: { ids: ids.slice(1, 4), action: "archive" } })).status).toBe(200);
    expect((await client.json(`/api/notifications/${ids[4]}`, { method: "DELETE" })).status).toBe(204);
    expect((await client.json("/api/notifications/batch", { body: { ids: ids.slice(2, 4), action: "delete" } })).status).toBe(200);

    const resumed = await SseReader.open(client, "", { "Last-Event-ID": cursor });
    try {
      // Created rows as they are now (three are gone), then each change in the order it committed.
      expect(resumed.events.map((e) => e.event)).toEqual([
        "notification.created",
        "notification.created",
        "notification.updated",
        "notifications.updated",
        "notification.deleted",
        "notifications.deleted",
        "notifications.count",
        "ready",
      ]);
      const [a, b, update, bulkUpdate, del, bulkDelete, count] = resumed.events;
      expect([a.data.id, b.data.id]).toEqual([ids[0], ids[1]]);
      expect(a.data.readAt).toEqual(expect.any(String));
      expect(a.data.delivery.toast).toBe(false); // already read elsewhere: shown, not announced
      expect(update.data).toMatchObject({ id: ids[0], readAt: expect.any(String) });
      expect(bulkUpdate.data).toEqual({ ids: ids.slice(1, 4) });
      expect(del.data).toEqual({ id: ids[4] });
      expect(bulkDelete.data).toEqual({ ids: ids.slice(2, 4) });
      expect(count.data).toEqual({ unreadCount: 0, unseenCount: 0 });
      const seqs = resumed.events.filter((e) => e.event !== "notifications.count" && e.event !== "ready").map(seqOf);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));

      await sql`insert into notifications (user_id, title) values (${user.id}, 'live again')`;
      const live = await resumed.waitFor((e) => e.event === "notification.created" && e.data.title === "live again");
      expect(seqOf(live)).toBe(seqOf(resumed.named("ready")[0]) + 1);
    } finally {
      resumed.close();
    }
  });

  it("never replays a row that a program moved to another user since the change was recorded", async () => {
    const [alice, bob] = await Promise.all([createTestUser("moved"), createTestUser("movedto")]);
    const client = await Client.signedIn(alice);
    const first = await SseReader.open(client);
    const cursor = first.lastId!;
    first.close();
    const sql = testSql();
    const [{ id }] = await sql<{ id: string }[]>`insert into notifications (user_id, title) values (${alice.id}, 'for alice') returning id::text`;
    expect((await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: true } })).status).toBe(200);
    // Another program hands the row to Bob and gives it Bob's content.
    await sql`update notifications set user_id = ${bob.id} where id = ${id}`;
    await sql`update notifications set title = 'private to bob', body = 'bob only' where id = ${id}`;

    const resumed = await SseReader.open(client, "", { "Last-Event-ID": cursor });
    resumed.close();
    // Alice's own change (her "read") is still numbered, but the row is no longer hers to show.
    expect(JSON.stringify(resumed.events)).not.toMatch(/private to bob|bob only/);
    expect(resumed.events.filter((e) => e.data?.id === id)).toEqual([]);
    expect(resumed.events.map((e) => e.event)).toEqual(["notifications.count", "ready"]);
    expect(resumed.named("notifications.count")[0].data).toEqual({ unreadCount: 0, unseenCount: 0 });
  });

  it("answers a garbage, foreign, future or too-old Last-Event-ID with sync.reset, never with other data", async () => {
    const [user, other] = await Promise.all([createTestUser("reset"), createTestUser("resetother")]);
    const [client, otherClient] = await Promise.all([Client.signedIn(user), Client.signedIn(other)]);
    const sql = testSql();
    await sql`insert into notifications (user_id, title) values (${other.id}, 'private to other')`;
    const otherStream = await SseReader.open(otherClient);
    const foreignCursor = otherStream.lastId!;
    otherStream.close();
    await sql`insert into notifications (user_id, title) values (${user.id}, 'mine'), (${user.id}, 'mine too')`;
    const own = await SseReader.open(client);
    const ownCursor = own.lastId!;
    own.close();

    const expectReset = async (reason: string, query: string, headers: Record<string, string> = {}) => {
      const s = await SseReader.open(client, query, headers);
      s.close();
      expect(s.events.map((e) => e.event), reason).toEqual(["sync.reset", "ready"]);
      expect(s.events[0].data).toEqual({ reason });
      // The reset carries a fresh cursor, so the next reconnect resumes from now.
      expect(s.events[0].id).toBe(s.events[1].id);
      return s;
    };
    await expectReset("invalid", "?lastEventId=garbage");
    await expectReset("invalid", "", { "Last-Event-ID": "99999999999999999999.xxxxxxxxxxxxxxxx" });
    const foreign = await expectReset("invalid", "", { "Last-Event-ID": foreignCursor });
    expect(JSON.stringify(foreign.events)).not.toContain("private to other");
    // A cursor this user was given, from "before a restore": the database is now behind it.
    await sql`update notification_counters set seq = 1 where user_id = ${user.id}`;
    await expectReset("future", `?lastEventId=${encodeURIComponent(ownCursor)}`);
    await sql`update notification_counters set seq = 2 where user_id = ${user.id}`;
    // More than the replay window since the cursor: refetch instead of a huge replay.
    await sql`insert into notifications (user_id, title) select ${user.id}, 'bulk ' || g from generate_series(1, 5001) g`;
    await expectReset("too-old", "", { "Last-Event-ID": ownCursor });
  });
});
