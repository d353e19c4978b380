import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";
import { openRoom } from "./support/api";

// Grouping, seen vs read and snooze, decided in Postgres: rows written by plain SQL behave like the app's.

afterAll(closeTestSql);

let bob: TestUser, ana: TestUser;
beforeAll(async () => {
  [bob, ana] = await Promise.all([createTestUser("bob"), createTestUser("ana")]);
});

/** Rows as another program writes them: plain SQL, a group key, an actor. */
async function sqlRows(userId: string, n: number, { group, actorId, title = "msg" }: { group?: string; actorId?: string; title?: string } = {}) {
  const rows = await testSql()<{ id: string }[]>`
    insert into notifications (user_id, title, body, category, group_key, actor_id)
    select ${userId}, ${title} || ' ' || i, 'body ' || i, 'message', ${group ?? null}, ${actorId ?? null}
      from generate_series(1, ${n}) i
    returning id`;
  return rows.map((r) => r.id);
}

const list = (c: Client, query = "") => c.json(`/api/notifications${query}`);

describe("groups", () => {
  it("shows a group's unread rows as one item, counted once, with its count, actors and members", async () => {
    const me = await createTestUser("grp");
    const client = await Client.signedIn(me);
    await sqlRows(me.id, 1, { title: "lone" });
    await sqlRows(me.id, 2, { group: "room:1", actorId: ana.id });
    const ids = await sqlRows(me.id, 3, { group: "room:1", actorId: bob.id });
    const page = await list(client);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    const [item, lone] = page.body.items;
    expect(item.id).toBe(ids[2]);
    expect(item.group).toMatchObject({ key: "room:1", count: 5 });
    expect(item.group.actors.map((a: { name: string }) => a.name)).toEqual([bob.name, ana.name]);
    expect(lone.group).toBeNull();
    expect(page.body.unreadCount).toBe(2);
    expect(page.body.unseenCount).toBe(2);
    const members = await list(client, "?groupKey=room:1");
    expect(members.body.items.map((n: { id: string }) => n.id)).toHaveLength(5);
    expect(members.body.items[0].id).toBe(ids[2]);
  });

  it("reads, archives and deletes a group's item as all of its members", async () => {
    const me = await createTestUser("grpact");
    const client = await Client.signedIn(me);
    const ids = await sqlRows(me.id, 4, { group: "thread", actorId: bob.id });
    const read = await client.json(`/api/notifications/${ids[3]}`, { method: "PATCH", body: { read: true } });
    expect(read.status).toBe(200);
    expect(read.body.group.count).toBe(4);
    expect(read.body.readAt).not.toBeNull();
    const rows = await testSql()<{ n: number }[]>`select count(*)::int as n from notifications where user_id = ${me.id} and read_at is null`;
    expect(rows[0].n).toBe(0);
    expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 0, unseenCount: 0 });
    // Read together, they stay one item.
    expect((await list(client)).body.items).toHaveLength(1);
    const archived = await client.json("/api/notifications/batch", { body: { groupKeys: ["thread"], action: "archive" } });
    expect(archived.body.updated).toBe(4);
    expect((await list(client, "?status=archived")).body.items).toHaveLength(1);
    const gone = await client.fetch(`/api/notifications/${ids[0]}`, { method: "DELETE" });
    expect(gone.status).toBe(204);
    expect((await testSql()`select 1 from notifications where user_id = ${me.id}`).length).toBe(0);
  });

  it("read-all with a groupKey reads only that group", async () => {
    const me = await createTestUser("grpall");
    const client = await Client.signedIn(me);
    await sqlRows(me.id, 3, { group: "a" });
    await sqlRows(me.id, 2, { group: "b" });
    const res = await client.json("/api/notifications/read-all", { body: { groupKey: "a" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ updated: 3, unreadCount: 1, unseenCount: 1 });
  });

  it("a new member updates the group's item live: one event carrying the new count, the count unchanged", async () => {
    const me = await createTestUser("grplive");
    const client = await Client.signedIn(me);
    await sqlRows(me.id, 2, { group: "room:9", actorId: bob.id });
    const stream = await SseReader.open(client);
    try {
      const [id] = await sqlRows(me.id, 1, { group: "room:9", actorId: ana.id });
      const created = await stream.waitFor((e) => e.event === "notification.created" && e.data.id === id);
      expect(created.data.group).toMatchObject({ key: "room:9", count: 3 });
      expect(created.data.group.actors[0].name).toBe(ana.name);
      const count = await stream.waitFor((e) => e.event === "notifications.count");
      expect(count.data).toEqual({ unreadCount: 1, unseenCount: 1 });
    } finally {
      stream.close();
    }
  });

  it("groups chat messages by room", async () => {
    const [sender, recipient] = await Promise.all([createTestUser("sender"), createTestUser("recipient")]);
    const [s, r] = await Promise.all([Client.signedIn(sender), Client.signedIn(recipient)]);
    const room = await openRoom(s, recipient.email);
    for (const body of ["one", "two", "three"]) {
      expect((await s.json(`/api/rooms/${room}/messages`, { body: { body } })).status).toBe(201);
    }
    const page = await list(r);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ body: "three", group: { key: `room:${room}`, count: 3 } });
    expect(page.body.unreadCount).toBe(1);
  });

  it("refuses bad group input without changing anything", async () => {
    const client = await Client.signedIn(await createTestUser("grpbad"));
    const empty = await client.json("/api/notifications/batch", { body: { action: "read" } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("validation_error");
    expect((await client.json("/api/notifications/batch", { body: { groupKeys: [""], action: "read" } })).status).toBe(400);
    expect((await client.json("/api/notifications/read-all", { body: { groupKey: 5 } })).status).toBe(400);
  });
});

