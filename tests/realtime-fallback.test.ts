import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { Scrape, TOKEN } from "./support/metrics";
import { SecondInstance, until } from "./support/second-instance";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

// What PostgreSQL says when no slot is free: the unauthenticated /api/health must not repeat it.
const PG_TEXT = /slots are in use|max_replication_slots|53400|Free one/i;
const FILL = "herald_test_fill_";

const instances: SecondInstance[] = [];
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await dropFill();
  await closeTestSql();
});

/** Takes every free replication slot (physical slots count against max_replication_slots too). */
async function fillSlots() {
  for (let n = 0; ; n++) {
    try {
      await testSql()`select pg_create_physical_replication_slot(${`${FILL}${Date.now()}_${n}`})`;
    } catch (err) {
      if ((err as { code?: string }).code === "53400") return;
      throw err;
    }
  }
}

async function dropFill() {
  await testSql()`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like ${`${FILL}%`}`;
}

async function metricsOf(instance: SecondInstance) {
  const res = await fetch(`${instance.url}/api/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return new Scrape(await res.text());
}

async function start(port: number) {
  const instance = await SecondInstance.start(port, { HERALD_REALTIME: "auto" });
  instances.push(instance);
  return instance;
}

describe("when no replication slot is free", () => {
  it("a process whose replication link cannot come back goes on over LISTEN/NOTIFY and says so", async () => {
    const b = await start(Number(process.env.HERALD_TEST_PORT_B));
    await until(async () => (await b.health()).body.realtime?.path === "replication" && (await b.health()).status === 200, "B streams from the WAL");
    const [{ pid }] = await testSql()<{ pid: number }[]>`
      select active_pid as pid from pg_replication_slots where slot_name like ${`herald_${b.pid}_%`} and active`;
    const before = await metricsOf(b);
    try {
      await fillSlots();
      // B's temporary slot goes with its connection: take that one too before B is back.
      await testSql()`select pg_terminate_backend(${pid}, 5000)`;
      await fillSlots();
      await until(async () => (await b.health()).body.realtime?.path === "notify" && (await b.health()).status === 200, "B falls back to NOTIFY");

      const health = await b.health();
      expect(health.body.listener).toBe("ok");
      expect(health.body.realtime.pathReason).toEqual(expect.any(String));
      expect(JSON.stringify(health.body)).not.toMatch(PG_TEXT);
      const after = await metricsOf(b);
      expect(after.value("herald_realtime_path", { path: "notify" })).toBe(1);
      expect(after.value("herald_realtime_fallbacks_total") - before.value("herald_realtime_fallbacks_total")).toBe(1);

      // Live delivery goes on, and its latency counts from when the change was heard, not created_at.
      const user = await createTestUser("fallback");
      const stream = await SseReader.open((await Client.signedIn(user)).on(b.url));
      try {
        const beforeLive = await metricsOf(b);
        await testSql()`insert into notifications (user_id, title, created_at) values (${user.id}, 'over notify', now() - interval '1 hour')`;
        await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "over notify");
        const afterLive = await metricsOf(b);
        const bucket = (le: string) =>
          afterLive.value("herald_live_delivery_latency_seconds_bucket", { le }) - beforeLive.value("herald_live_delivery_latency_seconds_bucket", { le });
        expect(bucket("+Inf")).toBe(1);
        expect(bucket("10")).toBe(1);
      } finally {
        stream.close();
      }

      // A process that starts while none is free goes straight to NOTIFY, with the same discretion.
      const c = await start(Number(process.env.HERALD_TEST_PORT_B) + 2);
      await until(async () => (await c.health()).body.realtime?.path === "notify" && (await c.health()).status === 200, "C starts on NOTIFY");
      const startHealth = await c.health();
      expect(startHealth.body.realtime.pathReason).toEqual(expect.any(String));
      expect(JSON.stringify(startHealth.body)).not.toMatch(PG_TEXT);
    } finally {
      await dropFill();
    }
  }, 90_000);
});
