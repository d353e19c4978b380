import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_PORTS, DeliveryWorld, VAPID } from "./support/delivery-world";
import { TestPushService, type TestDevice } from "./support/push-service";
import { until } from "./support/second-instance";
import { Client } from "./support/users";

// Web push from the table: rows inserted with plain SQL, sent by the worker through web-push's
// encryption and VAPID signature to a local push service that decrypts and checks every message.
let world: DeliveryWorld;
let push: TestPushService;
let base: string;

beforeAll(async () => {
  push = await TestPushService.start(DELIVERY_PORTS.push);
  world = await DeliveryWorld.create("herald_push_delivery", {});
  base = (await world.start(DELIVERY_PORTS.a)).url;
});

afterAll(async () => {
  await world?.close();
  await push?.close();
});

async function subscribed(name: string, prefs?: Parameters<DeliveryWorld["user"]>[0]) {
  const user = await world.user(prefs);
  const device = push.device(name);
  await subscribe(user.id, device, `Chrome on ${name}`);
  return { user, device };
}

async function subscribe(userId: string, device: TestDevice, name: string) {
  const { endpoint, keys } = device.toJSON();
  const [row] = await world.sql<{ id: string }[]>`
    insert into push_subscriptions (user_id, endpoint, p256dh, auth, name)
    values (${userId}, ${endpoint}, ${keys.p256dh}, ${keys.auth}, ${name}) returning id`;
  return row.id;
}

const settled = (id: number) => async () => (await world.deliveries(id)).every((d) => d.status !== "pending");

