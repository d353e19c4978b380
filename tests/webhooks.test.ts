import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { service } from "./support/api";
import { createTestApp, mintSubscriberToken, type TestApp } from "./support/apps";
import { closeTestSql, testSql } from "./support/db";
import { until } from "./support/second-instance";
import { Client, createTestUser } from "./support/users";
import { WebhookReceiver, type Received, type ReplyFn } from "./support/webhook-receiver";

const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await closeTestSql();
});

const ALL = [
  "notification.created", "notification.seen", "notification.read", "notification.unread", "notification.clicked",
  "notification.archived", "notification.snoozed", "notification.deleted", "delivery.sent", "delivery.failed",
  "subscriber.created", "subscriber.deleted", "preferences.updated",
];

async function receiver(reply?: ReplyFn) {
  const r = await WebhookReceiver.start(reply);
  receivers.push(r);
  return r;
}

async function endpoint(app: TestApp, url: string, events = ALL) {
  const res = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body: { url, events } });
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string };
}

const verified = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers);

async function attempts(app: TestApp, wid: string) {
  return (await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/attempts`)).body.items as any[];
}

describe("webhook endpoints (admin only)", () => {
  it("creates with the secret shown once, lists, patches, refuses bad input and other people, deletes", async () => {
    const app = await createTestApp("whcrud");
    const created = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body: { url: "https://hooks.example/herald", events: ["notification.read"], description: "CRM" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: "https://hooks.example/herald", events: ["notification.read"], enabled: true });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const wid = created.body.id;
    const list = await app.admin.json(`/api/apps/${app.id}/webhooks`);
    expect(list.body.items.map((w: { id: string }) => w.id)).toEqual([wid]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    const [{ stored }] = await testSql()`select secret_ciphertext as stored from webhook_endpoints where id = ${wid}`;
    expect(stored).not.toContain(created.body.secret.slice(6));

    const patched = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}`, { method: "PATCH", body: { events: ["notification.read", "notification.archived"], enabled: false } });
    expect(patched.body).toMatchObject({ events: ["notification.read", "notification.archived"], enabled: false });

    for (const body of [
      { url: "ftp://hooks.example/x", events: ["notification.read"] },
      { url: "not a url", events: ["notification.read"] },
      { url: "https://user:pw@hooks.example/x", events: ["notification.read"] },
      { url: "https://hooks.example/x", events: ["notification.exploded"] },
      { url: "https://hooks.example/x", events: [] },
    ]) {
      const res = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    const member = await Client.signedIn(await createTestUser("whmember"));
    expect((await member.json(`/api/apps/${app.id}/webhooks`)).status).toBe(403);
    expect((await member.json(`/api/apps/${app.id}/webhooks/${wid}/test`, { method: "POST" })).status).toBe(403);
    const other = await createTestApp("whother");
    expect((await other.admin.json(`/api/apps/${other.id}/webhooks/${wid}`)).status).toBe(404);
    expect((await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}`, { method: "DELETE" })).status).toBe(204);
    expect((await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}`)).status).toBe(404);
  });
});

