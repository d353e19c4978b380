import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { startInstanceBehindProxy, until, type FreezableProxy, type SecondInstance } from "./support/second-instance";
import { ended, within5s } from "./support/sessions";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

// Instance A is the test server (on logical replication with the embedded database). Instance B is
// a second server on the same database that hears changes over LISTEN/NOTIFY (HERALD_REALTIME=notify:
// the fallback for databases that cannot replicate), serves streams through the route-handler
// fallback, and whose LISTEN connection goes through a proxy the test can black-hole (so B misses
// announcements). A mixed fleet must work: B's registration makes the triggers NOTIFY again.
let b: SecondInstance;
let proxy: FreezableProxy;

beforeAll(async () => {
  ({ instance: b, proxy } = await startInstanceBehindProxy({ HERALD_REALTIME: "notify" }));
  // On LISTEN, B reads the tables and re-checks its streams' sessions once more 2 s after it
  // connects (lib/realtime/feed/notify.ts, LATE_CATCH_UP_MS). Let that pass, so that what B knows
  // below is only what it heard.
  await new Promise((r) => setTimeout(r, 2_500));
}, 90_000);

afterAll(async () => {
  await b?.stop();
  await proxy?.close();
  await closeTestSql();
});

describe("an instance on LISTEN/NOTIFY beside one on replication", () => {
  it("B says which path it runs and why, and a row written by plain SQL reaches B's stream live", async () => {
    const health = await b.health();
    expect(health.status).toBe(200);
    expect(health.body.realtime).toMatchObject({ path: "notify", pathReason: "HERALD_REALTIME=notify" });
    const user = await createTestUser("notifyb");
    const stream = await SseReader.open((await Client.signedIn(user)).on(b.url));
    try {
      const [{ id }] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, title) values (${user.id}, 'heard over NOTIFY') returning id::text`;
      const got = await stream.waitFor((e) => e.event === "notification.created");
      expect(got.data.id).toBe(id);
    } finally {
      stream.close();
    }
  });
});

describe("revocation across instances", () => {
  it("signing out on A ends the session's stream on B, and B refuses the cookie", async () => {
    const user = await createTestUser("twoinst");
    const onA = await Client.signedIn(user);
    const onB = onA.on(b.url);
    const stream = await SseReader.open(onB);
    expect((await onB.json("/api/notifications")).status).toBe(200);
    await onA.signOut();
    await ended(stream);
    expect((await onB.json("/api/notifications")).status).toBe(401);
    const res = await onB.fetch("/api/notifications/stream");
    await res.body?.cancel();
    expect(res.status).toBe(401);
  });

  it("a revocation B did not hear still takes effect: requests within 5 s, open streams when B reconnects", async () => {
    const user = await createTestUser("missed");
    const onB = (await Client.signedIn(user)).on(b.url);
    const stream = await SseReader.open(onB);
    try {
      proxy.freeze();
      await testSql()`update sessions set revoked_at = now() where user_id = ${user.id}`;
      await within5s(async () => (await onB.json("/api/notifications")).status === 401, "B refuses the revoked cookie");
      expect(stream.endedCleanly).toBe(false); // B has not heard of it yet
      proxy.thaw();
      await until(async () => (await b.health()).status === 200, "B listens again");
      await ended(stream);
    } finally {
      proxy.thaw();
      stream.close();
    }
  });
});
