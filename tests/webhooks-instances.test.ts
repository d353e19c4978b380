import { afterAll, describe, expect, it } from "vitest";
import { service } from "./support/api";
import { createTestApp } from "./support/apps";
import { closeTestSql, testSql } from "./support/db";
import { SecondInstance, until } from "./support/second-instance";
import { WebhookReceiver } from "./support/webhook-receiver";

/**
 * Webhooks across instances: a second server on HERALD_TEST_PORT_B shares the database and the job
 * queue. To know which process sends, the crash test pauses the main test server (SIGSTOP) while B
 * alone works, kills B mid-send, and lets the main server go on (SIGCONT), so this file runs alone.
 */
const mainPid = Number(process.env.HERALD_TEST_SERVER_PID);
const portB = Number(process.env.HERALD_TEST_PORT_B);
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await closeTestSql();
});

let b: SecondInstance | undefined;
/** One instance B for both tests (the second kills it). */
async function instanceB() {
  b ??= await SecondInstance.start(portB, {});
  const started = b;
  cleanup.push(() => started.stop());
  return started;
}

async function receiver(reply?: Parameters<typeof WebhookReceiver.start>[0]) {
  const r = await WebhookReceiver.start(reply);
  cleanup.push(() => r.close());
  return r;
}

describe("webhooks on two instances", () => {
  it("deliver every event once, each subscriber's in commit order, with both instances sending", async () => {
    await instanceB();
    const app = await createTestApp("whtwo");
    const hooks = await receiver();
    const res = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body: { url: hooks.url, events: ["notification.created"] } });
    expect(res.status).toBe(201);
    const people = ["p1", "p2", "p3", "p4"];
    for (let round = 0; round < 3; round++) {
      const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: people, title: `round ${round}` } });
      expect(sent.status).toBe(201);
    }
    await hooks.waitFor("twelve events", (r) => r.length >= 12);
    await until(async () => {
      const [{ n }] = await testSql()`select count(*)::int as n from webhook_deliveries where endpoint_id = ${res.body.id} and status = 'pending'`;
      return n === 0;
    }, "nothing pending");
    expect(new Set(hooks.received.map((r) => r.headers["webhook-id"])).size).toBe(12);
    for (const who of people) {
      const titles = hooks.received.filter((r) => r.json.data.externalId === who).map((r) => r.json.data.notification.title);
      expect(titles, who).toEqual(["round 0", "round 1", "round 2"]);
    }
  });

  it("sends again, with the same webhook-id, what a killed instance was sending", async () => {
    const app = await createTestApp("whkill");
    const hooks = await receiver((_r, n) => (n === 1 ? "hang" : { status: 204 }));
    const res = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body: { url: hooks.url, events: ["subscriber.created"] } });
    expect(res.status).toBe(201);
    const b = await instanceB();
    process.kill(mainPid, "SIGSTOP");
    cleanup.push(() => process.kill(mainPid, "SIGCONT"));
    // A subscriber written by plain SQL; only B is awake to send its event.
    await testSql()`insert into users (name, app_id, external_id) values ('Kay', ${app.id}, 'kay')`;
    await hooks.waitFor("B's send", (r) => r.length === 1);
    await b.kill();
    process.kill(mainPid, "SIGCONT");
    await hooks.waitFor("the send again", (r) => r.length === 2);
    expect(hooks.received[1].headers["webhook-id"]).toBe(hooks.received[0].headers["webhook-id"]);
    expect(hooks.received[1].json.data.externalId).toBe("kay");
    await until(async () => {
      const [row] = await testSql()`select status from webhook_deliveries where endpoint_id = ${res.body.id}`;
      return row?.status === "sent";
    }, "recorded as sent");
  });
});