describe("webhook events", () => {
  it("come from the API and from plain SQL, signed, in commit order, and never from a rolled-back change", async () => {
    const app = await createTestApp("whevents");
    const hooks = await receiver();
    const { secret } = await endpoint(app, hooks.url);
    const put = await service("/api/v1/subscribers/ada", { token: app.token.secret, method: "PUT", body: { name: "Ada" } });
    expect(put.status).toBe(201);
    const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "ada", title: "Invoice paid" } });
    expect(sent.status).toBe(201);
    const id = sent.body.notifications[0].id;
    const token = await mintSubscriberToken(app, "ada");
    const asAda = (path: string, body?: unknown) =>
      new Client().json(path, { method: body === undefined ? "POST" : "PUT", body, headers: { Authorization: `Bearer ${token}`, Origin: "http://localhost:4100" } });
    expect((await asAda(`/api/notifications/${id}/read`)).status).toBeLessThan(300);
    expect((await asAda("/api/preferences", { categories: { general: { email: false } } })).status).toBe(200);

    // Through SQL, as any other program would write.
    await testSql()`update notifications set read_at = null where id = ${id}`;
    await testSql().begin(async (tx) => {
      await tx`update notifications set clicked_at = now() where id = ${id}`;
      await tx`select 1/0`;
    }).catch(() => {});
    await testSql()`update notifications set archived_at = now() where id = ${id}`;
    await hooks.waitFor("the archive", (r) => r.some((x) => x.json.type === "notification.archived"));

    expect(hooks.received.map((r) => r.json.type)).toEqual([
      // Reading shows it too: seen, then read, from one statement.
      "subscriber.created", "notification.created", "notification.seen", "notification.read", "preferences.updated", "notification.unread", "notification.archived",
    ]);
    for (const r of hooks.received) expect(verified(secret, r)).toBeTruthy();
    const created = hooks.ofType("notification.created")[0];
    expect(created.json.data).toMatchObject({ externalId: "ada", notification: { id: String(id), title: "Invoice paid", readAt: null } });
    expect(created.headers["webhook-id"]).toMatch(/^msg_\d+$/);
    expect(new Set(hooks.received.map((r) => r.headers["webhook-id"])).size).toBe(hooks.received.length);
    expect(hooks.ofType("notification.archived")[0].json.data.notification.archivedAt).toMatch(/Z$/);
    expect(hooks.ofType("subscriber.created")[0].json.data.subscriber).toMatchObject({ externalId: "ada", name: "Ada" });

    // A subscriber erased through SQL: its event, with nothing for its notifications.
    await testSql()`delete from users where app_id = ${app.id} and external_id = 'ada'`;
    await hooks.waitFor("the erasure", (r) => r.some((x) => x.json.type === "subscriber.deleted"));
    expect(hooks.ofType("notification.deleted")).toHaveLength(0);
  });

  it("retries a failing receiver with the same webhook-id until it accepts, and lists every attempt", async () => {
    const app = await createTestApp("whretry");
    const hooks = await receiver((_r, n) => (n <= 2 ? { status: 500, body: "x".repeat(5000) } : { status: 200, body: "ok" }));
    const { id: wid } = await endpoint(app, hooks.url, ["subscriber.created"]);
    await service("/api/v1/subscribers/bob", { token: app.token.secret, method: "PUT", body: {} });
    await hooks.waitFor("the third try", (r) => r.length === 3);
    expect(new Set(hooks.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    await until(async () => (await attempts(app, wid)).length === 3, "three attempts recorded");
    const list = await attempts(app, wid);
    expect(list.map((a) => [a.attempt, a.statusCode])).toEqual([[3, 200], [2, 500], [1, 500]]);
    expect(list[0]).toMatchObject({ type: "subscriber.created", eventId: hooks.received[0].headers["webhook-id"], nextRetryAt: null, responseBody: "ok" });
    expect(list[1].nextRetryAt).not.toBeNull();
    expect(list[1].responseBody).toHaveLength(1024);
    const page = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/attempts?cursor=${list[0].id}`);
    expect(page.body.items.map((a: { id: string }) => a.id)).toEqual([list[1].id, list[2].id]);
    expect((await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/attempts?cursor=x`)).status).toBe(400);
  });

  it("sends a test event, replays an event with its id, signs with both secrets after a rotation", async () => {
    const app = await createTestApp("whtest");
    const hooks = await receiver();
    const { id: wid, secret } = await endpoint(app, hooks.url, ["subscriber.created"]);
    const test = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/test`, { method: "POST" });
    expect(test.status).toBe(202);
    await hooks.waitFor("the test event", (r) => r.length === 1);
    expect(hooks.received[0].json.type).toBe("webhook.test");
    expect(hooks.received[0].headers["webhook-id"]).toBe(test.body.eventId);

    const rotated = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/rotate-secret`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const replay = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/events/${test.body.eventId}/replay`, { method: "POST" });
    expect(replay.status).toBe(202);
    await hooks.waitFor("the replay", (r) => r.length === 2);
    const again = hooks.received[1];
    expect(again.headers["webhook-id"]).toBe(test.body.eventId);
    expect(again.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verified(secret, again)).toBeTruthy();
    expect(verified(rotated.body.secret, again)).toBeTruthy();

    const otherApp = await createTestApp("whtest2");
    const foreign = await otherApp.admin.json(`/api/apps/${otherApp.id}/webhooks/${wid}/events/${test.body.eventId}/replay`, { method: "POST" });
    expect(foreign.status).toBe(404);
    expect((await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/events/msg_999999999/replay`, { method: "POST" })).status).toBe(404);
  });

  it("follows no redirect, and disables an endpoint failing for five days straight", async () => {
    const app = await createTestApp("whredirect");
    const target = await receiver();
    const hooks = await receiver(() => ({ status: 302, headers: { Location: target.url } }));
    const { id: wid } = await endpoint(app, hooks.url, ["subscriber.created"]);
    await testSql()`update webhook_endpoints set failing_since = now() - interval '6 days' where id = ${wid}`;
    await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/test`, { method: "POST" });
    await until(async () => (await attempts(app, wid)).length === 1, "the attempt recorded");
    expect((await attempts(app, wid))[0]).toMatchObject({ statusCode: 302, attempt: 1 });
    expect(target.received).toHaveLength(0);
    const after = await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}`);
    expect(after.body).toMatchObject({ enabled: false });
    expect(after.body.disabledAt).not.toBeNull();
    expect((await app.admin.json(`/api/apps/${app.id}/webhooks/${wid}/test`, { method: "POST" })).status).toBe(409);

    // The app's page shows the endpoint, its last attempt with a replay button, and why it is off.
    const page = await (await app.admin.fetch(`/settings/apps/${app.id}`)).text();
    const [eventId] = (await attempts(app, wid)).map((a) => a.eventId);
    expect(page).toContain(hooks.url);
    expect(page).toContain(`aria-label="Replay ${eventId}"`);
    expect(page).toContain("Herald disabled this endpoint");
  });
});
