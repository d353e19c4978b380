import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { ended, within5s } from "./support/sessions";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const status = async (client: Client, path: string, init: { method?: string; body?: unknown } = {}) => (await client.json(path, init)).status;

async function streamStatus(client: Client) {
  const res = await client.fetch("/api/notifications/stream");
  await res.body?.cancel();
  return res.status;
}

describe("sessions can be revoked", () => {
  it("a copied cookie stops working after sign-out: API 401, stream refused, and its open stream ends", async () => {
    const user = await createTestUser("copied");
    const browser = await Client.signedIn(user);
    const copy = browser.on(browser.baseUrl); // the same cookie, somewhere else
    const stream = await SseReader.open(copy);
    expect(await status(copy, "/api/notifications")).toBe(200);

    await browser.signOut();
    await ended(stream);
    await within5s(async () => (await status(copy, "/api/notifications")) === 401, "the copied cookie is refused");
    expect(await streamStatus(copy)).toBe(401);
    const [{ revoked }] = await testSql()`select count(*)::int as revoked from sessions where user_id = ${user.id} and revoked_at is not null`;
    expect(revoked).toBe(1);
  });

  it("signing out one browser leaves the user's other sessions alone", async () => {
    const user = await createTestUser("twobrowsers");
    const [one, two] = [await Client.signedIn(user), await Client.signedIn(user)];
    const stream = await SseReader.open(two);
    try {
      await one.signOut();
      await within5s(async () => (await status(one.on(one.baseUrl), "/api/notifications")) === 401, "the signed-out browser is refused");
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'still here')`;
      await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "still here");
      expect(await status(two, "/api/notifications")).toBe(200);
    } finally {
      stream.close();
    }
  });

  it("revoking every session (as sign out everywhere and a password change do) ends every browser and stream", async () => {
    const user = await createTestUser("everywhere");
    const [one, two] = [await Client.signedIn(user), await Client.signedIn(user)];
    const streams = [await SseReader.open(one), await SseReader.open(two)];
    await testSql()`update sessions set revoked_at = now() where user_id = ${user.id} and revoked_at is null`;
    for (const s of streams) await ended(s);
    expect(await status(one, "/api/notifications")).toBe(401);
    expect(await status(two, "/api/notifications")).toBe(401);
  });

  it("a token issued without a session id (before sessions were stored) is refused", async () => {
    const { encode } = await import("next-auth/jwt");
    const user = await createTestUser("legacy");
    const legacy = new Client();
    legacy.setCookie(
      "authjs.session-token",
      await encode({ token: { sub: user.id, name: user.name, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" }),
    );
    expect(await status(legacy, "/api/notifications")).toBe(401);
    expect(await streamStatus(legacy)).toBe(401);
  });

  it("a deleted user's cookie answers 401 everywhere, never 500, and their stream ends", async () => {
    const user = await createTestUser("deleted");
    const client = await Client.signedIn(user);
    const [other] = [await createTestUser("deletedpeer")];
    const stream = await SseReader.open(client);
    await testSql()`delete from users where id = ${user.id}`;
    await ended(stream);
    const calls: [string, { method?: string; body?: unknown }][] = [
      ["/api/notifications", {}],
      ["/api/notifications/unread-count", {}],
      ["/api/notifications/1", {}],
      ["/api/notifications/1", { method: "PATCH", body: { read: true } }],
      ["/api/notifications/read-all", { body: {} }],
      ["/api/notifications/batch", { body: { ids: ["1"], action: "read" } }],
      ["/api/notifications/test", { body: { title: "ghost" } }],
      ["/api/preferences", {}],
      ["/api/preferences", { method: "PUT", body: { soundEnabled: false } }],
      ["/api/rooms", { body: { participantEmail: other.email } }],
      ["/api/tokens", {}],
      ["/api/tokens", { body: { name: "ghost" } }],
    ];
    for (const [path, init] of calls) expect([path, init.method, await status(client, path, init)]).toEqual([path, init.method, 401]);
    expect(await streamStatus(client)).toBe(401);
    // Pages send it to sign-in rather than failing.
    for (const path of ["/chat", "/notifications", "/demo", "/settings/notifications", "/settings/tokens", "/settings/account"]) {
      const page = await client.fetch(path);
      await page.body?.cancel();
      expect([path, page.status < 400, page.headers.get("location") ?? ""]).toEqual([path, true, expect.stringContaining("/signin")]);
    }
  });
});
