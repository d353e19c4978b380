import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";
import { openRoom } from "./support/api";

afterAll(closeTestSql);

describe("GET /api/notifications/stream", () => {
  it("answers 401 JSON when signed out", async () => {
    const res = await fetch(`${BASE_URL()}/api/notifications/stream`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("answers a wrong method with a JSON 405, like every API route", async () => {
    for (const path of ["/api/notifications/stream", "/api/notifications/test"]) {
      const res = await fetch(`${BASE_URL()}${path}`, { method: path.endsWith("stream") ? "POST" : "GET" });
      expect(res.status, path).toBe(405);
      expect((await res.json()).error.code).toBe("method_not_allowed");
    }
  });

  it("is an event stream that does not get buffered or transformed", async () => {
    const user = await createTestUser("headers");
    const stream = await SseReader.open(await Client.signedIn(user));
    stream.close();
    const res = await (await Client.signedIn(user)).fetch("/api/notifications/stream", { signal: AbortSignal.timeout(2000) });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toContain("no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    await res.body?.cancel();
  });

  it("delivers a notification inserted by raw SQL from a separate connection", async () => {
    const user = await createTestUser("rawsql");
    const stream = await SseReader.open(await Client.signedIn(user));
    try {
      const [row] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, category, priority, title, body, action_url, metadata)
        values (${user.id}, 'report', 'high', 'Weekly report', 'Your report is ready', '/reports/1', '{"k":1}')
        returning id`;
      const event = await stream.waitFor((e) => e.event === "notification.created");
      // The event id is the resume cursor (`<seq>.<mac>`), not the notification id.
      expect(event.id).toMatch(/^1\.[A-Za-z0-9_-]{16}$/);
      expect(event.data).toMatchObject({
        id: String(row.id),
        category: "report",
        priority: "high",
        title: "Weekly report",
        body: "Your report is ready",
        actionUrl: "/reports/1",
        metadata: { k: 1 },
        readAt: null,
      });
      expect(new Date(event.data.createdAt).toISOString()).toBe(event.data.createdAt);
      const count = await stream.waitFor((e) => e.event === "notifications.count");
      expect(count.data).toEqual({ unreadCount: 1, unseenCount: 1 });
    } finally {
      stream.close();
    }
  });

  it("keeps users apart: bob's stream receives nothing of alice's", async () => {
    const [alice, bob] = await Promise.all([createTestUser("isoalice"), createTestUser("isobob")]);
    const [aliceStream, bobStream] = await Promise.all([
      SseReader.open(await Client.signedIn(alice)),
      SseReader.open(await Client.signedIn(bob)),
    ]);
    try {
      for (let i = 0; i < 5; i++) {
        await testSql()`insert into notifications (user_id, title) values (${alice.id}, ${"for alice " + i})`;
      }
      await aliceStream.waitFor((e) => e.event === "notification.created" && e.data.title === "for alice 4");
      // And one for bob afterwards: once it arrives, anything of alice's would have arrived before it.
      await testSql()`insert into notifications (user_id, title) values (${bob.id}, 'for bob')`;
      await bobStream.waitFor((e) => e.event === "notification.created");
      const bobTitles = bobStream.named("notification.created").map((e) => e.data.title);
      expect(bobTitles).toEqual(["for bob"]);
      expect(aliceStream.named("notification.created").map((e) => e.data.title)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `for alice ${i}`),
      );
    } finally {
      aliceStream.close();
      bobStream.close();
    }
  });

  it("delivers a chat message's notification to the recipient live", async () => {
    const [alice, bob] = await Promise.all([createTestUser("chatalice"), createTestUser("chatbob")]);
    const [aliceClient, bobClient] = await Promise.all([Client.signedIn(alice), Client.signedIn(bob)]);
    const stream = await SseReader.open(aliceClient);
    try {
      const room = await openRoom(bobClient, alice.email);
      const sent = await bobClient.json(`/api/rooms/${room}/messages`, { body: { body: "Are you there?" } });
      const event = await stream.waitFor((e) => e.event === "notification.created");
      expect(event.data).toEqual({ ...sent.body.notification, delivery: { inApp: true, toast: true, browser: false, sound: false } });
    } finally {
      stream.close();
    }
  });
});
