import { describe, expect, it } from "vitest";
import { createToken, service } from "./support/api";
import { testSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { pushDevice } from "./support/push-service";
import { Client, createTestUser } from "./support/users";

const fcm = () => `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`;

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";

describe("push subscriptions API", () => {
  it("saves a device once, names it from the User-Agent, lists and removes it", async () => {
    const me = await Client.signedIn(await createTestUser("pusher"));
    const body = pushDevice(`https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`);
    const first = await me.json("/api/push/subscriptions", { body, headers: { "User-Agent": CHROME_LINUX } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), name: "Chrome on Linux", createdAt: expect.any(String), lastUsedAt: null });
    const again = await me.json("/api/push/subscriptions", { body: { ...body, name: "Work laptop" } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const list = await me.json("/api/push/subscriptions");
    expect(list.body.items).toEqual([expect.objectContaining({ id: first.body.id, name: "Work laptop" })]);
    const gone = await me.json(`/api/push/subscriptions/${first.body.id}`, { method: "DELETE" });
    expect(gone.status).toBe(204);
    expect((await me.json("/api/push/subscriptions")).body.items).toEqual([]);
  });

  it("moves an endpoint to whoever signed in on that browser last (same keys), and refuses removing another's", async () => {
    const [a, b] = [await Client.signedIn(await createTestUser("pa")), await Client.signedIn(await createTestUser("pb"))];
    const body = pushDevice(fcm());
    const saved = await a.json("/api/push/subscriptions", { body });
    expect((await b.json(`/api/push/subscriptions/${saved.body.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await b.json("/api/push/subscriptions", { body })).status).toBe(200);
    expect((await a.json("/api/push/subscriptions")).body.items).toEqual([]);
    expect((await b.json("/api/push/subscriptions")).body.items).toHaveLength(1);
  });

  it("refuses with 409 another account posting a known endpoint with other keys, and keeps the device", async () => {
    const [owner, thief] = [await Client.signedIn(await createTestUser("owner")), await Client.signedIn(await createTestUser("thief"))];
    const endpoint = fcm();
    const original = pushDevice(endpoint);
    const saved = await owner.json("/api/push/subscriptions", { body: original });
    expect(saved.status).toBe(201);
    const taken = await thief.json("/api/push/subscriptions", { body: pushDevice(endpoint) });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("push_endpoint_taken");
    expect((await thief.json("/api/push/subscriptions")).body.items).toEqual([]);
    expect((await owner.json("/api/push/subscriptions")).body.items).toEqual([expect.objectContaining({ id: saved.body.id })]);
    const [row] = await testSql()`select p256dh, auth from push_subscriptions where endpoint = ${endpoint}`;
    expect(row).toEqual({ p256dh: original.keys.p256dh, auth: original.keys.auth });
  });

  it("keeps 10 devices per person: the 11th replaces the oldest", async () => {
    const me = await Client.signedIn(await createTestUser("many"));
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await me.json("/api/push/subscriptions", { body: { ...pushDevice(fcm()), name: `Device ${i}` } });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const items: { id: string }[] = (await me.json("/api/push/subscriptions")).body.items;
    expect(items).toHaveLength(10);
    expect(items.map((d) => d.id).sort()).toEqual(ids.slice(1).sort());
  });

  it("refuses endpoints that are not https on a known push service, too long, or keys no browser made", async () => {
    const me = await Client.signedIn(await createTestUser("pushbad"));
    const ok = pushDevice("https://fcm.googleapis.com/fcm/send/x");
    const cases = [
      { ...ok, endpoint: "https://push.example.com/x" },
      { ...ok, endpoint: "https://fcm.googleapis.com.evil.example/x" },
      { ...ok, endpoint: "https://fcm.googleapis.com:8443/x" },
      { ...ok, endpoint: "https://10.0.0.1:8443/admin" },
      { ...ok, endpoint: "https://169.254.169.254/latest/meta-data" },
      { ...ok, endpoint: "http://fcm.googleapis.com/x" },
      { ...ok, endpoint: "ftp://fcm.googleapis.com/x" },
      { ...ok, endpoint: `https://fcm.googleapis.com/${"a".repeat(1100)}` },
      { ...ok, keys: { ...ok.keys, p256dh: "A".repeat(87) } },
      { ...ok, keys: { ...ok.keys, auth: "short" } },
      { endpoint: ok.endpoint },
    ];
    for (const body of cases) {
      const res = await me.json("/api/push/subscriptions", { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await me.json("/api/push/subscriptions")).body.items).toEqual([]);
    // This server runs with HERALD_PUSH_ALLOW_LOCAL (the tests' push services are local); the refusal
    // of loopback without it is in tests/push-delivery.test.ts and tests/unit/push-endpoint-policy.test.ts.
    expect((await me.json("/api/push/subscriptions", { body: pushDevice("http://127.0.0.1:9/push/x") })).status).toBe(201);
  });

  it("removes a second device of one notification, never 500", async () => {
    const user = await createTestUser("twodev");
    const me = await Client.signedIn(user);
    const a = await me.json("/api/push/subscriptions", { body: pushDevice("http://127.0.0.1:9/push/a") });
    const b = await me.json("/api/push/subscriptions", { body: pushDevice("http://127.0.0.1:9/push/b") });
    const sent = await me.json("/api/notifications/test", { body: { title: "to both devices" } });
    expect(sent.status).toBe(201);
    // Each device has its record of the notification (written with it, by the insert trigger).
    const [{ n }] = await testSql()`select count(*)::int as n from notification_deliveries where user_id = ${user.id} and channel = 'push'`;
    expect(n).toBe(2);
    expect((await me.json(`/api/push/subscriptions/${a.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await me.json(`/api/push/subscriptions/${b.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await me.json("/api/push/subscriptions")).body.items).toEqual([]);
  });

  it("refuses an action URL over 2,048 bytes once percent-encoded, on every writer", async () => {
    const me = await Client.signedIn(await createTestUser("longurl"));
    const fits = `/${"€".repeat(227)}aaaa`;
    const over = `${fits}a`;
    const cases = [over, `/${"€".repeat(500)}`];
    for (const actionUrl of cases) {
      const res = await me.json("/api/notifications/test", { body: { title: "hi", actionUrl } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await me.json("/api/notifications/test", { body: { title: "hi", actionUrl: fits } })).status).toBe(201);
    const token = await createToken(me, "long-url-bot");
    const v1 = await service("/api/v1/notifications", { token: token.secret, body: { title: "hi", actionUrl: over } });
    expect(v1.status).toBe(400);
    expect(v1.body.error.code).toBe("validation_error");
  });

  it("removes the devices of revoked sessions, and every device on sign out everywhere", async () => {
    const user = await createTestUser("revoked");
    const [here, there] = [await Client.signedIn(user), await Client.signedIn(user)];
    const mine = await here.json("/api/push/subscriptions", { body: pushDevice(fcm()) });
    await there.json("/api/push/subscriptions", { body: pushDevice(fcm()) });
    expect((await here.json("/api/push/subscriptions")).body.items).toHaveLength(2);
    // A password change revokes the other sessions (lib/auth/account.ts, one statement).
    const [keep] = await testSql()`select session_id from push_subscriptions where id = ${mine.body.id}`;
    await testSql()`update sessions set revoked_at = now() where user_id = ${user.id} and id <> ${keep.session_id} and revoked_at is null`;
    expect((await here.json("/api/push/subscriptions")).body.items).toEqual([expect.objectContaining({ id: mine.body.id })]);
    // Sign out everywhere: every session.
    await testSql()`update sessions set revoked_at = now() where user_id = ${user.id} and revoked_at is null`;
    const [{ n }] = await testSql()`select count(*)::int as n from push_subscriptions where user_id = ${user.id}`;
    expect(n).toBe(0);
  });

  it("needs a session, and gives the VAPID key to the signed-in", async () => {
    expect((await fetch(`${BASE_URL()}/api/push/subscriptions`)).status).toBe(401);
    expect((await fetch(`${BASE_URL()}/api/push/vapid-public-key`)).status).toBe(401);
    const me = await Client.signedIn(await createTestUser("vapid"));
    const key = await me.json("/api/push/vapid-public-key");
    // The main test server runs without VAPID keys: push is off there, and says so.
    expect([200, 503]).toContain(key.status);
    if (key.status === 200) expect(key.body.publicKey).toMatch(/^[\w-]{87}$/);
    else expect(key.body.error.code).toBe("unavailable");
  });

  it("records which tabs are visible", async () => {
    const me = await Client.signedIn(await createTestUser("presence"));
    expect((await me.json("/api/presence", { body: { tabId: "tab-12345678", visible: true } })).status).toBe(204);
    expect((await me.json("/api/presence", { body: { tabId: "x", visible: true } })).status).toBe(400);
    expect((await me.json("/api/presence", { body: { tabId: "tab-12345678", visible: false } })).status).toBe(204);
  });
});