describe("web push", () => {
  it("sends a row inserted by plain SQL to every device, encrypted and signed", async () => {
    const user = await world.user();
    const [laptop, phone] = [push.device("laptop-1"), push.device("phone-1")];
    await subscribe(user.id, laptop, "Chrome on Linux");
    await subscribe(user.id, phone, "Chrome on Android");
    const id = await world.insert(user.id, { title: "Deploy finished", body: "main is green <b>ok</b>", category: "system", priority: "high" });

    await until(async () => push.for("laptop-1").length === 1 && push.for("phone-1").length === 1, "both devices got the push");
    await until(settled(id), "deliveries settled");
    const [got] = push.for("laptop-1");
    expect(got.payload).toEqual({ id: String(id), title: "Deploy finished", body: "main is green <b>ok</b>", url: "/notifications", action: false, priority: "high", category: "system" });
    expect(got.headers.encoding).toBe("aes128gcm");
    expect(got.headers.urgency).toBe("high");
    expect(got.headers.ttl).toBeGreaterThan(0);
    expect(got.vapid).toMatchObject({ aud: `http://127.0.0.1:${DELIVERY_PORTS.push}`, sub: "mailto:ops@herald.test", publicKey: VAPID.publicKey });
    expect(got.vapid.exp * 1000).toBeGreaterThan(Date.now());
    expect(push.errors).toEqual([]);

    // Exactly once per device: a later push got through, and still only one of the first.
    const sentinel = await world.insert(user.id, { title: "sentinel" });
    await until(async () => push.for("laptop-1").some((r) => r.payload.id === String(sentinel)), "the sentinel push");
    expect(push.for("laptop-1").filter((r) => r.payload.id === String(id))).toHaveLength(1);
    // The owner sees both outcomes on the notification.
    const client = await Client.signedIn(user, base);
    const res = await client.json(`/api/notifications/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.deliveries).toEqual([
      expect.objectContaining({ channel: "push", status: "sent", device: "Chrome on Linux", attempts: 1 }),
      expect.objectContaining({ channel: "push", status: "sent", device: "Chrome on Android", attempts: 1 }),
    ]);
    const [{ used }] = await world.sql`select count(*)::int as used from push_subscriptions where user_id = ${user.id} and last_used_at is not null`;
    expect(used).toBe(2);
  });

  it("maps priority to the Urgency header and keeps the payload within 4 KB", async () => {
    const { user } = await subscribed("urgency-1");
    const low = await world.insert(user.id, { title: "FYI", priority: "low" });
    const urgent = await world.insert(user.id, { title: "Pager", priority: "urgent", body: "x".repeat(10_000) });
    await until(async () => push.for("urgency-1").length === 2, "two pushes");
    await until(async () => (await settled(low)()) && (await settled(urgent)()), "settled");
    const byId = new Map(push.for("urgency-1").map((r) => [r.payload.id, r]));
    expect(byId.get(String(low))?.headers.urgency).toBe("low");
    const big = byId.get(String(urgent))!;
    expect(big.headers.urgency).toBe("high");
    expect(big.bytes).toBeLessThanOrEqual(4096);
    expect(String(big.payload.body).endsWith("…")).toBe(true);
    expect(big.payload.title).toBe("Pager");
  });

  it("deletes a subscription the push service says is gone (410)", async () => {
    const { user, device } = await subscribed("gone-1");
    push.answer("gone-1", 410);
    const id = await world.insert(user.id, { title: "Anyone there?" });
    await until(settled(id), "settled");
    const [d] = await world.deliveries(id);
    expect(d).toMatchObject({ channel: "push", status: "failed", target: "Chrome on gone-1" });
    // The status code is for logs and metrics; the owner reads what it means.
    expect(d.reason).toBe("the device unsubscribed at its push service; removed it");
    const rows = await world.sql`select 1 from push_subscriptions where endpoint = ${device.endpoint}`;
    expect(rows).toHaveLength(0);
    // The record outlives the device: the owner still sees what happened.
    expect(await world.attempts(id)).toEqual([expect.objectContaining({ outcome: "failed" })]);
  });

  it("retries a push service error with backoff and sends it once", async () => {
    const { user } = await subscribed("flaky-1");
    push.answer("flaky-1", 503, 429);
    const id = await world.insert(user.id, { title: "Eventually" });
    await until(async () => push.for("flaky-1").length === 1 && (await settled(id)()), "delivered after retries", 20_000);
    expect((await world.attempts(id)).map((a) => a.outcome)).toEqual(["retry", "retry", "sent"]);
    expect((await world.deliveries(id))[0]).toMatchObject({ status: "sent", attempts: 3 });
    const sentinel = await world.insert(user.id, { title: "sentinel" });
    await until(async () => push.for("flaky-1").some((r) => r.payload.id === String(sentinel)), "the sentinel push");
    expect(push.for("flaky-1").filter((r) => r.payload.id === String(id))).toHaveLength(1);
  });

  it("holds non-urgent pushes during quiet hours and sends urgent ones at once", async () => {
    const { user } = await subscribed("night-1", { push: true });
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    const minute = (d: Date) => d.getUTCHours() * 60 + d.getUTCMinutes();
    const now = new Date();
    const [start, end] = [new Date(now.getTime() - 3600_000), new Date(now.getTime() + 3600_000)];
    await world.sql`
      update user_preferences set quiet_hours_enabled = true, quiet_start_minute = ${minute(start)}, quiet_end_minute = ${minute(end)}, time_zone = 'UTC'
       where user_id = ${user.id}`;
    const held = await world.insert(user.id, { title: "Can wait" });
    const urgent = await world.insert(user.id, { title: "Wake up", priority: "urgent" });
    // The worker records "sent" after the push service answered: wait for the record too.
    await until(async () => push.for("night-1").length === 1 && (await settled(urgent)()), "the urgent push");
    expect(push.for("night-1")[0].payload.title).toBe("Wake up");
    await until(async () => (await world.deliveries(held))[0]?.reason === "waiting for quiet hours to end", "held");
    const [row] = await world.sql`select status, to_char(due_at at time zone 'UTC', 'HH24:MI') as due from notification_deliveries where notification_id = ${held}`;
    expect(row).toEqual({ status: "pending", due: hhmm(end) });
    expect((await world.deliveries(urgent))[0].status).toBe("sent");
  });

  it("sends nothing to someone looking at Herald, and nothing for a category with Push off or muted", async () => {
    const { user } = await subscribed("looking-1");
    await world.sql`insert into tab_presence (user_id, tab_id, visible_until) values (${user.id}, 'tab-1', now() + interval '1 minute')`;
    const seen = await world.insert(user.id, { title: "On screen" });
    await until(settled(seen), "settled");
    expect((await world.deliveries(seen))[0]).toMatchObject({ status: "skipped", reason: "seen in an open Herald tab" });

    const { user: quiet } = await subscribed("off-1", { push: false });
    await world.sql`update user_preferences set categories = categories || '{"system": {"muted": true}}' where user_id = ${quiet.id}`;
    const off = await world.insert(quiet.id, { title: "Push off", category: "general" });
    const muted = await world.insert(quiet.id, { title: "Muted", category: "system" });
    const on = await world.insert(quiet.id, { title: "Tasks still push", category: "task" });
    await until(async () => push.for("off-1").length === 1, "the task push");
    expect(push.for("off-1")[0].payload.title).toBe("Tasks still push");
    expect(await world.deliveries(off)).toEqual([]);
    expect(await world.deliveries(muted)).toEqual([]);
    expect(await world.deliveries(on)).toHaveLength(1);
    expect(push.for("looking-1")).toHaveLength(0);
  });

  it("removes two devices that are both gone (410) for one notification, recording both", async () => {
    const user = await world.user();
    const [one, two] = [push.device("gone-a"), push.device("gone-b")];
    await subscribe(user.id, one, "Phone A");
    await subscribe(user.id, two, "Phone B");
    push.answer("gone-a", 410);
    push.answer("gone-b", 410);
    const id = await world.insert(user.id, { title: "Both gone" });
    await until(settled(id), "settled");
    expect((await world.deliveries(id)).map((d) => [d.target, d.status])).toEqual([["Phone A", "failed"], ["Phone B", "failed"]]);
    expect(await world.sql`select 1 from push_subscriptions where user_id = ${user.id}`).toHaveLength(0);
  });

  it("sends an action URL too long to carry with the inbox link instead, and the worker goes on", async () => {
    const { user } = await subscribed("euro-1");
    const [row] = await world.sql<{ id: string }[]>`
      insert into notifications (user_id, title, action_url) values (${user.id}, 'hi', ${"/" + "€".repeat(500)}) returning id`;
    const id = Number(row.id);
    await until(async () => (await settled(id)()) && push.for("euro-1").length === 1, "the push with the inbox link");
    expect(push.for("euro-1")[0].payload).toMatchObject({ id: String(id), title: "hi", url: "/notifications", action: false });
    const next = await world.insert(user.id, { title: "next" });
    await until(async () => push.for("euro-1").some((r) => r.payload.id === String(next)), "the next push");
  });

  it("without HERALD_PUSH_ALLOW_LOCAL refuses local and private endpoints when saved, and loopback when sent", async () => {
    for (const i of world.instances) await i.stop();
    const strict = await world.start(DELIVERY_PORTS.b, { HERALD_PUSH_ALLOW_LOCAL: "false" });
    const user = await world.user();
    const client = await Client.signedIn(user, strict.url);
    const device = push.device("local-1");
    for (const endpoint of [device.endpoint, "http://2130706433:4701/", "https://10.0.0.1:8443/admin", "https://169.254.169.254/latest/meta-data", "https://push.example.com/x"]) {
      const res = await client.json("/api/push/subscriptions", { body: { ...device.toJSON(), endpoint } });
      expect(res.status, endpoint).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    // A row written by another program: the sender checks the address itself.
    await subscribe(user.id, device, "Local");
    const id = await world.insert(user.id, { title: "Not for loopback" });
    await until(settled(id), "settled");
    expect((await world.deliveries(id))[0]).toMatchObject({ status: "failed", reason: "the push service refused" });
    expect(push.for("local-1")).toEqual([]);
  });
});