describe("seen vs read", () => {
  it("marks what was shown as seen: the unseen count drops, unread stays, nothing newer is touched", async () => {
    const me = await createTestUser("seen");
    const client = await Client.signedIn(me);
    const ids = await sqlRows(me.id, 3);
    const later = await sqlRows(me.id, 1);
    const res = await client.json("/api/notifications/seen", { body: { upTo: ids[2] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ updated: 3, unreadCount: 4, unseenCount: 1 });
    const page = await list(client);
    const byId = new Map(page.body.items.map((n: { id: string }) => [n.id, n]));
    expect((byId.get(ids[0]) as { seenAt: string | null }).seenAt).not.toBeNull();
    expect((byId.get(later[0]) as { seenAt: string | null }).seenAt).toBeNull();
    expect(page.body).toMatchObject({ unreadCount: 4, unseenCount: 1 });
    expect((await client.json("/api/notifications/seen", { body: { upTo: "abc" } })).status).toBe(400);
  });

  it("counts a group as unseen while any unread member is unseen", async () => {
    const me = await createTestUser("seengrp");
    const client = await Client.signedIn(me);
    const ids = await sqlRows(me.id, 2, { group: "g" });
    await client.json("/api/notifications/seen", { body: { upTo: ids[1] } });
    expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 1, unseenCount: 0 });
    await sqlRows(me.id, 1, { group: "g" });
    expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 1, unseenCount: 1 });
  });
});

describe("snooze", () => {
  it("takes an item out of lists and counts at once, lists it under snoozed, and brings it back as new at its time", async () => {
    const me = await createTestUser("snooze");
    const client = await Client.signedIn(me);
    const [id] = await sqlRows(me.id, 1, { title: "later" });
    const stream = await SseReader.open(client);
    try {
      const until = new Date(Date.now() + 2_000).toISOString();
      const res = await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { snoozedUntil: until } });
      expect(res.status).toBe(200);
      expect(res.body.snoozedUntil).not.toBeNull();
      expect((await list(client)).body.items).toHaveLength(0);
      expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 0, unseenCount: 0 });
      expect((await list(client, "?status=snoozed")).body.items.map((n: { id: string }) => n.id)).toEqual([id]);
      // The wake-up is a job in Postgres, queued for that time by the same transaction.
      const jobs = await testSql()`select 1 from pgboss.job where name = 'herald-wake' and (data->>'id')::bigint = ${id} and start_after > now()`;
      expect(jobs.length).toBe(1);
      const back = await stream.waitFor((e) => e.event === "notification.created" && e.data.id === id, 15_000);
      expect(back.data).toMatchObject({ snoozedUntil: null, readAt: null, seenAt: null });
      expect(back.data.delivery.toast).toBe(true);
      expect((await list(client)).body.items.map((n: { id: string }) => n.id)).toEqual([id]);
      expect((await client.json("/api/notifications/unread-count")).body).toEqual({ unreadCount: 1, unseenCount: 1 });
      const changes = await testSql()`select 1 from notification_changes where user_id = ${me.id} and op = 'resurface'`;
      expect(changes.length).toBe(1);
    } finally {
      stream.close();
    }
  });

  it("wakes a snooze set by plain SQL, and a whole group's item together", async () => {
    const me = await createTestUser("snoozesql");
    const client = await Client.signedIn(me);
    const stream = await SseReader.open(client);
    try {
      const ids = await sqlRows(me.id, 3, { group: "room:7", actorId: bob.id });
      await stream.waitFor((e) => e.event === "notification.created" && e.data.id === ids[2]);
      await testSql()`update notifications set snoozed_until = now() + interval '1 second' where user_id = ${me.id}`;
      expect((await list(client)).body.items).toHaveLength(0);
      const mark = stream.events.length;
      const back = await stream.waitFor((e) => e.event === "notification.created" && stream.events.indexOf(e) >= mark, 15_000);
      expect(back.data.id).toBe(ids[2]);
      expect(back.data.group).toMatchObject({ key: "room:7", count: 3 });
      const page = await list(client);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.unreadCount).toBe(1);
    } finally {
      stream.close();
    }
  });

  it("snoozes a group's item as all of its members, and null brings it back now", async () => {
    const me = await createTestUser("snoozegrp");
    const client = await Client.signedIn(me);
    const ids = await sqlRows(me.id, 2, { group: "g" });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await client.json(`/api/notifications/${ids[1]}`, { method: "PATCH", body: { snoozedUntil: until } });
    const snoozed = await testSql()`select 1 from notifications where user_id = ${me.id} and snoozed_until is not null`;
    expect(snoozed.length).toBe(2);
    const woke = await client.json(`/api/notifications/${ids[1]}`, { method: "PATCH", body: { snoozedUntil: null } });
    expect(woke.body).toMatchObject({ snoozedUntil: null, group: { count: 2 } });
    expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(1);
  });

  it("refuses a snooze in the past, too far ahead or not a date, and another user's notification", async () => {
    const me = await createTestUser("snoozebad");
    const client = await Client.signedIn(me);
    const [id] = await sqlRows(me.id, 1);
    const [theirs] = await sqlRows(ana.id, 1);
    for (const snoozedUntil of [new Date(Date.now() - 60_000).toISOString(), "2999-01-01T00:00:00Z", "tomorrow", 5]) {
      const res = await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { snoozedUntil } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    const other = await client.json(`/api/notifications/${theirs}`, { method: "PATCH", body: { snoozedUntil: new Date(Date.now() + 60_000).toISOString() } });
    expect(other.status).toBe(404);
    const untouched = await testSql()`select 1 from notifications where id in (${id}, ${theirs}) and snoozed_until is not null`;
    expect(untouched.length).toBe(0);
  });
});
