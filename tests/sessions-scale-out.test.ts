import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { startInstanceBehindProxy, until, type FreezableProxy, type SecondInstance } from "./support/second-instance";
import { ended, within5s } from "./support/sessions";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

// Instance A is the test server. Instance B is a second server on the same database that serves
// streams through the route-handler fallback, and whose LISTEN connection goes through a proxy the
// test can black-hole (so B misses announcements).
let b: SecondInstance;
let proxy: FreezableProxy;

beforeAll(async () => {
  ({ instance: b, proxy } = await startInstanceBehindProxy());
}, 90_000);

afterAll(async () => {
  await b?.stop();
  await proxy?.close();
  await closeTestSql();
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
