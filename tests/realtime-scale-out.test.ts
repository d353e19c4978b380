import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { ResumingStream, seqOf, sleep } from "./support/resuming-stream";
import { startInstanceBehindProxy, until, type FreezableProxy, type SecondInstance } from "./support/second-instance";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

// Instance A is the test server. Instance B is a second server on the same database whose
// LISTEN connection goes through a proxy (DATABASE_LISTEN_URL) that the tests can black-hole. B also
// serves streams through the route-handler fallback, with a 4-second maximum stream lifetime.
let b: SecondInstance;
let proxy: FreezableProxy;

beforeAll(async () => {
  ({ instance: b, proxy } = await startInstanceBehindProxy({ HERALD_STREAM_MAX_AGE_S: "4" }));
}, 90_000);

afterAll(async () => {
  await b?.stop();
  await proxy?.close();
  await closeTestSql();
});

describe("two instances on one database", () => {
  it("delivers a notification written through A to a client on B, and the other way round", async () => {
    const user = await createTestUser("scale");
    const onA = await Client.signedIn(user);
    const onB = onA.on(b.url);
    const streamB = await ResumingStream.open(onB);
    const streamA = await SseReader.open(onA);
    try {
      expect((await onA.json("/api/notifications/test", { body: { title: "written on A" } })).status).toBe(201);
      await streamB.waitFor(() => streamB.named("notification.created").some((e) => e.data.title === "written on A"));
      expect((await onB.json("/api/notifications/test", { body: { title: "written on B" } })).status).toBe(201);
      await streamA.waitFor((e) => e.event === "notification.created" && e.data.title === "written on B");
    } finally {
      await streamB.close();
      streamA.close();
    }
  });

  it("B notices its change feed went deaf, reports it, reconnects and catches up", async () => {
    const user = await createTestUser("deaf");
    const onB = (await Client.signedIn(user)).on(b.url);
    const stream = await ResumingStream.open(onB);
    try {
      proxy.freeze();
      await until(async () => (await b.health()).status === 503, "B reports an unhealthy listener");
      expect(["deaf", "reconnecting"]).toContain((await b.health()).body.listener);
      // Only the listener is cut off: B's pool still answers, and this write commits meanwhile.
      const [{ id }] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, title) values (${user.id}, 'while deaf') returning id::text`;
      expect((await onB.json("/api/notifications")).body.items.map((n: { id: string }) => n.id)).toEqual([id]);
      proxy.thaw();
      await until(async () => (await b.health()).status === 200, "B is healthy again");
      await stream.waitFor(() => stream.named("notification.created").length > 0);
      expect(stream.named("notification.created").map((e) => e.data.id)).toEqual([id]);
    } finally {
      proxy.thaw();
      await stream.close();
    }
  });

  it("ends every stream after its maximum lifetime, cleanly, and the client resumes without loss", async () => {
    const user = await createTestUser("lifetime");
    const stream = await ResumingStream.open((await Client.signedIn(user)).on(b.url));
    const ids: string[] = [];
    try {
      // About 9 seconds of writes: at least two 4-second lifetimes end in between.
      for (let i = 0; i < 30; i++) {
        const [{ id }] = await testSql()<{ id: string }[]>`
          insert into notifications (user_id, title) values (${user.id}, ${`tick ${i}`}) returning id::text`;
        ids.push(id);
        await sleep(300);
      }
      await stream.waitFor(() => stream.named("notification.created").some((e) => e.data.id === ids.at(-1)));
      expect(stream.segments.length).toBeGreaterThanOrEqual(3);
      expect(stream.segments.slice(0, -1).every((s) => s.endedCleanly)).toBe(true);
      const created = stream.named("notification.created");
      expect(created.map((e) => e.data.id)).toEqual(ids);
      expect(created.map(seqOf)).toEqual(created.map((_, i) => i + 1));
    } finally {
      await stream.close();
    }
  }, 60_000);
});
