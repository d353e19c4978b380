import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRoom } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser, type TestUser } from "./support/users";

let alice: TestUser, bob: TestUser, carol: TestUser;
let aliceClient: Client, bobClient: Client, carolClient: Client;
let roomId: string;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([createTestUser("alice"), createTestUser("bob"), createTestUser("carol")]);
  [aliceClient, bobClient, carolClient] = await Promise.all([alice, bob, carol].map((u) => Client.signedIn(u)));
  roomId = await openRoom(bobClient, alice.email);
});
afterAll(closeTestSql);

describe("POST /api/rooms", () => {
  it("finds the same direct room for the pair, whoever asks, and lists it for both", async () => {
    expect(await openRoom(aliceClient, bob.email.toUpperCase())).toBe(roomId);
    const [mine, theirs] = await Promise.all([aliceClient.json("/api/rooms"), bobClient.json("/api/rooms")]);
    expect(mine.body.items).toEqual([{ id: roomId, other: { id: bob.id, name: bob.name, email: bob.email }, lastMessage: null, unread: 0 }]);
    expect(theirs.body.items.map((r: { id: string }) => r.id)).toEqual([roomId]);
  });

  it("400s for yourself or a bad email", async () => {
    expect((await bobClient.json("/api/rooms", { body: { participantEmail: bob.email } })).status).toBe(400);
    const bad = await bobClient.json("/api/rooms", { body: { participantEmail: "not-an-email" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_error");
  });
});

describe("POST /api/rooms/{roomId}/messages", () => {
  it("stores the message and the recipient's notification together", async () => {
    const res = await bobClient.json(`/api/rooms/${roomId}/messages`, { body: { body: "Lunch at noon?" } });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ roomId, senderId: bob.id, body: "Lunch at noon?" });
    expect(res.body.notification).toMatchObject({
      category: "message",
      title: `${bob.name} sent you a message`,
      actor: { id: bob.id, name: bob.name },
      body: "Lunch at noon?",
      actionUrl: `/chat/${roomId}`,
      subject: { type: "message", id: res.body.message.id },
      readAt: null,
    });
    const [row] = await testSql()`select user_id from notifications where id = ${res.body.notification.id}`;
    expect(row.user_id).toBe(alice.id);
  });

  it("rolls the message back when the notification insert fails", async () => {
    const sql = testSql();
    const marker = `fail-${Date.now()}`;
    // Force the second insert of the transaction to fail, for this one message only.
    await sql.unsafe(`
      create or replace function herald_test_fail() returns trigger language plpgsql as $$
      begin
        if new.body like '%${marker}%' then raise exception 'forced failure for test'; end if;
        return new;
      end $$;
      create trigger herald_test_fail before insert on notifications
        for each row execute function herald_test_fail();`);
    try {
      const res = await bobClient.json(`/api/rooms/${roomId}/messages`, { body: { body: `hello ${marker}` } });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe("internal_error");
      expect(JSON.stringify(res.body)).not.toContain("forced failure");
    } finally {
      await sql.unsafe(`drop trigger herald_test_fail on notifications; drop function herald_test_fail();`);
    }
    const messages = await sql`select id from messages where body like ${"%" + marker + "%"}`;
    expect(messages).toHaveLength(0);
    const ok = await bobClient.json(`/api/rooms/${roomId}/messages`, { body: { body: `after ${marker}` } });
    expect(ok.status).toBe(201);
  });

  it("only lets members post", async () => {
    const res = await carolClient.json(`/api/rooms/${roomId}/messages`, { body: { body: "let me in" } });
    expect(res.status).toBe(404);
    const count = await testSql()`select count(*)::int as n from messages where body = 'let me in'`;
    expect(count[0].n).toBe(0);
  });

  it("rejects bad input with a JSON error and stores nothing", async () => {
    const before = (await testSql()`select count(*)::int as n from messages where room_id = ${roomId}`)[0].n;
    const cases: [unknown, number, string][] = [
      [{}, 400, "validation_error"],
      [{ body: "   " }, 400, "validation_error"],
      [{ body: 42 }, 400, "validation_error"],
      [{ body: "hi", extra: true }, 400, "validation_error"],
      ["{not json", 400, "invalid_json"],
      [{ body: "x".repeat(70_000) }, 413, "payload_too_large"],
    ];
    for (const [body, status, code] of cases) {
      const res = await bobClient.json(`/api/rooms/${roomId}/messages`, { body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect((await bobClient.json(`/api/rooms/not-a-uuid/messages`, { body: { body: "x" } })).status).toBe(400);
    const signedOut = await new Client().json(`/api/rooms/${roomId}/messages`, { body: { body: "x" } });
    expect(signedOut.status).toBe(401);
    const after = (await testSql()`select count(*)::int as n from messages where room_id = ${roomId}`)[0].n;
    expect(after).toBe(before);
  });
});
