import { describe, expect, it } from "vitest";
import { BASE_URL } from "./support/env";
import { pushDevice } from "./support/push-service";
import { Client, createTestUser } from "./support/users";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";

describe("push subscriptions API", () => {
  it("saves a device once, names it from the User-Agent, lists and removes it", async () => {
    const me = await Client.signedIn(await createTestUser("pusher"));
    const body = pushDevice(`https://push.example.com/send/${crypto.randomUUID()}`);
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

  it("moves an endpoint to whoever signed in on that browser last, and refuses removing another's", async () => {
    const [a, b] = [await Client.signedIn(await createTestUser("pa")), await Client.signedIn(await createTestUser("pb"))];
    const body = pushDevice(`https://push.example.com/send/${crypto.randomUUID()}`);
    const saved = await a.json("/api/push/subscriptions", { body });
    expect((await b.json(`/api/push/subscriptions/${saved.body.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await b.json("/api/push/subscriptions", { body })).status).toBe(200);
    expect((await a.json("/api/push/subscriptions")).body.items).toEqual([]);
    expect((await b.json("/api/push/subscriptions")).body.items).toHaveLength(1);
  });

  it("refuses endpoints that are not https (but localhost), too long, or keys no browser made", async () => {
    const me = await Client.signedIn(await createTestUser("pushbad"));
    const ok = pushDevice("https://push.example.com/x");
    const cases = [
      { ...ok, endpoint: "http://push.example.com/x" },
      { ...ok, endpoint: "ftp://push.example.com/x" },
      { ...ok, endpoint: `https://push.example.com/${"a".repeat(1100)}` },
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
    expect((await me.json("/api/push/subscriptions", { body: pushDevice("http://127.0.0.1:9/push/x") })).status).toBe(201);
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
